// The real client against the in-process HTTPS server and the test PKI.
#include "component/component_support.hpp"

namespace netbox::component {
namespace {

using http_client = netbox::client;

class client_tls : public component_test {};

reply ok_json(const received_request&) { return json_reply(200, R"({"ok":true})"); }

server_options tls_server(bool wrong_host = false, bool client_cert = false) {
    server_options so;
    so.tls = true;
    so.wrong_host_cert = wrong_host;
    so.require_client_cert = client_cert;
    return so;
}

client_options trusting_test_ca(const test_server& server) {
    auto o = options_for(server.url());
    o.tls.ca_file = test::pki().ca_file.string();
    return o;
}

TEST_F(client_tls, https_with_the_test_ca_works_and_keeps_the_connection) {
    test_server server(ok_json, tls_server());
    http_client c(io.get_executor(), trusting_test_ca(server));
    for (int i = 0; i < 3; ++i) {
        auto r = run(c.try_request(http_method::get, "/api/status/"));
        ASSERT_TRUE(r.has_value()) << r.error().what();
        EXPECT_EQ(r->status, 200);
        EXPECT_EQ(r->body, R"({"ok":true})");
    }
    EXPECT_EQ(server.requests().size(), 3u);
    EXPECT_EQ(server.connections_accepted(), 1u);
}

TEST_F(client_tls, untrusted_certificate_fails_verification) {
    test_server server(ok_json, tls_server());
    auto o = options_for(server.url());  // default TLS options: the system store only
    http_client c(io.get_executor(), o);
    auto r = run(c.try_request(http_method::get, "/api/status/"));
    EXPECT_NETBOX_ERROR(r, errc::certificate_rejected);
    ASSERT_TRUE(r.has_error());
    EXPECT_NE(r.error().message.find("certificate"), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().attempts, 1);  // a rejected certificate is not retried
    EXPECT_EQ(server.connections_accepted(), 1u);
    EXPECT_TRUE(server.requests().empty());
}

TEST_F(client_tls, certificate_for_another_host_fails_verification) {
    test_server server(ok_json, tls_server(/*wrong_host=*/true));
    auto o = trusting_test_ca(server);
    http_client c(io.get_executor(), o);
    auto r = run(c.try_request(http_method::get, "/api/status/"));
    EXPECT_NETBOX_ERROR(r, errc::certificate_rejected);
    ASSERT_TRUE(r.has_error());
    EXPECT_EQ(r.error().attempts, 1);
    EXPECT_TRUE(server.requests().empty());
}

TEST_F(client_tls, insecure_disable_verification_accepts_the_wrong_host_certificate) {
    test_server server(ok_json, tls_server(/*wrong_host=*/true));
    auto o = options_for(server.url());  // not even the CA
    o.tls.insecure_disable_verification = true;
    http_client c(io.get_executor(), o);
    auto r = run(c.try_request(http_method::get, "/api/status/"));
    ASSERT_TRUE(r.has_value()) << r.error().what();
    EXPECT_EQ(r->status, 200);
}

TEST_F(client_tls, mutual_tls_with_a_client_certificate) {
    test_server server(ok_json, tls_server(false, /*client_cert=*/true));
    auto o = trusting_test_ca(server);
    o.tls.client_certificate_file = test::pki().client_cert_file.string();
    o.tls.client_private_key_file = test::pki().client_key_file.string();
    http_client c(io.get_executor(), o);
    auto r = run(c.try_request(http_method::get, "/api/status/"));
    ASSERT_TRUE(r.has_value()) << r.error().what();
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(server.requests().size(), 1u);
}

TEST_F(client_tls, mutual_tls_without_a_client_certificate_fails) {
    test_server server(ok_json, tls_server(false, /*client_cert=*/true));
    auto o = trusting_test_ca(server);
    o.retry.max_attempts = 1;
    http_client c(io.get_executor(), o);
    auto r = run(c.try_request(http_method::get, "/api/status/"));
    // TLS 1.3 reports the server's refusal after the client's side of the handshake is done, so
    // the failure may surface while reading the response; either way no request got through.
    ASSERT_TRUE(r.has_error());
    EXPECT_TRUE(r.error().code == errc::tls_handshake_failed || r.error().code == errc::connection_closed)
        << r.error().what();
    EXPECT_TRUE(server.requests().empty());
}

TEST_F(client_tls, unreadable_ca_file_is_an_invalid_argument) {
    test_server server(ok_json, tls_server());
    auto o = options_for(server.url());
    o.tls.ca_file = (test::pki().dir / "does-not-exist.pem").string();
    try {
        http_client c(io.get_executor(), o);
        ADD_FAILURE() << "accepted a missing CA file";
    } catch (const api_error& e) {
        EXPECT_EQ(e.code(), make_error_code(errc::invalid_argument)) << e.what();
    }
}

// A plain-HTTP client builds no TLS context (loading the system CA store is slow): a broken CA
// file costs it nothing until a redirect leads to https, where the connection fails clearly.
TEST_F(client_tls, plain_http_client_loads_tls_files_only_when_a_tls_connection_needs_them) {
    test_server tls(ok_json, tls_server());
    test_server plain([&](const received_request&) {
        reply r;
        r.status = 302;
        r.headers = {{"Location", tls.url() + "/api/status/"}};
        return r;
    });
    auto o = options_for(plain.url());
    o.tls.ca_file = (test::pki().dir / "does-not-exist.pem").string();
    http_client c(io.get_executor(), o);  // does not throw
    auto r = run(c.try_request(http_method::get, "/api/status/"));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, errc::invalid_argument) << r.error().what();
    EXPECT_NE(r.error().message.find("does-not-exist.pem"), std::string::npos) << r.error().what();
    EXPECT_TRUE(tls.requests().empty());
}

}  // namespace
}  // namespace netbox::component
