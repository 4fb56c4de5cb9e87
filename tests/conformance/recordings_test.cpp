// Conformance of netbox::client with real NetBox 4.3, 4.4 and 4.5 servers, replayed from the
// recordings in ../shared/netbox-recordings/<version>/ (see replay_server.hpp).
//
// Two directions are checked: the client understands what NetBox answers (helpers, error
// decoding, headers), and it sends what NetBox expects (Authorization scheme, Accept, trailing
// slashes, /graphql/ outside /api/, request bodies).
#include "replay_server.hpp"

#include "support/shared_dir.hpp"

#include <netbox/client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;
using netbox::errc;
using netbox::http_method;
using netbox::token_version;
using netbox::test::recording;
using netbox::test::replay_server;

// Made-up credentials of the right shapes; the recordings have their Authorization redacted.
const std::string v1_token = "0123456789abcdef0123456789abcdef01234567";
const std::string v2_token = "nbt_AbCdEfGhIjKl.s3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3tAb";

/// What each recorded server is (README of the recordings).
struct server_facts {
    std::string netbox_version;  ///< /api/status/ netbox-version
    std::string api_version;     ///< API-Version header
    bool v2_tokens;              ///< v2 tokens supported (4.5+)
};

server_facts facts(const std::string& version)
{
    if (version == "4.3")
        return {"4.3.7", "4.3", false};
    if (version == "4.4")
        return {"4.4.10", "4.4", false};
    if (version == "4.5")
        return {"4.5.10", "4.5", true};
    throw std::invalid_argument("no facts for NetBox " + version);
}

http_method method_of(const std::string& m)
{
    if (m == "GET")
        return http_method::get;
    if (m == "HEAD")
        return http_method::head;
    if (m == "POST")
        return http_method::post;
    if (m == "PUT")
        return http_method::put;
    if (m == "PATCH")
        return http_method::patch;
    if (m == "DELETE")
        return http_method::delete_;
    if (m == "OPTIONS")
        return http_method::options;
    throw std::invalid_argument("unknown method " + m);
}

std::string scheme_of(const std::string& authorization)
{
    return authorization.substr(0, authorization.find(' '));
}

std::vector<std::pair<std::string, std::string>> sorted(std::vector<std::pair<std::string, std::string>> p)
{
    std::sort(p.begin(), p.end());
    return p;
}

std::string version_name(const ::testing::TestParamInfo<std::string>& info)
{
    std::string n = "netbox_" + info.param;
    std::replace(n.begin(), n.end(), '.', '_');
    return n;
}

/// A replay server for one NetBox version, an io_context, and clients on it.
class replay_fixture {
protected:
    void start(const std::filesystem::path& dir) { server_ = std::make_unique<replay_server>(dir); }

    netbox::client make_client(std::string token = {}, token_version kind = token_version::automatic)
    {
        netbox::client_options options;
        options.base_url = server_->url();
        options.token = std::move(token);
        options.token_kind = kind;
        options.retry.max_attempts = 1;  // one request, one recording
        options.retry.sleeper = [](netbox::milliseconds) { return netbox::milliseconds(0); };
        options.timeouts.overall = 15s;
        return netbox::client(io_.get_executor(), std::move(options));
    }

    /// Runs `op` on io_ until it completes (at most 20 s).
    template <class T>
    T run(asio::awaitable<T> op)
    {
        auto future = asio::co_spawn(io_, std::move(op), asio::use_future);
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        while (future.wait_for(0s) != std::future_status::ready) {
            if (std::chrono::steady_clock::now() > deadline)
                throw std::runtime_error("client operation did not finish within 20 s");
            io_.restart();
            io_.run_one_for(20ms);
        }
        return future.get();
    }

    asio::io_context io_;
    std::unique_ptr<replay_server> server_;
};

class conformance : public ::testing::TestWithParam<std::string>, protected replay_fixture {
protected:
    void SetUp() override
    {
        NETBOX_REQUIRE_SHARED(dir, std::filesystem::path("netbox-recordings") / GetParam());
        start(dir);
        facts_ = facts(GetParam());
    }

    const recording& rec(std::string_view name) const { return server_->get(name); }

    server_facts facts_;
};

INSTANTIATE_TEST_SUITE_P(recorded, conformance, ::testing::Values("4.3", "4.4", "4.5"), version_name);

// ---------------------------------------------------------------------------------------------
// Helpers

TEST_P(conformance, status_gives_the_recorded_netbox_version)
{
    auto client = make_client(v1_token);
    const json::value status = run(client.status());
    EXPECT_EQ(status.at("netbox-version").as_string(), facts_.netbox_version);
    EXPECT_EQ(status, rec("status").response_body);
    EXPECT_EQ(server_->last_served(), "status");
    EXPECT_EQ(server_->last_request().target, "/api/status/");
}

TEST_P(conformance, version_gives_the_api_version_header_of_the_api_root)
{
    auto client = make_client(v1_token);
    EXPECT_EQ(run(client.version()), facts_.api_version);
    EXPECT_EQ(rec("api-root").response_header("API-Version"), facts_.api_version);
    EXPECT_EQ(server_->last_served(), "api-root");
    EXPECT_EQ(server_->last_request().target, "/api/");
}

TEST_P(conformance, version_works_when_the_api_root_answers_403)
{
    // NetBox sends API-Version on a 403 too, so version() needs no valid token.
    server_->answer_with("GET", "/api/", "no-token-403", 1);
    auto client = make_client();
    auto v = run(client.try_version());
    ASSERT_TRUE(v.has_value()) << v.error().what();
    EXPECT_EQ(*v, facts_.api_version);
    EXPECT_EQ(server_->last_served(), "no-token-403");
    EXPECT_FALSE(server_->last_request().has_header("Authorization"));
}

TEST_P(conformance, probe_connection_with_a_valid_token)
{
    auto client = make_client(v1_token);
    const netbox::probe_result p = run(client.probe_connection());
    EXPECT_TRUE(p.reachable);
    EXPECT_TRUE(p.authenticated);
    EXPECT_EQ(p.status, 200);
    EXPECT_EQ(p.api_version, facts_.api_version);
    EXPECT_EQ(p.error, "");
}

TEST_P(conformance, create_token_default_version)
{
    const recording& r = rec("token-provision");
    auto client = make_client(v1_token);  // provisioning must not send it
    netbox::token_request options;
    options.description = "provisioned by sample";
    const netbox::token_grant g = run(client.create_token("admin", "admin", options));
    EXPECT_EQ(server_->last_served(), "token-provision");
    EXPECT_EQ(g.raw, r.response_body);
    const auto& body = r.response_body.as_object();
    EXPECT_EQ(g.id, body.at("id").as_int64());
    if (facts_.v2_tokens) {
        // 4.5 hands out v2 tokens by default: {"version": 2, "key": ..., "token": ...}.
        ASSERT_EQ(body.at("version").as_int64(), 2);
        EXPECT_EQ(g.version, token_version::v2);
        EXPECT_EQ(g.key, body.at("key").as_string());
        EXPECT_EQ(g.token, "nbt_" + std::string(body.at("key").as_string()) + "."
                               + std::string(body.at("token").as_string()));
    } else {
        // 4.3/4.4: a v1 token whose plaintext is "key".
        EXPECT_EQ(body.if_contains("version"), nullptr);
        EXPECT_EQ(g.version, token_version::v1);
        EXPECT_EQ(g.token, body.at("key").as_string());
        EXPECT_EQ(g.key, "");
    }

    // What the client sent: the provisioning endpoint, a JSON body with the credentials, no token.
    const auto sent = server_->last_request();
    EXPECT_EQ(sent.method, "POST");
    EXPECT_EQ(sent.target, "/api/users/tokens/provision/");
    EXPECT_EQ(sent.header("Content-Type"), "application/json");
    EXPECT_FALSE(sent.has_header("Authorization"));
    const json::value sent_body = json::parse(sent.body);
    EXPECT_EQ(sent_body.at("username"), "admin");
    EXPECT_EQ(sent_body.at("password"), "admin");
    EXPECT_EQ(sent_body.at("description"), "provisioned by sample");
    EXPECT_EQ(sent_body.as_object().if_contains("version"), nullptr);

    // Adopted: the next request carries the new token with the scheme its version needs.
    EXPECT_EQ(run(client.version()), facts_.api_version);
    const std::string auth = server_->last_request().header("Authorization");
    EXPECT_EQ(auth, (facts_.v2_tokens ? "Bearer " : "Token ") + g.token);
}

TEST_P(conformance, create_token_v1)
{
    const recording& r = rec("token-provision-v1");
    auto client = make_client();
    netbox::token_request options;
    options.version = token_version::v1;
    options.description = "provisioned v1";
    const netbox::token_grant g = run(client.create_token("admin", "admin", options));
    EXPECT_EQ(server_->last_served(), "token-provision-v1");
    const auto& body = r.response_body.as_object();
    EXPECT_EQ(g.version, token_version::v1);
    EXPECT_EQ(g.id, body.at("id").as_int64());
    if (facts_.v2_tokens) {
        // 4.5: {"version": 1, "key": null, "token": "<plaintext>"}
        EXPECT_TRUE(body.at("key").is_null());
        EXPECT_EQ(g.token, body.at("token").as_string());
    } else {
        EXPECT_EQ(g.token, body.at("key").as_string());
    }
    EXPECT_EQ(g.token.size(), 40u);

    const json::value sent_body = json::parse(server_->last_request().body);
    EXPECT_EQ(sent_body.at("username"), "admin");
    EXPECT_EQ(sent_body.at("password"), "admin");
    EXPECT_EQ(sent_body.at("version"), 1);

    run(client.version());
    EXPECT_EQ(server_->last_request().header("Authorization"), "Token " + g.token);
}

TEST_P(conformance, create_token_with_a_bad_password)
{
    const recording& r = rec("token-provision-bad-password");
    ASSERT_EQ(r.detail(), "Invalid username/password");
    auto client = make_client();
    auto g = run(client.try_create_token("admin", "wrong"));
    ASSERT_FALSE(g.has_value());
    EXPECT_EQ(server_->last_served(), "token-provision-bad-password");
    EXPECT_EQ(g.error().code, errc::http_status);
    EXPECT_EQ(g.error().status, 403);
    EXPECT_EQ(g.error().detail, "Invalid username/password");
    EXPECT_EQ(g.error().request_id, r.response_header("X-Request-ID"));

    const json::value sent_body = json::parse(server_->last_request().body);
    EXPECT_EQ(sent_body.at("username"), "admin");
    EXPECT_EQ(sent_body.at("password"), "wrong");

    // The throwing form raises api_error carrying the same facts.
    try {
        run(client.create_token("admin", "wrong"));
        ADD_FAILURE() << "create_token() did not throw";
    } catch (const netbox::api_error& e) {
        EXPECT_EQ(e.code(), errc::http_status);
        EXPECT_EQ(e.status(), 403);
        EXPECT_EQ(e.info().detail, "Invalid username/password");
    }
}

TEST_P(conformance, graphql_query_with_lookup_filters)
{
    const recording& r = rec("graphql-query");
    const std::string query(r.request_body.at("query").as_string());
    auto client = make_client(v1_token);
    auto data = run(client.try_graphql(query));
    EXPECT_EQ(server_->last_served(), "graphql-query");

    const auto sent = server_->last_request();
    EXPECT_EQ(sent.method, "POST");
    EXPECT_EQ(sent.target, "/graphql/");  // not /api/graphql/
    EXPECT_EQ(sent.header("Accept"), "application/json");
    EXPECT_EQ(sent.header("Content-Type"), "application/json");
    EXPECT_EQ(json::parse(sent.body), r.request_body);

    if (facts_.v2_tokens) {
        // 4.5 understands {status: {exact: ...}}.
        ASSERT_TRUE(data.has_value()) << data.error().what();
        EXPECT_EQ(*data, r.response_body.at("data"));
        EXPECT_EQ(data->at("device_list").as_array().size(), 3u);
    } else {
        // 4.3/4.4 reject it: HTTP 200 with {"data": null, "errors": [...]}.
        ASSERT_FALSE(data.has_value());
        EXPECT_EQ(data.error().code, errc::graphql_error);
        EXPECT_EQ(data.error().status, 200);
        const std::string message(r.response_body.at("errors").at(0).at("message").as_string());
        EXPECT_NE(message.find("cannot represent non-enum value"), std::string::npos);
        EXPECT_EQ(data.error().detail, message);
    }
}

// 4.3 and 4.4 take GraphQL filters in the bare form; 4.5 takes lookup objects and has no such recording.
class bare_filter_graphql : public conformance {};
INSTANTIATE_TEST_SUITE_P(recorded, bare_filter_graphql, ::testing::Values("4.3", "4.4"), version_name);

TEST_P(bare_filter_graphql, query_returns_the_recorded_data)
{
    const recording& r = rec("graphql-query-bare-filter");
    auto client = make_client(v1_token);
    auto data = run(client.try_graphql(std::string(r.request_body.at("query").as_string())));
    EXPECT_EQ(server_->last_served(), "graphql-query-bare-filter");
    ASSERT_TRUE(data.has_value()) << data.error().what();
    EXPECT_EQ(*data, r.response_body.at("data"));
    EXPECT_EQ(data->at("device_list").as_array().size(), 3u);
    EXPECT_EQ(server_->last_request().target, "/graphql/");
}

// ---------------------------------------------------------------------------------------------
// Error decoding

TEST_P(conformance, validation_400_gives_field_errors)
{
    const recording& r = rec("create-validation-400");
    auto client = make_client(v1_token);
    auto resp = run(client.try_request(http_method::post, "/api/dcim/devices/", {},
                                       json::value{{"name", "broken-device"}, {"status", "bogus"}}));
    ASSERT_TRUE(resp.has_value()) << resp.error().what();
    EXPECT_EQ(server_->last_served(), "create-validation-400");
    EXPECT_EQ(resp->status, 400);
    EXPECT_EQ(resp->api_version(), facts_.api_version);

    auto checked = resp->check_status();
    ASSERT_FALSE(checked.has_value());
    const netbox::error& e = checked.error();
    EXPECT_EQ(e.code, errc::http_status);
    EXPECT_EQ(e.status, 400);
    EXPECT_EQ(e.detail, "");
    EXPECT_EQ(e.request_id, r.response_header("X-Request-ID"));
    std::map<std::string, std::vector<std::string>> fields;
    for (const auto& f : e.field_errors)
        fields[f.field] = f.messages;
    const std::map<std::string, std::vector<std::string>> expected{
        {"device_type", {"This field is required."}},
        {"role", {"This field is required."}},
        {"site", {"This field is required."}},
        {"status", {"bogus is not a valid choice."}},
    };
    EXPECT_EQ(fields, expected);
    EXPECT_EQ(e.field_errors.size(), r.response_body.as_object().size());
}

TEST_P(conformance, not_found_404_gives_the_detail)
{
    const recording& r = rec("not-found-404");
    auto client = make_client(v1_token);
    auto resp = run(client.try_request(http_method::get, "/api/dcim/devices/99999/"));
    ASSERT_TRUE(resp.has_value()) << resp.error().what();
    EXPECT_EQ(server_->last_served(), "not-found-404");
    EXPECT_EQ(resp->status, 404);
    auto checked = resp->check_status();
    ASSERT_FALSE(checked.has_value());
    EXPECT_EQ(checked.error().code, errc::http_status);
    EXPECT_EQ(checked.error().status, 404);
    EXPECT_EQ(checked.error().detail, "No Device matches the given query.");
    EXPECT_EQ(checked.error().detail, r.detail());
    EXPECT_TRUE(checked.error().field_errors.empty());
    try {
        resp->raise_for_status();
        ADD_FAILURE() << "raise_for_status() did not throw";
    } catch (const netbox::api_error& ex) {
        EXPECT_EQ(ex.status(), 404);
        EXPECT_NE(std::string(ex.what()).find("No Device matches the given query."), std::string::npos);
    }
}

// Every recording, replayed through try_request() with what was sent when it was recorded:
// the response must decode as recorded and the request must look like the recorded one.
TEST_P(conformance, every_recording_round_trips)
{
    ASSERT_GE(server_->recordings().size(), 30u);
    for (const recording& r : server_->recordings()) {
        SCOPED_TRACE("recording " + r.name);
        server_->answer_with(r.method, r.path, r.name, 1);

        std::string token;
        token_version kind = token_version::automatic;
        if (r.auth_scheme() == "Token") {
            token = v1_token;
        } else if (r.auth_scheme() == "Bearer") {
            token = r.name == "v1-token-as-bearer" ? v1_token : v2_token;
            kind = token_version::v2;
        }
        auto client = make_client(token, kind);

        netbox::payload body;
        if (!r.request_body.is_null())
            body = r.request_body;
        netbox::request_options options;
        for (const auto& [key, value] : r.request_headers)
            if (key != "Accept" && key != "Authorization" && key != "Content-Type")
                options.headers.set(std::string(key), std::string(value.as_string()));

        const std::size_t before = server_->requests().size();
        auto resp = run(client.try_request(method_of(r.method), r.path, r.query, std::move(body), options));
        ASSERT_TRUE(resp.has_value()) << resp.error().what();
        ASSERT_EQ(server_->requests().size(), before + 1);
        EXPECT_EQ(server_->last_served(), r.name);

        // The answer, as the client sees it.
        EXPECT_EQ(resp->status, r.status);
        EXPECT_EQ(resp->api_version(), r.response_header("API-Version"));
        EXPECT_EQ(resp->request_id(), r.response_header("X-Request-ID"));
        // API-Version on every /api/ answer, errors included; none on /graphql/.
        EXPECT_EQ(resp->api_version(), r.path.starts_with("/api/") ? facts_.api_version : "");
        auto decoded = resp->try_json();
        ASSERT_TRUE(decoded.has_value()) << decoded.error().what();
        if (r.method == "HEAD") {
            EXPECT_EQ(resp->body, "");
            EXPECT_TRUE(decoded->is_null());
        } else if (r.has_json_body()) {
            EXPECT_EQ(*decoded, r.response_body);
        } else {
            EXPECT_EQ(resp->body, r.body_text());
            EXPECT_TRUE(decoded->is_null());
        }
        auto checked = resp->check_status();
        const bool success = r.status >= 200 && r.status < 300;
        EXPECT_EQ(checked.has_value(), success);
        if (!success && checked.has_error()) {
            EXPECT_EQ(checked.error().code, errc::http_status);
            EXPECT_EQ(checked.error().status, r.status);
            EXPECT_EQ(checked.error().detail, r.detail());
            EXPECT_EQ(checked.error().request_id, r.response_header("X-Request-ID"));
        }

        // The request, as NetBox saw it.
        const auto sent = server_->last_request();
        auto [path, query] = netbox::test::split_target(sent.target);
        EXPECT_EQ(sent.method, r.method);
        EXPECT_EQ(path, r.path);
        EXPECT_TRUE(path.ends_with("/")) << path;
        EXPECT_EQ(sorted(query), sorted(r.query));
        EXPECT_EQ(sent.header("Accept"), "application/json");
        EXPECT_EQ(scheme_of(sent.header("Authorization")), r.auth_scheme());
        if (!r.request_body.is_null()) {
            EXPECT_EQ(sent.header("Content-Type"), "application/json");
            EXPECT_EQ(json::parse(sent.body), r.request_body);
        } else {
            EXPECT_EQ(sent.body, "");
        }
        for (const auto& [key, value] : r.request_headers) {
            if (key != "Accept" && key != "Authorization" && key != "Content-Type") {
                EXPECT_EQ(sent.header(key), value.as_string()) << key;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What the client sends

TEST_P(conformance, v1_token_is_sent_with_the_token_scheme)
{
    auto client = make_client(v1_token);
    run(client.status());
    const auto sent = server_->last_request();
    EXPECT_EQ(sent.header("Authorization"), "Token " + v1_token);
    EXPECT_EQ(sent.header("Accept"), "application/json");
    EXPECT_EQ(sent.target, "/api/status/");
}

TEST_P(conformance, v2_token_is_sent_with_the_bearer_scheme)
{
    auto client = make_client(v2_token);
    run(client.status());
    const auto sent = server_->last_request();
    EXPECT_EQ(sent.header("Authorization"), "Bearer " + v2_token);
    EXPECT_TRUE(sent.header("Authorization").starts_with("Bearer nbt_"));
    EXPECT_EQ(sent.header("Accept"), "application/json");
}

TEST_P(conformance, anonymous_client_sends_no_authorization)
{
    auto client = make_client();
    auto resp = run(client.try_request(http_method::get, "/api/dcim/devices/", {{"limit", "1"}}));
    ASSERT_TRUE(resp.has_value()) << resp.error().what();
    EXPECT_EQ(server_->last_served(), "no-token-403");
    EXPECT_FALSE(server_->last_request().has_header("Authorization"));
}

TEST_P(conformance, gunicorn_connection_close_is_honoured)
{
    const recording& r = rec("device-detail-under-gunicorn");
    ASSERT_EQ(r.response_header("Connection"), "close");
    server_->answer_with("GET", "/api/dcim/devices/1/", r.name);
    auto client = make_client(v1_token);
    for (int i = 0; i < 3; ++i) {
        auto resp = run(client.try_request(http_method::get, "/api/dcim/devices/1/"));
        ASSERT_TRUE(resp.has_value()) << resp.error().what();
        EXPECT_EQ(resp->status, 200);
        EXPECT_EQ(resp->json().at("name"), "sw01.ber-dc1");
    }
    // gunicorn closes after every answer: each request needed a fresh connection.
    EXPECT_EQ(server_->connections_accepted(), 3u);
}

// ---------------------------------------------------------------------------------------------
// The replay server itself fails loudly.

TEST_P(conformance, replay_server_answers_599_to_unknown_and_ambiguous_requests)
{
    auto client = make_client(v1_token);
    auto unknown = run(client.try_request(http_method::get, "/api/nothing/here/"));
    ASSERT_TRUE(unknown.has_value());
    EXPECT_EQ(unknown->status, 599);
    EXPECT_NE(unknown->check_status().error().detail.find("no recording matches GET /api/nothing/here/"),
              std::string::npos);
    EXPECT_EQ(server_->last_served(), "");

    auto ambiguous = run(client.try_request(http_method::get, "/api/dcim/devices/1/"));
    ASSERT_TRUE(ambiguous.has_value());
    EXPECT_EQ(ambiguous->status, 599);
    EXPECT_NE(ambiguous->check_status().error().detail.find("ambiguous"), std::string::npos);

    auto wrong_query = run(client.try_request(http_method::get, "/api/status/", {{"x", "1"}}));
    ASSERT_TRUE(wrong_query.has_value());
    EXPECT_EQ(wrong_query->status, 599);
}

// ---------------------------------------------------------------------------------------------
// Authentication failures: probe_connection(), try_request() + check_status(), version().

/// NetBox's answer for each case: status and detail.
std::pair<int, std::string> expected_auth_answer(const std::string& version, const std::string& name)
{
    const bool v45 = version == "4.5";
    const std::string not_provided = "Authentication credentials were not provided.";
    if (name == "no-token-403")
        return {403, not_provided};
    if (name == "bad-token-403")
        return {403, v45 ? "Invalid v1 token" : "Invalid token"};
    if (name == "bad-v2-token-403")
        return {403, v45 ? "Invalid v2 token" : not_provided};
    if (name == "v1-token-as-bearer")  // 4.5 infers the version from the token, not the keyword
        return v45 ? std::pair<int, std::string>{200, ""} : std::pair<int, std::string>{403, not_provided};
    throw std::invalid_argument(name);
}

class auth_failures : public ::testing::TestWithParam<std::tuple<std::string, std::string>>,
                      protected replay_fixture {
protected:
    void SetUp() override
    {
        NETBOX_REQUIRE_SHARED(dir, std::filesystem::path("netbox-recordings") / version());
        start(dir);
    }

    std::string version() const { return std::get<0>(GetParam()); }
    std::string name() const { return std::get<1>(GetParam()); }

    netbox::client client_for_case()
    {
        if (name() == "no-token-403")
            return make_client();
        if (name() == "bad-token-403")
            return make_client(v1_token);
        if (name() == "bad-v2-token-403")
            return make_client(v2_token);
        return make_client(v1_token, token_version::v2);  // v1-token-as-bearer
    }
};

INSTANTIATE_TEST_SUITE_P(
    recorded, auth_failures,
    ::testing::Combine(::testing::Values("4.3", "4.4", "4.5"),
                       ::testing::Values("no-token-403", "bad-token-403", "bad-v2-token-403", "v1-token-as-bearer")),
    [](const auto& info) {
        std::string n = "netbox_" + std::get<0>(info.param) + "_" + std::get<1>(info.param);
        std::replace_if(n.begin(), n.end(), [](char c) { return c == '.' || c == '-'; }, '_');
        return n;
    });

TEST_P(auth_failures, recording_is_what_netbox_is_known_to_answer)
{
    const recording& r = server_->get(name());
    const auto [status, detail] = expected_auth_answer(version(), name());
    EXPECT_EQ(r.status, status);
    EXPECT_EQ(r.detail(), detail);
    EXPECT_EQ(r.response_header("API-Version"), version());
}

TEST_P(auth_failures, probe_connection_reports_reachable_but_not_authenticated)
{
    const recording& r = server_->get(name());
    server_->answer_with("GET", "/api/", name(), 1);
    auto client = client_for_case();
    const netbox::probe_result p = run(client.probe_connection());
    EXPECT_EQ(server_->last_served(), name());
    EXPECT_TRUE(p.reachable);
    EXPECT_EQ(p.status, r.status);
    EXPECT_EQ(p.api_version, version());
    if (r.status == 403) {
        EXPECT_FALSE(p.authenticated);
        EXPECT_NE(p.error.find(r.detail()), std::string::npos) << p.error;
        EXPECT_NE(p.error.find("403"), std::string::npos) << p.error;
    } else {
        EXPECT_TRUE(p.authenticated);
        EXPECT_EQ(p.error, "");
    }
    // The scheme the client used is the one recorded.
    EXPECT_EQ(scheme_of(server_->last_request().header("Authorization")), r.auth_scheme());
}

TEST_P(auth_failures, try_request_and_check_status_give_the_detail)
{
    const recording& r = server_->get(name());
    // Token and Bearer variants are told apart by the Authorization scheme; the two Bearer
    // recordings on /api/dcim/sites/ (v1 token as bearer, v2 token) need an explicit choice.
    if (name() == "v1-token-as-bearer")
        server_->answer_with(r.method, r.path, name(), 1);
    auto client = client_for_case();
    auto resp = run(client.try_request(method_of(r.method), r.path, r.query));
    ASSERT_TRUE(resp.has_value()) << resp.error().what();
    EXPECT_EQ(server_->last_served(), name());
    EXPECT_EQ(resp->status, r.status);
    EXPECT_EQ(resp->api_version(), version());
    auto checked = resp->check_status();
    if (r.status == 403) {
        ASSERT_FALSE(checked.has_value());
        EXPECT_EQ(checked.error().code, errc::http_status);
        EXPECT_EQ(checked.error().status, 403);
        EXPECT_EQ(checked.error().detail, r.detail());
        EXPECT_EQ(checked.error().request_id, r.response_header("X-Request-ID"));
        EXPECT_TRUE(checked.error().field_errors.empty());
    } else {
        EXPECT_TRUE(checked.has_value());
        EXPECT_EQ(resp->json().at("count"), 3);
    }
    const auto sent = server_->last_request();
    EXPECT_EQ(scheme_of(sent.header("Authorization")), r.auth_scheme());
    const std::map<std::string, std::string> expected_authorization{
        {"no-token-403", ""},
        {"bad-token-403", "Token " + v1_token},
        {"bad-v2-token-403", "Bearer " + v2_token},
        {"v1-token-as-bearer", "Bearer " + v1_token},
    };
    EXPECT_EQ(sent.header("Authorization"), expected_authorization.at(name()));
}

TEST_P(auth_failures, version_still_works)
{
    server_->answer_with("GET", "/api/", name(), 1);
    auto client = client_for_case();
    auto v = run(client.try_version());
    ASSERT_TRUE(v.has_value()) << v.error().what();
    EXPECT_EQ(*v, version());
}

}  // namespace
