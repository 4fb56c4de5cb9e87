// The simulator's server shell (netbox::testing::simulator) against the real client: NetBox's auth
// texts per version, headers, status/version/token provisioning, GraphQL, connection modes, fault
// injection, the request log, redirects, 404s and requests that are not HTTP.
#include "component/component_support.hpp"
#include "support/http_exchange.hpp"

#include <netbox/testing/simulator.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/parse.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>

#include <unistd.h>

namespace netbox::component {
namespace {

namespace json = boost::json;
namespace sim = netbox::testing;
using http_client = netbox::client;
using break_kind = sim::fault_options::break_kind;
using steady = std::chrono::steady_clock;

constexpr std::string_view not_provided = "Authentication credentials were not provided.";
const std::string v1_token = "0123456789abcdef0123456789abcdef01234567";  // the default token

sim::simulator_options small(std::string version = "4.5") {
    sim::simulator_options o;
    o.version = std::move(version);
    o.devices = 12;
    return o;
}

bool is_uuid4(std::string_view text) {
    static const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    return std::regex_match(text.begin(), text.end(), uuid);
}

std::vector<int> statuses(const sim::simulator& s) {
    std::vector<int> out;
    for (const auto& r : s.requests()) out.push_back(r.status);
    return out;
}

/// Writes `bytes` on a fresh connection, then reads until the server closes it.
std::string raw_exchange(std::uint16_t port, const std::string& bytes, bool close_after_writing = false) {
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    socket.connect({asio::ip::address_v4::loopback(), port});
    asio::write(socket, asio::buffer(bytes));
    if (close_after_writing) socket.shutdown(asio::ip::tcp::socket::shutdown_send);
    std::string reply;
    boost::system::error_code ec;
    asio::read(socket, asio::dynamic_buffer(reply), ec);
    return reply;
}

class simulator_server : public component_test {
protected:
    http_client client_of(const sim::simulator& s, std::string token) {
        auto o = options_for(s.url());
        o.token = std::move(token);
        return http_client(io.get_executor(), o);
    }
    response get(const http_client& c, std::string path, query_params query = {}, request_options options = {}) {
        return run(c.request(http_method::get, std::move(path), std::move(query), {}, std::move(options)));
    }
};

// --- authentication -------------------------------------------------------------------------

TEST_F(simulator_server, authorization_is_answered_as_each_netbox_version_words_it) {
    struct auth_case {
        std::string version;
        std::string authorization;
        int status;
        std::string_view detail;
    };
    const std::vector<auth_case> cases{
        {"4.3", "", 403, not_provided},
        {"4.3", "Token " + v1_token, 200, ""},
        {"4.3", "Token 0000", 403, "Invalid token"},
        {"4.3", "Bearer " + v1_token, 403, not_provided},
        {"4.3", "Bearer nbt_abc.def", 403, not_provided},
        {"4.3", "Token", 403, "Invalid token header. No credentials provided."},
        {"4.4", "Token 0000", 403, "Invalid token"},
        {"4.4", "Bearer " + v1_token, 403, not_provided},
        {"4.5", "", 403, not_provided},
        {"4.5", "Token " + v1_token, 200, ""},
        {"4.5", "Bearer " + v1_token, 200, ""},
        {"4.5", "Token 0000", 403, "Invalid v1 token"},
        {"4.5", "Bearer nbt_abc.def", 403, "Invalid v2 token"},
        {"4.5", "Bearer nbt_abc", 403,
         "Invalid authorization header: Could not parse key from v2 token. Did you mean to use 'Token' instead of 'Bearer'?"},
        {"4.6", "Token 0000", 403, "Invalid v1 token"},
    };
    std::map<std::string, std::unique_ptr<sim::simulator>> servers;
    for (const auto& c : cases) {
        auto& server = servers[c.version];
        if (!server) server = std::make_unique<sim::simulator>(small(c.version));
        http_client anonymous = client_of(*server, "");
        request_options options;
        if (!c.authorization.empty()) options.headers.set("Authorization", c.authorization);
        // LOGIN_REQUIRED: the root and the status need a token as much as any resource.
        for (const char* path : {"/api/", "/api/status/", "/api/dcim/devices/"}) {
            SCOPED_TRACE(c.version + " '" + c.authorization + "' " + path);
            const response r = get(anonymous, path, {}, options);
            EXPECT_EQ(r.status, c.status);
            if (c.status == 403) EXPECT_EQ(r.json().at("detail").as_string(), c.detail);
            EXPECT_EQ(r.api_version(), c.version);
            EXPECT_TRUE(is_uuid4(r.request_id())) << r.request_id();
        }
    }
}

TEST_F(simulator_server, v2_tokens_are_accepted_from_4_5_on) {
    auto options = small("4.5");
    options.tokens = {"nbt_k3yk3yk3yk3y.s3cr3ts3cr3ts3cr3ts3cr3ts3cr3ts3cr3ts3cr3t"};
    sim::simulator s(options);
    EXPECT_EQ(get(client_of(s, s.token()), "/api/status/").status, 200);
    EXPECT_TRUE(s.requests().back().header("Authorization").starts_with("Bearer nbt_"));
    EXPECT_EQ(get(client_of(s, "nbt_k3yk3yk3yk3y.wrong"), "/api/").json().at("detail").as_string(), "Invalid v2 token");
}

TEST_F(simulator_server, a_token_shorter_than_the_v2_prefix_is_a_v1_token) {
    for (const char* version : {"4.3", "4.5"}) {
        SCOPED_TRACE(version);
        auto options = small(version);
        options.tokens = {"abc"};
        const sim::simulator s(options);  // netbox-sim --token abc
        EXPECT_EQ(get(client_of(s, "abc"), "/api/status/").status, 200);
    }
}

// --- the client's helpers ---------------------------------------------------------------------

TEST_F(simulator_server, status_and_version_per_release_line) {
    for (const std::string version : {"4.3", "4.4", "4.5", "4.6"}) {
        SCOPED_TRACE(version);
        sim::simulator s(small(version));
        const http_client c = client_of(s, s.token());
        const json::object status = run(c.status()).as_object();
        EXPECT_TRUE(status.at("netbox-version").as_string().starts_with(version + "."));
        EXPECT_EQ(status.contains("installed-apps"), version == "4.3");  // later: "installed_apps"
        EXPECT_EQ(status.contains("hostname"), version != "4.3");
        EXPECT_EQ(run(c.version()), version);
    }
}

TEST_F(simulator_server, create_token_gives_a_v2_token_by_default_from_4_5_and_the_client_adopts_it) {
    sim::simulator s(small("4.5"));
    const http_client c = client_of(s, "");
    const token_grant v2 = run(c.create_token("admin", "admin"));
    EXPECT_EQ(v2.version, token_version::v2);
    EXPECT_TRUE(v2.token.starts_with("nbt_" + v2.key + "."));
    EXPECT_EQ(v2.raw.at("version").as_int64(), 2);
    EXPECT_EQ(get(c, "/api/status/").status, 200);
    EXPECT_EQ(s.requests().back().header("Authorization"), "Bearer " + v2.token);

    token_request ask_v1;
    ask_v1.version = token_version::v1;
    const token_grant v1 = run(c.create_token("admin", "admin", ask_v1));
    EXPECT_EQ(v1.version, token_version::v1);
    EXPECT_EQ(v1.token.size(), 40u);
    EXPECT_TRUE(v1.raw.at("key").is_null());
    EXPECT_EQ(get(c, "/api/").status, 200);
    EXPECT_EQ(s.requests().back().header("Authorization"), "Token " + v1.token);
    // Provisioning itself is unauthenticated.
    EXPECT_EQ(s.requests().at(0).header("Authorization"), "");
}

// GCC 12 copied a defaulted `= {}` argument bitwise inside a co_await expression, which broke the
// short strings of token_request (free(): invalid pointer). The defaults are now spelled `T()`.
TEST_F(simulator_server, create_token_with_its_default_options_inside_a_coroutine) {
    sim::simulator s(small("4.5"));
    const http_client c = client_of(s, "");
    auto provision = [](http_client client) -> asio::awaitable<std::string> {
        const std::string user = "admin";
        const token_grant grant = co_await client.create_token(user, user);
        co_return grant.token;
    };
    EXPECT_TRUE(run(provision(c)).starts_with("nbt_"));
}

TEST_F(simulator_server, create_token_before_4_5_gives_a_v1_key) {
    sim::simulator s(small("4.4"));
    const http_client c = client_of(s, "");
    const token_grant g = run(c.create_token("admin", "admin"));
    EXPECT_EQ(g.version, token_version::v1);
    EXPECT_TRUE(std::regex_match(g.token, std::regex("[0-9a-f]{40}"))) << g.token;
    EXPECT_EQ(g.raw.at("key").as_string(), g.token);
    EXPECT_FALSE(g.raw.as_object().contains("version"));
    EXPECT_EQ(get(c, "/api/dcim/sites/").status, 200);
}

TEST_F(simulator_server, create_token_with_a_wrong_password_is_refused) {
    sim::simulator s(small("4.5"));
    const auto r = run(client_of(s, "").try_create_token("admin", "wrong"));
    ASSERT_TRUE(r.has_error());
    EXPECT_EQ(r.error().status, 403);
    EXPECT_EQ(r.error().detail, "Invalid username/password");
}

TEST_F(simulator_server, a_read_only_token_cannot_write) {
    sim::simulator s(small("4.5"));
    const http_client c = client_of(s, "");
    token_request read_only;
    read_only.write_enabled = false;
    run(c.create_token("admin", "admin", read_only));
    EXPECT_EQ(get(c, "/api/dcim/sites/").status, 200);
    const response r = run(c.request(http_method::post, "/api/dcim/sites/", {}, json::value{{"name", "x"}, {"slug", "x"}}));
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.json().at("detail").as_string(), "You do not have permission to perform this action.");
}

// --- GraphQL -------------------------------------------------------------------------------------

TEST_F(simulator_server, graphql_list_with_filters_pagination_and_nested_selection) {
    sim::simulator s(small("4.5"));
    const http_client c = client_of(s, s.token());
    const json::value data = run(c.graphql(
        "query { device_list(filters: {status: {exact: STATUS_ACTIVE}}, pagination: {limit: 3}) "
        "{ id name status site { name } interfaces { name } } }"));
    const json::array& devices = data.at("device_list").as_array();
    ASSERT_EQ(devices.size(), 3u);
    for (const json::value& d : devices) {
        EXPECT_TRUE(d.at("id").is_string());  // GraphQL IDs are strings
        EXPECT_EQ(d.at("status").as_string(), "active");
        EXPECT_EQ(d.at("site").as_object().size(), 1u);
        EXPECT_FALSE(d.at("interfaces").as_array().empty());
    }
    EXPECT_EQ(s.requests().back().path, "/graphql/");

    const json::value one = run(c.graphql("query ($id: ID!) { device(id: $id) { name } }", {{"id", devices[0].at("id")}}));
    EXPECT_EQ(one.at("device").at("name"), devices[0].at("name"));
}

TEST_F(simulator_server, graphql_errors_come_inside_a_200_without_api_version) {
    sim::simulator s(small("4.5"));
    const http_client c = client_of(s, s.token());
    const auto r = run(c.try_graphql("query { gadget_list { id } }"));
    EXPECT_NETBOX_ERROR(r, errc::graphql_error);
    if (r.has_error()) EXPECT_EQ(r.error().detail, "Cannot query field 'gadget_list' on type 'Query'.");
    EXPECT_EQ(s.requests().back().status, 200);

    const response raw = run(c.request(http_method::post, "/graphql/", {}, json::value{{"query", "{ site_list { id } }"}}));
    EXPECT_FALSE(raw.header("API-Version"));
    EXPECT_TRUE(is_uuid4(raw.request_id()));
}

TEST_F(simulator_server, graphql_before_4_5_refuses_lookup_objects_on_enums_as_netbox_does) {
    sim::simulator s(small("4.3"));
    const auto r = run(client_of(s, s.token())
                           .try_graphql("query { device_list(pagination: {limit: 3}, filters: {status: {exact: STATUS_ACTIVE}}) "
                                        "{ id name } }"));
    ASSERT_TRUE(r.has_error());
    EXPECT_EQ(r.error().detail, "Enum 'DeviceStatusEnum' cannot represent non-enum value: {exact: STATUS_ACTIVE}. "
                                "Did you mean the enum value 'STATUS_ACTIVE'?");
}

TEST_F(simulator_server, malformed_and_hostile_graphql_documents_are_answered_with_errors) {
    sim::simulator s(small("4.5"));
    const http_client c = client_of(s, s.token());
    const std::vector<std::string> documents{
        "query { site_list { id }",
        "{ device(id: ) { name } }",
        "{ site_list(filters: {name: \"unterminated}) { id } }",
        "mutation { site_list { id } }",
        "query { site_list { ...fields } }",
        "query ($id: ID!) { device(id: $id) { name } }",  // $id not given
        "query " + std::string(100'000, '{'),
        "query ($x: " + std::string(100'000, '[') + "ID) { site_list { id } }",
    };
    for (const std::string& document : documents) {
        SCOPED_TRACE(document.substr(0, 60));
        EXPECT_NETBOX_ERROR(run(c.try_graphql(document)), errc::graphql_error);
    }
    EXPECT_EQ(get(c, "/api/status/").status, 200);
}

// --- connections ---------------------------------------------------------------------------------

TEST_F(simulator_server, keep_alive_by_default_and_connection_close_like_gunicorn) {
    for (const bool close : {false, true}) {
        SCOPED_TRACE(close ? "connection_close" : "keep-alive");
        auto options = small();
        options.connection_close = close;
        sim::simulator s(options);
        const http_client c = client_of(s, s.token());
        for (int i = 0; i < 3; ++i) {
            const response r = get(c, "/api/status/");
            EXPECT_EQ(r.header("Connection") == "close", close);
        }
        std::vector<std::size_t> connections;
        for (const auto& r : s.requests()) connections.push_back(r.connection);
        const std::vector<std::size_t> expected = close ? std::vector<std::size_t>{0, 1, 2} : std::vector<std::size_t>{0, 0, 0};
        EXPECT_EQ(connections, expected);
    }
}

TEST_F(simulator_server, public_url_replaces_the_host_in_absolute_urls_as_a_misconfigured_proxy_does) {
    auto options = small();
    options.public_url = "http://wrong-host:9/netbox";
    sim::simulator s(options);
    const http_client c = client_of(s, s.token());
    const auto page = get(c, "/api/dcim/sites/", {{"limit", "1"}}).json().as_object();
    EXPECT_TRUE(page.at("next").as_string().starts_with("http://wrong-host:9/netbox/api/dcim/sites/?"));
    const auto& site = page.at("results").as_array().at(0).as_object();
    EXPECT_TRUE(site.at("url").as_string().starts_with("http://wrong-host:9/netbox/api/dcim/sites/"));
}

TEST_F(simulator_server, a_request_target_longer_than_max_target_length_gets_414) {
    auto options = small();
    options.max_target_length = 60;
    sim::simulator s(options);
    const http_client c = client_of(s, s.token());
    EXPECT_EQ(get(c, "/api/dcim/sites/", {{"id", "1"}}).status, 200);
    EXPECT_EQ(get(c, "/api/dcim/sites/", {{"id", "1"}, {"id", "2"}, {"id", "3"}, {"id", "4"}, {"id", "5"},
                                          {"id", "6"}, {"id", "7"}, {"id", "8"}, {"id", "9"}}).status, 414);
}

// --- fault injection -----------------------------------------------------------------------------

TEST_F(simulator_server, injected_503s_are_retried_by_the_client) {
    sim::simulator s(small());
    sim::fault_options faults;
    faults.status_sequence = {503, 503};
    s.set_faults(faults);
    const response r = get(client_of(s, s.token()), "/api/status/");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.attempts, 3);
    EXPECT_EQ(statuses(s), (std::vector<int>{503, 503, 200}));
}

TEST_F(simulator_server, injected_statuses_carry_retry_after_and_netbox_bodies) {
    sim::simulator s(small());
    const http_client c = client_of(s, s.token());
    request_options once;
    once.max_attempts = 1;
    sim::fault_options faults;
    faults.status_sequence = {429, 500};
    faults.retry_after_seconds = 7;
    s.set_faults(faults);

    const response throttled = get(c, "/api/dcim/sites/", {}, once);
    EXPECT_EQ(throttled.status, 429);
    EXPECT_EQ(throttled.header("Retry-After"), "7");
    EXPECT_EQ(throttled.api_version(), "4.5");
    const response failed = get(c, "/api/dcim/sites/", {}, once);
    EXPECT_EQ(failed.status, 500);
    for (const char* key : {"error", "exception", "netbox_version", "python_version"})
        EXPECT_TRUE(failed.json().as_object().contains(key)) << key;
    EXPECT_EQ(get(c, "/api/dcim/sites/", {}, once).status, 200);  // the sequence is used up
}

TEST_F(simulator_server, a_reset_before_the_headers_is_retried_for_get_and_maybe_committed_for_post) {
    sim::simulator s(small());
    const http_client c = client_of(s, s.token());
    sim::fault_options faults;
    faults.connection_fault = break_kind::reset_before_headers;
    faults.connection_fault_count = 1;
    s.set_faults(faults);
    const response r = get(c, "/api/status/");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.attempts, 2);
    EXPECT_EQ(statuses(s), (std::vector<int>{0, 200}));

    s.set_faults(faults);
    const auto created =
        run(c.try_request(http_method::post, "/api/dcim/sites/", {}, json::value{{"name", "Lab"}, {"slug", "lab"}}));
    EXPECT_NETBOX_ERROR(created, errc::maybe_committed);
    // It was committed: the server processed the request before breaking the connection.
    EXPECT_EQ(get(c, "/api/dcim/sites/", {{"slug", "lab"}}).json().at("count").as_int64(), 1);
}

TEST_F(simulator_server, truncated_bodies_and_resets_after_the_headers_fail_the_attempt) {
    sim::simulator s(small());
    const http_client c = client_of(s, s.token());
    request_options once;
    once.max_attempts = 1;
    for (const auto kind : {break_kind::truncate_body, break_kind::reset_after_headers}) {
        sim::fault_options faults;
        faults.connection_fault = kind;
        faults.connection_fault_count = 1;
        s.set_faults(faults);
        const auto r = run(c.try_request(http_method::get, "/api/dcim/devices/", {}, {}, once));
        EXPECT_TRUE(r.has_error());
        EXPECT_EQ(get(c, "/api/dcim/devices/", {}, once).status, 200);  // the next one is clean
    }
}

TEST_F(simulator_server, latency_and_slow_bodies_are_bounded) {
    sim::simulator s(small());
    const http_client c = client_of(s, s.token());
    const auto timed = [&](query_params query) {
        const auto start = steady::now();
        EXPECT_EQ(get(c, "/api/dcim/devices/", std::move(query)).status, 200);
        return steady::now() - start;
    };
    sim::fault_options faults;
    faults.latency = 150ms;
    s.set_faults(faults);
    auto took = timed({});
    EXPECT_GE(took, 150ms);
    EXPECT_LT(took, 5s);

    faults = {};
    faults.latency_per_object = std::chrono::microseconds(10'000);
    s.set_faults(faults);
    took = timed({{"limit", "10"}});
    EXPECT_GE(took, 100ms);
    EXPECT_LT(took, 5s);

    faults = {};
    faults.connection_fault = break_kind::slow_body;
    faults.connection_fault_count = 1;
    faults.slow_body_interval = 50ms;
    s.set_faults(faults);
    took = timed({});
    EXPECT_GE(took, 150ms);  // four parts, each after a pause
    EXPECT_LT(took, 5s);
}

// --- the request log, paths --------------------------------------------------------------------

TEST_F(simulator_server, the_request_log_keeps_what_was_sent_with_the_branch_header) {
    sim::simulator s(small());
    const http_client c = client_of(s, s.token());
    request_options branch;
    branch.headers.set("X-NetBox-Branch", "a1b2c3d4");
    run(c.request(http_method::post, "/api/dcim/sites/", {{"brief", "1"}},
                  json::value{{"name", "Branch site"}, {"slug", "branch-site"}}, branch));
    const auto log = s.requests();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].method, "POST");
    EXPECT_EQ(log[0].path, "/api/dcim/sites/");
    EXPECT_EQ(log[0].query, "brief=1");
    EXPECT_EQ(log[0].header("x-netbox-branch"), "a1b2c3d4");
    EXPECT_EQ(json::parse(log[0].body).at("slug").as_string(), "branch-site");
    EXPECT_EQ(log[0].status, 201);
    s.clear_requests();
    EXPECT_TRUE(s.requests().empty());
}

// Sent raw: the netbox client refuses /api/ paths without their slash before anything is sent.
TEST_F(simulator_server, a_missing_trailing_slash_is_redirected_like_django_append_slash) {
    sim::simulator s(small());
    const test::http_reply moved = test::http_exchange(
        s.port(), {"GET", "/api/dcim/devices?limit=2", {{"Authorization", "Token " + s.token()}}, ""});
    EXPECT_EQ(moved.status, 301);
    ASSERT_NE(moved.header("Location"), nullptr);
    EXPECT_EQ(*moved.header("Location"), "/api/dcim/devices/?limit=2");
}

TEST_F(simulator_server, unknown_paths_are_404_with_netbox_headers) {
    sim::simulator s(small());
    const http_client c = client_of(s, s.token());
    for (const char* path : {"/api/nothing/", "/api/dcim/gadgets/", "/api/schema/"}) {
        SCOPED_TRACE(path);
        const response r = get(c, path);
        EXPECT_EQ(r.status, 404);
        EXPECT_EQ(r.json().at("detail").as_string(), "Not found.");
        EXPECT_EQ(r.api_version(), "4.5");
    }
    // No slash and nothing to redirect to: 404 too (sent raw; the client would refuse the path).
    const test::http_reply raw =
        test::http_exchange(s.port(), {"GET", "/api/dcim/gadgets", {{"Authorization", "Token " + s.token()}}, ""});
    EXPECT_EQ(raw.status, 404);
}

TEST_F(simulator_server, the_schema_is_served_from_a_file) {
    const auto file = std::filesystem::temp_directory_path() / ("netbox-sim-schema-" + std::to_string(::getpid()) + ".json");
    std::ofstream(file) << R"({"openapi": "3.0.3", "info": {"version": "4.5.10"}})";
    auto options = small();
    options.schema_file = file.string();
    sim::simulator s(options);
    const json::value schema = run(client_of(s, s.token()).openapi());
    EXPECT_EQ(schema.at("openapi").as_string(), "3.0.3");
    std::filesystem::remove(file);
}

TEST_F(simulator_server, head_announces_the_length_of_the_get_body) {
    sim::simulator s(small());
    const http_client c = client_of(s, s.token());
    const response body = get(c, "/api/dcim/devices/", {{"limit", "1"}});
    const response head = run(c.request(http_method::head, "/api/dcim/devices/", {{"limit", "1"}}));
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.empty());
    EXPECT_EQ(head.header("Content-Length"), std::to_string(body.body.size()));
}

TEST_F(simulator_server, requests_that_are_not_http_or_too_large_get_an_answer_not_a_crash) {
    sim::simulator s(small());
    EXPECT_TRUE(raw_exchange(s.port(), "NOT HTTP AT ALL\r\n\r\n").starts_with("HTTP/1.1 400 "));
    EXPECT_TRUE(raw_exchange(s.port(), "POST /api/dcim/sites/ HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n")
                    .starts_with("HTTP/1.1 413 "));
    EXPECT_TRUE(raw_exchange(s.port(), "GET /api/ HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(100'000, 'a') + "\r\n\r\n")
                    .starts_with("HTTP/1.1 431 "));
    EXPECT_EQ(raw_exchange(s.port(), "POST /api/dcim/sites/ HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc", true), "");
    const std::string bad_json = "POST /api/users/tokens/provision/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                 "Content-Length: 5\r\nConnection: close\r\n\r\n{nope";
    EXPECT_TRUE(raw_exchange(s.port(), bad_json).starts_with("HTTP/1.1 400 "));
    EXPECT_EQ(get(client_of(s, s.token()), "/api/status/").status, 200);  // still serving
}

TEST(simulator, refuses_a_version_that_is_not_compiled_in) {
    sim::simulator_options options;
    options.version = "3.7";
    EXPECT_THROW(sim::simulator{options}, std::runtime_error);
}

}  // namespace
}  // namespace netbox::component
