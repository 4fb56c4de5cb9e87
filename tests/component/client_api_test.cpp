// The client's API helpers (status, version, openapi, tokens, probe, graphql) against small fake
// NetBox handlers.
#include "component/component_support.hpp"

#include <boost/json/parse.hpp>

#include <atomic>

namespace netbox::component {
namespace {

namespace json = boost::json;
using http_client = netbox::client;

class client_api : public component_test {};

TEST_F(client_api, status_returns_the_json_document) {
    test_server server([](const received_request& r) {
        if (r.target != "/api/status/") return json_reply(404, R"({"detail":"Not found."})");
        return json_reply(200, R"({"netbox-version":"4.5.2","django-version":"5.2","plugins":{}})");
    });
    http_client c(io.get_executor(), options_for(server.url()));
    auto v = run(c.status());
    EXPECT_EQ(v.at("netbox-version").as_string(), "4.5.2");
    ASSERT_EQ(server.requests().size(), 1u);
    EXPECT_EQ(server.requests()[0].method, "GET");
}

TEST_F(client_api, status_needs_a_2xx) {
    test_server server([](const received_request&) { return json_reply(403, R"({"detail":"Invalid token"})"); });
    http_client c(io.get_executor(), options_for(server.url()));
    auto v = run(c.try_status());
    EXPECT_NETBOX_ERROR(v, errc::http_status);
    ASSERT_TRUE(v.has_error());
    EXPECT_EQ(v.error().status, 403);
    EXPECT_EQ(v.error().detail, "Invalid token");
}

TEST_F(client_api, version_from_the_api_version_header_also_on_403) {
    std::atomic<int> status{200};
    test_server server([&](const received_request& r) {
        if (r.target != "/api/") return json_reply(404, "{}");
        return json_reply(status.load(), status == 200 ? R"({"dcim":"..."})" : R"({"detail":"Authentication required"})",
                          {{"API-Version", "4.5"}});
    });
    http_client c(io.get_executor(), options_for(server.url()));
    EXPECT_EQ(run(c.version()), "4.5");
    status = 403;
    EXPECT_EQ(run(c.version()), "4.5");
    EXPECT_EQ(server.requests().size(), 2u);
}

TEST_F(client_api, version_without_the_header) {
    std::atomic<int> status{200};
    test_server server([&](const received_request&) { return json_reply(status.load(), "{}"); });
    http_client c(io.get_executor(), options_for(server.url()));
    EXPECT_NETBOX_ERROR(run(c.try_version()), errc::unsupported);
    status = 403;
    EXPECT_NETBOX_ERROR(run(c.try_version()), errc::http_status);
}

TEST_F(client_api, openapi_is_fetched_once) {
    test_server server([](const received_request& r) {
        if (r.target != "/api/schema/?format=json") return json_reply(404, "{}");
        return json_reply(200, R"({"openapi":"3.0.3","info":{"version":"4.5.2"}})",
                          {{"Content-Type", "application/vnd.oai.openapi+json"}});
    });
    http_client c(io.get_executor(), options_for(server.url()));
    auto first = run(c.openapi());
    EXPECT_EQ(first.at("openapi").as_string(), "3.0.3");
    auto second = run(c.openapi());
    EXPECT_EQ(first, second);
    EXPECT_EQ(server.requests().size(), 1u);
}

TEST_F(client_api, openapi_failure_is_not_memoized) {
    std::atomic<int> calls{0};
    test_server server([&](const received_request&) {
        if (calls++ == 0) return json_reply(403, R"({"detail":"no"})");
        return json_reply(200, R"({"openapi":"3.0.3"})");
    });
    http_client c(io.get_executor(), options_for(server.url()));
    EXPECT_NETBOX_ERROR(run(c.try_openapi()), errc::http_status);
    EXPECT_EQ(run(c.openapi()).at("openapi").as_string(), "3.0.3");
    EXPECT_EQ(server.requests().size(), 2u);
}

/// Answers POST /api/users/tokens/provision/ with `answer`; echoes Authorization elsewhere.
test::handler provisioning(std::string answer) {
    return [answer](const received_request& r) {
        if (r.target == "/api/users/tokens/provision/") {
            if (r.method != "POST") return json_reply(405, "{}");
            return json_reply(201, answer);
        }
        return json_reply(200, "{}");
    };
}

TEST_F(client_api, create_token_v1_shape_of_netbox_4_3) {
    const std::string key = "0123456789abcdef0123456789abcdef01234567";
    test_server server(provisioning(R"({"id":5,"key":")" + key + R"(","write_enabled":true})"));
    http_client c(io.get_executor(), options_for(server.url()));

    token_request options;
    options.description = "ci";
    auto g = run(c.create_token("admin", "pa ss\"word", options));
    EXPECT_EQ(g.version, token_version::v1);
    EXPECT_EQ(g.id, 5);
    EXPECT_EQ(g.token, key);
    EXPECT_EQ(g.raw.at("key").as_string(), key);

    run(c.request(http_method::get, "/api/dcim/sites/"));
    const auto received = server.requests();
    ASSERT_EQ(received.size(), 2u);
    EXPECT_FALSE(received[0].has_header("Authorization"));
    EXPECT_EQ(received[0].header("Content-Type"), "application/json");
    const auto body = json::parse(received[0].body);
    EXPECT_EQ(body.at("username").as_string(), "admin");
    EXPECT_EQ(body.at("password").as_string(), "pa ss\"word");
    EXPECT_EQ(body.at("description").as_string(), "ci");
    EXPECT_EQ(received[1].header("Authorization"), "Token " + key);
}

// A provisioning answer that is not what the client understands still holds a fresh secret: the
// error must not carry it in its excerpt or its text.
TEST_F(client_api, an_unusable_provisioning_answer_keeps_its_secret_out_of_the_error) {
    test_server server(provisioning(R"({"id":7,"version":2,"token":"FRESH-SECRET-0123456789"})"));
    http_client c(io.get_executor(), options_for(server.url()));
    auto g = run(c.try_create_token("admin", "pw"));
    ASSERT_FALSE(g.has_value());
    EXPECT_EQ(g.error().code, errc::protocol_error);
    EXPECT_TRUE(g.error().body_excerpt.empty());
    EXPECT_EQ(g.error().what().find("FRESH-SECRET"), std::string::npos) << g.error().what();
}

TEST_F(client_api, create_token_v2_shape_of_netbox_4_5) {
    test_server server(provisioning(R"({"id":6,"version":2,"key":"k3y","token":"s3cr3t","write_enabled":true})"));
    auto o = options_for(server.url());
    o.token = "old-token";
    http_client c(io.get_executor(), o);
    token_request options;
    options.version = token_version::v2;
    auto g = run(c.create_token("admin", "pw", options));
    EXPECT_EQ(g.version, token_version::v2);
    EXPECT_EQ(g.id, 6);
    EXPECT_EQ(g.key, "k3y");
    EXPECT_EQ(g.token, "nbt_k3y.s3cr3t");

    run(c.request(http_method::get, "/api/dcim/sites/"));
    const auto received = server.requests();
    ASSERT_EQ(received.size(), 2u);
    EXPECT_EQ(json::parse(received[0].body).at("version").as_int64(), 2);
    EXPECT_FALSE(received[0].has_header("Authorization"));  // the password authenticates, not the old token
    EXPECT_EQ(received[1].header("Authorization"), "Bearer nbt_k3y.s3cr3t");
}

TEST_F(client_api, create_token_without_adopt_keeps_the_old_token) {
    test_server server(provisioning(R"({"id":6,"version":2,"key":"k","token":"s"})"));
    auto o = options_for(server.url());
    o.token = "old-token";
    http_client c(io.get_executor(), o);
    token_request options;
    options.adopt = false;
    EXPECT_EQ(run(c.create_token("admin", "pw", options)).token, "nbt_k.s");
    run(c.request(http_method::get, "/api/"));
    EXPECT_EQ(server.requests().at(1).header("Authorization"), "Token old-token");
}

TEST_F(client_api, create_token_rejected_credentials) {
    test_server server([](const received_request&) { return json_reply(403, R"({"detail":"Invalid credentials"})"); });
    http_client c(io.get_executor(), options_for(server.url()));
    auto g = run(c.try_create_token("admin", "wrong"));
    EXPECT_NETBOX_ERROR(g, errc::http_status);
    ASSERT_TRUE(g.has_error());
    EXPECT_EQ(g.error().detail, "Invalid credentials");
    EXPECT_EQ(std::string(g.error().what()).find("wrong"), std::string::npos);
}

TEST_F(client_api, probe_connection_200_and_403) {
    std::atomic<int> status{200};
    test_server server([&](const received_request&) {
        return json_reply(status.load(), status == 200 ? "{}" : R"({"detail":"Authentication credentials were not provided."})",
                          {{"API-Version", "4.4"}});
    });
    http_client c(io.get_executor(), options_for(server.url()));
    auto ok = run(c.probe_connection());
    EXPECT_TRUE(ok.reachable);
    EXPECT_TRUE(ok.authenticated);
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(ok.api_version, "4.4");
    EXPECT_TRUE(ok.error.empty()) << ok.error;

    status = 403;
    auto denied = run(c.probe_connection());
    EXPECT_TRUE(denied.reachable);
    EXPECT_FALSE(denied.authenticated);
    EXPECT_EQ(denied.status, 403);
    EXPECT_EQ(denied.api_version, "4.4");
    EXPECT_FALSE(denied.error.empty());
    ASSERT_EQ(server.requests().size(), 2u);
    EXPECT_EQ(server.requests()[0].target, "/api/");
}

TEST_F(client_api, probe_connection_closed_port) {
    std::string url;
    {
        test_server gone([](const received_request&) { return json_reply(200, "{}"); });
        url = gone.url();
    }  // stopped: its port now refuses connections
    http_client c(io.get_executor(), options_for(url));
    auto p = run(c.probe_connection());
    EXPECT_FALSE(p.reachable);
    EXPECT_FALSE(p.authenticated);
    EXPECT_EQ(p.status, 0);
    EXPECT_FALSE(p.error.empty());
}

TEST_F(client_api, graphql_posts_to_graphql_and_returns_data) {
    test_server server([](const received_request& r) {
        if (r.target != "/graphql/" || r.method != "POST") return json_reply(404, "{}");
        return json_reply(200, R"({"data":{"site_list":[{"name":"a"}]}})");
    });
    http_client c(io.get_executor(), options_for(server.url()));
    auto data = run(c.graphql("query($n: String){site_list(filters:{name:$n}){name}}", {{"n", "a"}}));
    EXPECT_EQ(data.at("site_list").at(0).at("name").as_string(), "a");
    ASSERT_EQ(server.requests().size(), 1u);
    const auto body = json::parse(server.requests()[0].body);
    EXPECT_EQ(body.at("query").as_string(), "query($n: String){site_list(filters:{name:$n}){name}}");
    EXPECT_EQ(body.at("variables").at("n").as_string(), "a");
}

TEST_F(client_api, graphql_errors_in_a_200_are_graphql_error) {
    test_server server([](const received_request&) {
        return json_reply(200, R"({"data":null,"errors":[{"message":"Cannot query field 'nope'"},{"message":"second"}]})");
    });
    http_client c(io.get_executor(), options_for(server.url()));
    auto r = run(c.try_graphql("{nope}"));
    EXPECT_NETBOX_ERROR(r, errc::graphql_error);
    ASSERT_TRUE(r.has_error());
    EXPECT_NE(r.error().detail.find("Cannot query field 'nope'"), std::string::npos) << r.error().detail;
    EXPECT_NE(r.error().detail.find("second"), std::string::npos) << r.error().detail;
    EXPECT_EQ(r.error().status, 200);
    try {
        run(c.graphql("{nope}"));
        ADD_FAILURE() << "no exception";
    } catch (const api_error& e) {
        EXPECT_EQ(e.code(), make_error_code(errc::graphql_error));
    }
}

}  // namespace
}  // namespace netbox::component
