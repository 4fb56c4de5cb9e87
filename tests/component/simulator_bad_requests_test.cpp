// The simulator against requests no well-behaved client sends: malformed JSON, values of the wrong
// type, bodies too large, unknown paths, a missing trailing slash, unknown filters, invalid
// pagination parameters. Each gets the answer NetBox (Django + DRF) gives, and the server keeps
// serving afterwards. Sent byte for byte with support/http_exchange.hpp, not through the client.
#include "support/http_exchange.hpp"

#include <netbox/testing/simulator.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace json = boost::json;
namespace sim = netbox::testing;
using netbox::test::http_call;
using netbox::test::http_exchange;
using netbox::test::http_reply;

class simulator_bad_requests : public ::testing::Test {
protected:
    static sim::simulator_options small() {
        sim::simulator_options o;
        o.devices = 12;
        return o;
    }

    http_reply send(std::string method, std::string target, std::string body = {},
                    std::string content_type = "application/json") {
        http_call call{std::move(method), std::move(target), {{"Accept", "application/json"},
                                                              {"Authorization", "Token " + server.token()}},
                       std::move(body)};
        if (!call.body.empty() && !content_type.empty()) call.headers.emplace_back("Content-Type", content_type);
        return http_exchange(server.port(), call);
    }
    http_reply get(std::string target) { return send("GET", std::move(target)); }

    static json::value body_of(const http_reply& r) {
        json::error_code ec;
        json::value v = json::parse(r.body, ec);
        EXPECT_FALSE(ec) << "not JSON: " << r.body.substr(0, 200);
        return v;
    }

    /// The server still answers, with the data unchanged.
    void expect_still_serving() {
        const http_reply r = get("/api/dcim/devices/1/");
        ASSERT_EQ(r.status, 200);
        EXPECT_EQ(body_of(r).at("name"), "sw01.ber-dc1");
        EXPECT_EQ(body_of(get("/api/dcim/devices/?limit=1")).at("count"), 12);
    }

    sim::simulator server{small()};
};

TEST_F(simulator_bad_requests, malformed_json_is_a_drf_parse_error_and_changes_nothing) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"POST", R"({"name": )"},          {"POST", R"({name: "x"})"},
        {"POST", "[1, 2"},                 {"POST", "\xff\xfe\x00garbage"},
        {"PATCH", R"({"name": "x",})"},    {"PUT", "{'name': 'single quotes'}"},
        {"PATCH", R"([{"id": 1, "name": "x"})"},  // bulk, cut short
        {"DELETE", R"([{"id": 1},)"},
    };
    for (const auto& [method, body] : cases) {
        SCOPED_TRACE(method + " " + body);
        const bool bulk = body.starts_with('[') && method != "POST";
        const std::string path = method == "POST" || bulk ? "/api/dcim/devices/" : "/api/dcim/devices/1/";
        const http_reply r = send(method, path, body);
        EXPECT_EQ(r.status, 400);
        const json::value answer = body_of(r);
        ASSERT_TRUE(answer.is_object());
        EXPECT_TRUE(answer.at("detail").as_string().starts_with("JSON parse error - ")) << answer;
        ASSERT_NE(r.header("API-Version"), nullptr);
        EXPECT_EQ(*r.header("API-Version"), "4.5");
        EXPECT_NE(r.header("X-Request-ID"), nullptr);
    }
    expect_still_serving();
}

TEST_F(simulator_bad_requests, values_of_the_wrong_type_get_drf_field_errors) {
    struct wrong_type {
        std::string method, path, body, expected;
    };
    const std::vector<wrong_type> cases = {
        {"POST", "/api/dcim/devices/", R"({"name": "x", "device_type": "abc", "role": 1, "site": 1})",
         R"({"device_type": ["Related objects must be referenced by numeric ID or by dictionary of attributes. Received an unrecognized value: abc"]})"},
        {"POST", "/api/dcim/devices/", R"({"name": "x", "device_type": 999, "role": 1, "site": 1})",
         R"({"device_type": ["Related object not found using the provided numeric ID: 999"]})"},
        {"PATCH", "/api/dcim/racks/1/", R"({"u_height": "tall"})", R"({"u_height": ["A valid integer is required."]})"},
        {"PATCH", "/api/dcim/interfaces/1/", R"({"enabled": "maybe"})", R"({"enabled": ["Must be a valid boolean."]})"},
        {"PATCH", "/api/dcim/devices/1/", R"({"name": ["a", "list"]})", R"({"name": ["Not a valid string."]})"},
        {"PATCH", "/api/dcim/devices/1/", R"({"status": 5})", R"({"status": ["5 is not a valid choice."]})"},
        {"PATCH", "/api/dcim/devices/1/", R"({"tags": "production"})",
         R"({"tags": ["Expected a list of items but got type \"str\"."]})"},
        {"POST", "/api/dcim/sites/", R"("just a string")",
         R"({"non_field_errors": ["Invalid data. Expected a dictionary, but got str."]})"},
        {"POST", "/api/dcim/sites/", "42", R"({"non_field_errors": ["Invalid data. Expected a dictionary, but got int."]})"},
    };
    for (const wrong_type& c : cases) {
        SCOPED_TRACE(c.method + " " + c.path + " " + c.body);
        const http_reply r = send(c.method, c.path, c.body);
        EXPECT_EQ(r.status, 400);
        EXPECT_EQ(body_of(r), json::parse(c.expected));
    }
    expect_still_serving();

    // DRF's IntegerField takes a number written as a string, as NetBox does.
    const http_reply numeric_text = send("PATCH", "/api/dcim/racks/1/", R"({"u_height": "44"})");
    EXPECT_EQ(numeric_text.status, 200);
    EXPECT_EQ(body_of(numeric_text).at("u_height").to_number<double>(), 44.0);
}

TEST_F(simulator_bad_requests, a_body_over_the_limit_is_413_and_the_server_carries_on) {
    // A body announced over the 16 MiB limit is refused once the header is read (NetBox behind
    // nginx answers 413 too); only the header is sent, so the answer cannot be lost to a reset.
    const std::string head = "POST /api/dcim/devices/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                             "Authorization: Token " + server.token() + "\r\nContent-Length: " +
                             std::to_string(17u << 20) + "\r\n\r\n";
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    socket.connect({asio::ip::address_v4::loopback(), server.port()});
    asio::write(socket, asio::buffer(head));
    std::string reply;
    boost::system::error_code ec;
    asio::read(socket, asio::dynamic_buffer(reply), ec);  // until the server closes
    EXPECT_TRUE(reply.starts_with("HTTP/1.1 413 ")) << reply.substr(0, 100);
    expect_still_serving();

    // Large but under the limit: answered normally (a list of 2000 sites, each one invalid).
    std::string many = "[";
    for (int i = 0; i < 2000; ++i) many += std::string(i ? "," : "") + R"({"name": ")" + std::string(400, 'x') + "\"}";
    many += "]";
    const http_reply r = send("POST", "/api/dcim/sites/", many);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(body_of(r).as_array().size(), 2000u);
}

TEST_F(simulator_bad_requests, unknown_paths_are_404_and_unknown_ids_name_the_model) {
    for (const char* target : {"/api/nothing/", "/api/dcim/gadgets/", "/api/dcim/gadgets/1/", "/api/dcim/devices/1/nonsense/"}) {
        SCOPED_TRACE(target);
        const http_reply r = get(target);
        EXPECT_EQ(r.status, 404);
        EXPECT_EQ(body_of(r), json::parse(R"({"detail": "Not found."})"));
        EXPECT_NE(r.header("API-Version"), nullptr);
    }
    // An id that is not a number or not there: Django's get_object_or_404.
    for (const char* target : {"/api/dcim/devices/99999/", "/api/dcim/devices/abc/", "/api/dcim/devices/-1/"}) {
        SCOPED_TRACE(target);
        const http_reply r = get(target);
        EXPECT_EQ(r.status, 404);
        EXPECT_EQ(body_of(r), json::parse(R"({"detail": "No Device matches the given query."})"));
    }
    // Outside /api/: Django's HTML 404, no API-Version.
    const http_reply page = get("/no/such/page/");
    EXPECT_EQ(page.status, 404);
    EXPECT_EQ(page.header("API-Version"), nullptr);
}

TEST_F(simulator_bad_requests, a_missing_trailing_slash_is_a_301_to_the_slashed_path_keeping_the_query) {
    for (const char* method : {"GET", "HEAD"}) {
        SCOPED_TRACE(method);
        const http_reply r = send(method, "/api/dcim/devices?site=ber-dc1&limit=2");
        EXPECT_EQ(r.status, 301);
        ASSERT_NE(r.header("Location"), nullptr);
        EXPECT_EQ(*r.header("Location"), "/api/dcim/devices/?site=ber-dc1&limit=2");
    }
    const http_reply detail = get("/api/dcim/devices/1");
    EXPECT_EQ(detail.status, 301);
    EXPECT_EQ(*detail.header("Location"), "/api/dcim/devices/1/");
}

TEST_F(simulator_bad_requests, a_redirect_location_keeps_the_path_percent_encoded) {
    // Built from the decoded path, %0D%0A would end the Location header and start another.
    const http_reply r = get("/api/dcim/devices/1%0D%0AX-Injected:%20yes?brief=1");
    EXPECT_EQ(r.status, 301);
    EXPECT_EQ(r.header("X-Injected"), nullptr);
    ASSERT_NE(r.header("Location"), nullptr);
    EXPECT_EQ(*r.header("Location"), "/api/dcim/devices/1%0D%0AX-Injected:%20yes/?brief=1");
    expect_still_serving();
}

TEST_F(simulator_bad_requests, unknown_filters_are_ignored) {
    const json::value all = body_of(get("/api/dcim/devices/?limit=1"));
    const http_reply r = get("/api/dcim/devices/?limit=1&no_such_filter=1&colour=blue");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(body_of(r).at("count"), all.at("count"));
}

TEST_F(simulator_bad_requests, an_invalid_limit_or_offset_falls_back_to_the_default) {
    // NetBox's OptionalLimitOffsetPagination: a limit that is not a non-negative integer means the
    // default page size (PAGINATE_COUNT, 50 here more than the 12 devices); an invalid offset is 0.
    for (const char* query : {"limit=abc", "limit=-5", "limit=", "limit=1.5"}) {
        SCOPED_TRACE(query);
        const http_reply r = get(std::string("/api/dcim/devices/?") + query);
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(body_of(r).at("results").as_array().size(), 12u);
    }
    for (const char* query : {"limit=2&offset=abc", "limit=2&offset=-3"}) {
        SCOPED_TRACE(query);
        const json::value page = body_of(get(std::string("/api/dcim/devices/?") + query));
        EXPECT_EQ(page.at("results").as_array().at(0).at("id"), 1);
        EXPECT_TRUE(page.at("previous").is_null());
    }
}

TEST_F(simulator_bad_requests, an_offset_beyond_the_count_gives_an_empty_page) {
    const http_reply r = get("/api/dcim/devices/?limit=5&offset=1000");
    EXPECT_EQ(r.status, 200);
    const json::value page = body_of(r);
    EXPECT_EQ(page.at("count"), 12);
    EXPECT_TRUE(page.at("results").as_array().empty());
    EXPECT_TRUE(page.at("next").is_null());
    // DRF steps back from the offset asked for: offset 995.
    const std::string previous(page.at("previous").as_string());
    EXPECT_NE(previous.find("offset=995"), std::string::npos) << previous;
}

}  // namespace
