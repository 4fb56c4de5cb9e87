// The real client against the in-process server: connections, encodings, multipart, headers,
// redirects, URLs.
#include "component/component_support.hpp"

#include "transport/compression.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <thread>

namespace netbox::component {
namespace {

namespace json = boost::json;
using http_client = netbox::client;

class client_http : public component_test {};

reply ok_json(const received_request&) { return json_reply(200, R"({"ok":true})"); }

// --- connections ------------------------------------------------------------------------------

TEST_F(client_http, sequential_requests_reuse_one_keep_alive_connection) {
    test_server server(ok_json);
    http_client c(io.get_executor(), options_for(server.url()));
    for (int i = 0; i < 5; ++i) {
        auto r = run(c.request(http_method::get, "/api/status/"));
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.attempts, 1);
    }
    EXPECT_EQ(server.connections_accepted(), 1u);
    ASSERT_EQ(server.requests().size(), 5u);
    for (const auto& r : server.requests()) EXPECT_EQ(r.connection_index, 0u);
}

TEST_F(client_http, concurrent_requests_never_open_more_than_max_connections) {
    test_server server([](const received_request&) {
        reply r = json_reply(200, R"({"ok":true})");
        r.delay = 20ms;  // keeps the requests overlapping
        return r;
    });
    auto o = options_for(server.url());
    o.pool.max_connections = 2;
    http_client c(io.get_executor(), o);

    constexpr int n = 10;
    std::vector<std::future<response>> results;
    for (int i = 0; i < n; ++i)
        results.push_back(asio::co_spawn(io, c.request(http_method::get, "/api/dcim/sites/"), asio::use_future));
    drive_until(io, [&] { return std::ranges::all_of(results, [](auto& f) { return is_ready(f); }); });

    for (auto& f : results) EXPECT_EQ(f.get().status, 200);
    EXPECT_EQ(server.requests().size(), static_cast<std::size_t>(n));
    EXPECT_LE(server.connections_accepted(), 2u);
    EXPECT_EQ(server.connections_accepted(), 2u);  // both slots were used while the others waited
}

// The server drops a connection that stays idle for 50 ms. The client must notice (or retry) and
// must not send the POST twice.
class client_idle_close : public component_test {
protected:
    static server_options closing_idle() {
        server_options so;
        so.close_idle_after = 50ms;
        return so;
    }
    // Setup, not an assertion: give the server time to drop the idle connection.
    static void let_server_drop_idle_connection() { std::this_thread::sleep_for(500ms); }
};

TEST_F(client_idle_close, next_get_succeeds_on_a_new_connection) {
    test_server server(ok_json, closing_idle());
    http_client c(io.get_executor(), options_for(server.url()));
    EXPECT_EQ(run(c.request(http_method::get, "/api/status/")).status, 200);
    let_server_drop_idle_connection();
    auto r = run(c.try_request(http_method::get, "/api/status/"));
    ASSERT_TRUE(r.has_value()) << r.error().what();
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(server.requests().size(), 2u);
    EXPECT_EQ(server.connections_accepted(), 2u);
}

TEST_F(client_idle_close, next_post_succeeds_and_is_sent_once) {
    test_server server([](const received_request& r) { return json_reply(r.method == "POST" ? 201 : 200, "{}"); },
                       closing_idle());
    http_client c(io.get_executor(), options_for(server.url()));
    EXPECT_EQ(run(c.request(http_method::get, "/api/status/")).status, 200);
    let_server_drop_idle_connection();
    auto r = run(c.try_request(http_method::post, "/api/dcim/sites/", {}, json::value{{"name", "a"}}));
    ASSERT_TRUE(r.has_value()) << r.error().what();
    EXPECT_EQ(r->status, 201);
    EXPECT_EQ(count_method(server, "POST"), 1u);
    EXPECT_EQ(server.connections_accepted(), 2u);
}

// The server promises keep-alive but closes right after each answer: the client either sees the
// close before reusing the connection or retries the GET on a fresh one.
TEST_F(client_http, server_closing_after_a_keep_alive_answer) {
    test_server server([](const received_request&) {
        reply out;
        out.raw = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
        out.close = true;
        return out;
    });
    http_client c(io.get_executor(), options_for(server.url()));
    for (int i = 0; i < 4; ++i) {
        auto r = run(c.try_request(http_method::get, "/api/status/"));
        ASSERT_TRUE(r.has_value()) << r.error().what();
        EXPECT_EQ(r->body, "{}");
    }
    EXPECT_EQ(server.connections_accepted(), server.requests().size());
    EXPECT_GE(server.requests().size(), 4u);
}

TEST_F(client_http, connection_close_server_gets_one_connection_per_request) {
    server_options so;
    so.connection_close = true;  // like gunicorn's sync workers
    test_server server([](const received_request& r) { return json_reply(r.method == "POST" ? 201 : 200, "{}"); }, so);
    auto o = options_for(server.url());
    std::vector<request_event> events;
    o.observer = [&](const request_event& e) { events.push_back(e); };
    http_client c(io.get_executor(), o);

    for (int i = 0; i < 4; ++i) {
        auto r = run(c.try_request(http_method::get, "/api/dcim/sites/"));
        ASSERT_TRUE(r.has_value()) << r.error().what();
        EXPECT_EQ(r->status, 200);
        EXPECT_EQ(r->attempts, 1);
    }
    auto p = run(c.try_request(http_method::post, "/api/dcim/sites/", {}, json::value{{"name", "a"}}));
    ASSERT_TRUE(p.has_value()) << p.error().what();
    EXPECT_EQ(p->status, 201);

    EXPECT_EQ(server.connections_accepted(), 5u);
    const auto received = server.requests();
    ASSERT_EQ(received.size(), 5u);
    for (std::size_t i = 0; i < received.size(); ++i) EXPECT_EQ(received[i].connection_index, i);
    for (const auto& e : events) {
        EXPECT_FALSE(e.error) << e.error.message();
        EXPECT_EQ(e.attempt, 1);
        EXPECT_FALSE(e.will_retry);
    }
}

// --- compression ------------------------------------------------------------------------------

TEST_F(client_http, gzip_and_deflate_bodies_are_decoded) {
    const std::string doc = R"({"results":[{"id":1,"name":")" + std::string(2000, 'x') + R"("}]})";
    test_server server([&](const received_request& r) {
        reply out = json_reply(200, r.target == "/gzip/" ? detail::gzip_compress(doc) : detail::deflate_compress(doc));
        out.headers.emplace_back("Content-Encoding", r.target == "/gzip/" ? "gzip" : "deflate");
        return out;
    });
    http_client c(io.get_executor(), options_for(server.url()));
    for (const char* path : {"/gzip/", "/deflate/"}) {
        SCOPED_TRACE(path);
        auto r = run(c.try_request(http_method::get, path));
        ASSERT_TRUE(r.has_value()) << r.error().what();
        EXPECT_EQ(r->body, doc);
        EXPECT_FALSE(r->header("Content-Encoding").has_value());
        auto v = r->try_json();
        ASSERT_TRUE(v.has_value()) << v.error().what();
        EXPECT_EQ(v->at("results").at(0).at("id").as_int64(), 1);
    }
    for (const auto& r : server.requests()) EXPECT_EQ(r.header("Accept-Encoding"), "gzip, deflate");
}

TEST_F(client_http, no_accept_encoding_when_compression_is_off) {
    test_server server(ok_json);
    auto o = options_for(server.url());
    o.accept_compression = false;
    http_client c(io.get_executor(), o);
    run(c.request(http_method::get, "/api/status/"));
    ASSERT_EQ(server.requests().size(), 1u);
    EXPECT_FALSE(server.requests()[0].has_header("Accept-Encoding"));
}

TEST_F(client_http, decoded_body_over_the_limit_is_body_too_large) {
    test_server server([](const received_request&) {
        reply out = json_reply(200, detail::gzip_compress(std::string(100'000, ' ')));
        out.headers.emplace_back("Content-Encoding", "gzip");
        return out;
    });
    auto o = options_for(server.url());
    o.max_response_bytes = 10'000;  // the compressed body is far smaller than this
    http_client c(io.get_executor(), o);
    EXPECT_NETBOX_ERROR(run(c.try_request(http_method::get, "/api/status/")), errc::body_too_large);
}

// --- multipart --------------------------------------------------------------------------------

struct form_part {
    std::map<std::string, std::string> headers;  // lower-case names
    std::string data;
};

/// A minimal multipart/form-data reader, enough to see what the server would see.
std::vector<form_part> parse_multipart(const std::string& body, const std::string& boundary) {
    std::vector<form_part> parts;
    const std::string delimiter = "--" + boundary;
    std::size_t pos = body.find(delimiter);
    if (pos != 0) throw std::runtime_error("body does not start with the boundary");
    for (;;) {
        pos += delimiter.size();
        if (body.compare(pos, 2, "--") == 0) break;  // closing delimiter
        if (body.compare(pos, 2, "\r\n") != 0) throw std::runtime_error("no CRLF after a boundary");
        pos += 2;
        const auto head_end = body.find("\r\n\r\n", pos);
        if (head_end == std::string::npos) throw std::runtime_error("part without header end");
        form_part part;
        for (std::size_t line = pos; line < head_end;) {
            auto eol = body.find("\r\n", line);
            if (eol > head_end) eol = head_end;
            const std::string text = body.substr(line, eol - line);
            const auto colon = text.find(':');
            std::string name = text.substr(0, colon);
            std::ranges::transform(name, name.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
            part.headers[name] = text.substr(text.find_first_not_of(' ', colon + 1));
            line = eol + 2;
        }
        const auto data_start = head_end + 4;
        const auto next = body.find("\r\n" + delimiter, data_start);
        if (next == std::string::npos) throw std::runtime_error("part without closing boundary");
        part.data = body.substr(data_start, next - data_start);
        parts.push_back(std::move(part));
        pos = next + 2;
    }
    return parts;
}

TEST_F(client_http, multipart_form_arrives_as_multipart_form_data) {
    test_server server([](const received_request&) { return json_reply(201, R"({"id":7})"); });
    http_client c(io.get_executor(), options_for(server.url()));

    std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
    png += std::string("--not-a-boundary\r\n\0\xff", 21);
    const std::string text_file = "line one\r\nline two\n\0end";

    std::mt19937_64 rng{std::random_device{}()};
    const auto path = std::filesystem::temp_directory_path() / ("netbox-component-" + std::to_string(rng()) + ".txt");
    {
        std::ofstream out(path, std::ios::binary);
        out.write(text_file.data(), static_cast<std::streamsize>(text_file.size()));
    }
    struct remove_at_exit {
        std::filesystem::path p;
        ~remove_at_exit() {
            std::error_code ignored;
            std::filesystem::remove(p, ignored);
        }
    } cleanup{path};

    multipart_form form;
    form.add_field("object_type", "dcim.site").add_field("object_id", "12").add_field("name", "rack \"front\"");
    form.add_file(file_part::from_bytes("image", "front.png", png, "image/png"));
    form.add_file(file_part::from_path("document", path));

    auto r = run(c.try_request(http_method::post, "/api/extras/image-attachments/", {}, std::move(form)));
    ASSERT_TRUE(r.has_value()) << r.error().what();
    EXPECT_EQ(r->status, 201);

    ASSERT_EQ(server.requests().size(), 1u);
    const auto req = server.requests()[0];
    EXPECT_EQ(req.method, "POST");
    const std::string content_type = req.header("Content-Type");
    const std::string prefix = "multipart/form-data; boundary=";
    ASSERT_TRUE(content_type.starts_with(prefix)) << content_type;
    const std::string boundary = content_type.substr(prefix.size());
    ASSERT_FALSE(boundary.empty());
    EXPECT_EQ(req.header("Content-Length"), std::to_string(req.body.size()));

    const auto parts = parse_multipart(req.body, boundary);
    ASSERT_EQ(parts.size(), 5u);
    auto disposition = [&](std::size_t i) { return parts[i].headers.at("content-disposition"); };
    EXPECT_EQ(disposition(0), R"(form-data; name="object_type")");
    EXPECT_EQ(parts[0].data, "dcim.site");
    EXPECT_EQ(disposition(1), R"(form-data; name="object_id")");
    EXPECT_EQ(parts[1].data, "12");
    EXPECT_EQ(disposition(2), R"(form-data; name="name")");
    EXPECT_EQ(parts[2].data, "rack \"front\"");
    EXPECT_EQ(disposition(3), R"(form-data; name="image"; filename="front.png")");
    EXPECT_EQ(parts[3].headers.at("content-type"), "image/png");
    EXPECT_EQ(parts[3].data, png);
    EXPECT_EQ(disposition(4), R"(form-data; name="document"; filename=")" + path.filename().string() + "\"");
    EXPECT_EQ(parts[4].headers.at("content-type"), "text/plain");
    EXPECT_EQ(parts[4].data, text_file);
}

// --- headers ----------------------------------------------------------------------------------

std::string authorization_sent(asio::io_context& io, const std::string& token, token_version kind) {
    test_server server(ok_json);
    auto o = options_for(server.url());
    o.token = token;
    o.token_kind = kind;
    http_client c(io.get_executor(), o);
    run(io, c.request(http_method::get, "/api/"));
    const auto received = server.requests();
    if (received.size() != 1) throw std::runtime_error("expected one request");
    return received[0].has_header("Authorization") ? received[0].header("Authorization") : "<none>";
}

TEST_F(client_http, authorization_header_by_token_kind) {
    const std::string v1 = "0123456789abcdef0123456789abcdef01234567";
    EXPECT_EQ(authorization_sent(io, v1, token_version::automatic), "Token " + v1);
    EXPECT_EQ(authorization_sent(io, "nbt_k.s", token_version::automatic), "Bearer nbt_k.s");
    EXPECT_EQ(authorization_sent(io, "nbt_k.s", token_version::v1), "Token nbt_k.s");
    EXPECT_EQ(authorization_sent(io, v1, token_version::v2), "Bearer " + v1);
    EXPECT_EQ(authorization_sent(io, "", token_version::automatic), "<none>");
}

TEST_F(client_http, default_headers_merge_with_ours) {
    test_server server(ok_json);
    auto o = options_for(server.url());
    o.token = "0123456789abcdef";
    o.default_headers = {{"X-Foo", "bar"}, {"Accept", "application/json; indent=4"}};
    http_client c(io.get_executor(), o);
    run(c.request(http_method::get, "/api/"));

    auto custom_ua = options_for(server.url());
    custom_ua.default_headers = {{"User-Agent", "my-tool/2"}};
    http_client c2(io.get_executor(), custom_ua);
    run(c2.request(http_method::get, "/api/"));

    const auto received = server.requests();
    ASSERT_EQ(received.size(), 2u);
    const auto& first = received[0];
    EXPECT_EQ(first.header("X-Foo"), "bar");
    EXPECT_EQ(first.header("Accept"), "application/json; indent=4");
    EXPECT_EQ(std::ranges::count_if(first.headers, [](const auto& h) { return h.first == "Accept"; }), 1);
    EXPECT_EQ(first.header("User-Agent"), o.user_agent);
    EXPECT_EQ(first.header("Authorization"), "Token 0123456789abcdef");
    EXPECT_EQ(received[1].header("User-Agent"), "my-tool/2");
    EXPECT_EQ(std::ranges::count_if(received[1].headers, [](const auto& h) { return h.first == "User-Agent"; }), 1);
}

TEST_F(client_http, per_call_headers_and_hooks) {
    test_server server([](const received_request&) { return json_reply(200, "{}", {{"X-Request-ID", "req-1"}}); });
    auto o = options_for(server.url());
    o.token = "0123456789abcdef";
    o.default_headers = {{"X-Foo", "default"}};
    std::vector<outgoing_request> seen_by_hook;
    std::vector<int> response_statuses;
    o.on_request = [&](outgoing_request& out) {
        seen_by_hook.push_back(out);
        out.headers.set("X-Hook", "client-hook");
    };
    o.on_response = [&](const outgoing_request& out, const response& r) {
        EXPECT_EQ(out.headers.get("X-Hook"), "client-hook");
        response_statuses.push_back(r.status);
    };
    http_client c(io.get_executor(), o);

    request_options call;
    call.headers = {{"X-Foo", "call"}, {"X-Call", "1"}};
    bool call_hook_ran = false;
    bool call_response_hook_ran = false;
    call.on_request = [&](outgoing_request& out) {
        call_hook_ran = true;
        EXPECT_EQ(out.headers.get("X-Hook"), "client-hook");  // runs after the client's hook
        out.headers.set("X-Call-Hook", "yes");
    };
    call.on_response = [&](const outgoing_request&, const response& r) {
        call_response_hook_ran = true;
        EXPECT_EQ(r.request_id(), "req-1");
    };
    auto r = run(c.request(http_method::get, "/api/dcim/sites/", {{"limit", "5"}}, {}, call));
    EXPECT_EQ(r.status, 200);

    ASSERT_EQ(seen_by_hook.size(), 1u);
    EXPECT_FALSE(seen_by_hook[0].headers.contains("Authorization"));
    EXPECT_EQ(seen_by_hook[0].attempt, 1);
    EXPECT_EQ(seen_by_hook[0].method, http_method::get);
    EXPECT_EQ(seen_by_hook[0].url, server.url() + "/api/dcim/sites/?limit=5");
    EXPECT_TRUE(call_hook_ran);
    EXPECT_TRUE(call_response_hook_ran);
    EXPECT_EQ(response_statuses, std::vector<int>{200});

    const auto req = server.requests().at(0);
    EXPECT_EQ(req.header("X-Foo"), "call");
    EXPECT_EQ(req.header("X-Call"), "1");
    EXPECT_EQ(req.header("X-Hook"), "client-hook");
    EXPECT_EQ(req.header("X-Call-Hook"), "yes");
    EXPECT_EQ(req.header("Authorization"), "Token 0123456789abcdef");
}

TEST_F(client_http, observer_events_per_attempt_and_per_request_never_show_the_token) {
    const std::string token = "nbt_SECRETKEY42.SECRETVALUE42";
    std::atomic<int> calls{0};
    test_server server([&](const received_request& r) {
        if (r.method == "POST") {
            reply out;
            out.fault = fault::close_before_response;
            return out;
        }
        if (calls++ == 0) return json_reply(503, R"({"detail":"maintenance"})");
        return json_reply(200, R"({"results":[]})", {{"X-Request-ID", "rid-2"}});
    });
    auto o = options_for(server.url());
    o.token = token;
    std::vector<request_event> events;
    std::vector<std::string> hook_text;
    o.observer = [&](const request_event& e) { events.push_back(e); };
    o.on_request = [&](outgoing_request& out) {
        hook_text.push_back(out.url);
        for (const auto& [k, v] : out.headers) hook_text.push_back(k + ": " + v);
    };
    http_client c(io.get_executor(), o);

    auto r = run(c.request(http_method::get, "/api/dcim/sites/", {{"q", "x"}}));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.attempts, 2);
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[0].what, request_event::kind::attempt);
    EXPECT_EQ(events[0].status, 503);
    EXPECT_EQ(events[0].attempt, 1);
    EXPECT_TRUE(events[0].will_retry);
    EXPECT_EQ(events[0].path, "/api/dcim/sites/?q=x");
    EXPECT_GT(events[0].bytes_sent, 0u);
    EXPECT_EQ(events[1].what, request_event::kind::attempt);
    EXPECT_EQ(events[1].status, 200);
    EXPECT_EQ(events[1].attempt, 2);
    EXPECT_FALSE(events[1].will_retry);
    EXPECT_EQ(events[1].request_id, "rid-2");
    EXPECT_EQ(events[2].what, request_event::kind::request);
    EXPECT_EQ(events[2].status, 200);
    EXPECT_EQ(events[2].attempt, 2);
    EXPECT_EQ(events[2].method, http_method::get);
    EXPECT_FALSE(events[2].error);

    // A failing POST: one attempt event with the transport error, one request event.
    events.clear();
    auto failed = run(c.try_request(http_method::post, "/api/dcim/sites/", {}, json::value{{"name", "a"}}));
    ASSERT_TRUE(failed.has_error());
    EXPECT_EQ(failed.error().code, make_error_code(errc::maybe_committed)) << failed.error().what();
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].what, request_event::kind::attempt);
    EXPECT_EQ(events[0].status, 0);
    EXPECT_TRUE(events[0].error);
    EXPECT_FALSE(events[0].will_retry);
    EXPECT_EQ(events[1].what, request_event::kind::request);
    EXPECT_TRUE(events[1].error);

    std::vector<std::string> texts = hook_text;
    texts.push_back(failed.error().what());
    texts.push_back(failed.error().message);
    texts.push_back(failed.error().url);
    texts.push_back(r.url);
    for (const auto& e : events) {
        texts.push_back(e.path);
        texts.push_back(e.request_id);
        texts.push_back(e.error.message());
    }
    for (const auto& t : texts) {
        EXPECT_EQ(t.find("SECRET"), std::string::npos) << t;
    }
    // The token did go to the server.
    EXPECT_EQ(server.requests().at(0).header("Authorization"), "Bearer " + token);
}

// --- redirects --------------------------------------------------------------------------------

TEST_F(client_http, get_redirect_to_same_origin_is_followed_with_the_token) {
    test_server server([](const received_request& r) {
        if (r.target == "/api/old/") {
            reply out;
            out.status = 301;
            out.headers = {{"Location", "/api/new/?x=1"}};
            return out;
        }
        return json_reply(200, R"({"where":"new"})");
    });
    auto o = options_for(server.url());
    o.token = "0123456789abcdef";
    http_client c(io.get_executor(), o);
    auto r = run(c.request(http_method::get, "/api/old/"));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"where":"new"})");
    const auto received = server.requests();
    ASSERT_EQ(received.size(), 2u);
    EXPECT_EQ(received[1].target, "/api/new/?x=1");
    EXPECT_EQ(received[0].header("Authorization"), "Token 0123456789abcdef");
    EXPECT_EQ(received[1].header("Authorization"), "Token 0123456789abcdef");
}

TEST_F(client_http, relative_location_resolves_against_the_request_target) {
    test_server server([](const received_request& r) {
        if (r.target == "/api/dcim/old/") {
            reply out;
            out.status = 302;
            out.headers = {{"Location", "../moved/"}};
            return out;
        }
        return json_reply(200, "{}");
    });
    http_client c(io.get_executor(), options_for(server.url()));
    auto r = run(c.request(http_method::get, "/api/dcim/old/"));
    EXPECT_EQ(r.status, 200);
    ASSERT_EQ(server.requests().size(), 2u);
    EXPECT_EQ(server.requests()[1].target, "/api/dcim/moved/");  // RFC 3986 section 5.2
}

TEST_F(client_http, redirect_to_another_origin_drops_the_token) {
    test_server other([](const received_request&) { return json_reply(200, R"({"where":"other"})"); });
    test_server server([&](const received_request&) {
        reply out;
        out.status = 302;
        out.headers = {{"Location", other.url() + "/api/elsewhere/?x=1"}};
        return out;
    });
    auto o = options_for(server.url());
    o.token = "nbt_key.secret";
    o.default_headers = {{"X-Foo", "bar"}};
    http_client c(io.get_executor(), o);
    auto r = run(c.request(http_method::get, "/api/start/"));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"where":"other"})");
    ASSERT_EQ(server.requests().size(), 1u);
    EXPECT_EQ(server.requests()[0].header("Authorization"), "Bearer nbt_key.secret");
    ASSERT_EQ(other.requests().size(), 1u);
    EXPECT_EQ(other.requests()[0].target, "/api/elsewhere/?x=1");
    EXPECT_FALSE(other.requests()[0].has_header("Authorization"));
    EXPECT_EQ(other.requests()[0].header("X-Foo"), "bar");

    // The next call to the configured origin carries the token again.
    run(c.request(http_method::get, "/api/start/"));
    ASSERT_EQ(server.requests().size(), 2u);
    EXPECT_EQ(server.requests()[1].header("Authorization"), "Bearer nbt_key.secret");
}

// Credentials a user put in default headers, per-call headers or a hook do not follow either.
TEST_F(client_http, redirect_to_another_origin_drops_every_credential_header) {
    test_server other([](const received_request&) { return json_reply(200, "{}"); });
    test_server server([&](const received_request&) {
        reply out;
        out.status = 302;
        out.headers = {{"Location", other.url() + "/api/elsewhere/"}};
        return out;
    });
    auto o = options_for(server.url());
    o.token.clear();
    o.default_headers = {{"Authorization", "Token FROM-DEFAULTS"}, {"Cookie", "sessionid=SECRET"}};
    o.on_request = [](outgoing_request& r) { r.headers.set("Proxy-Authorization", "Basic SECRET"); };
    http_client c(io.get_executor(), o);
    EXPECT_EQ(run(c.request(http_method::get, "/api/start/")).status, 200);
    ASSERT_EQ(server.requests().size(), 1u);
    EXPECT_EQ(server.requests()[0].header("Authorization"), "Token FROM-DEFAULTS");
    ASSERT_EQ(other.requests().size(), 1u);
    for (const char* name : {"Authorization", "Cookie", "Proxy-Authorization"})
        EXPECT_FALSE(other.requests()[0].has_header(name)) << name;
}

TEST_F(client_http, redirect_from_https_to_http_is_not_followed) {
    test_server plain([](const received_request&) { return json_reply(200, "{}"); });
    server_options tls;
    tls.tls = true;
    test_server server([&](const received_request&) {
        reply out;
        out.status = 301;
        out.headers = {{"Location", plain.url() + "/api/elsewhere/"}};
        return out;
    }, tls);
    auto o = options_for(server.url());
    o.tls.ca_file = test::pki().ca_file.string();
    http_client c(io.get_executor(), o);
    EXPECT_EQ(run(c.request(http_method::get, "/api/start/")).status, 301);
    EXPECT_TRUE(plain.requests().empty());
}

// The token set after construction replaces an Authorization of the default headers.
TEST_F(client_http, a_token_set_later_beats_an_authorization_default) {
    test_server server([](const received_request&) { return json_reply(200, "{}"); });
    auto o = options_for(server.url());
    o.token.clear();
    o.default_headers = {{"Authorization", "Token OLD"}};
    http_client c(io.get_executor(), o);
    c.set_token("0123456789abcdef");
    run(c.request(http_method::get, "/api/status/"));
    ASSERT_EQ(server.requests().size(), 1u);
    EXPECT_EQ(server.requests()[0].header("Authorization"), "Token 0123456789abcdef");
}

TEST_F(client_http, post_redirect_is_not_followed) {
    test_server server([](const received_request&) {
        reply out;
        out.status = 302;
        out.headers = {{"Location", "/api/new/"}};
        return out;
    });
    http_client c(io.get_executor(), options_for(server.url()));
    auto r = run(c.request(http_method::post, "/api/old/", {}, json::value{{"a", 1}}));
    EXPECT_EQ(r.status, 302);
    EXPECT_EQ(r.header("Location"), "/api/new/");
    EXPECT_EQ(server.requests().size(), 1u);
}

TEST_F(client_http, redirect_loop_ends_with_too_many_redirects) {
    test_server server([](const received_request&) {
        reply out;
        out.status = 302;
        out.headers = {{"Location", "/api/loop/"}};
        return out;
    });
    auto o = options_for(server.url());
    o.max_redirects = 3;
    http_client c(io.get_executor(), o);
    EXPECT_NETBOX_ERROR(run(c.try_request(http_method::get, "/api/loop/")), errc::too_many_redirects);
    EXPECT_EQ(server.requests().size(), 4u);  // the first request and three redirects
}

// --- URLs -------------------------------------------------------------------------------------

TEST_F(client_http, base_url_path_prefix_is_kept) {
    test_server server(ok_json);
    http_client c(io.get_executor(), options_for(server.url() + "/netbox/"));
    EXPECT_EQ(c.base_url(), server.url() + "/netbox");
    auto r = run(c.request(http_method::get, "/api/status/"));
    EXPECT_EQ(r.url, server.url() + "/netbox/api/status/");
    ASSERT_EQ(server.requests().size(), 1u);
    EXPECT_EQ(server.requests()[0].target, "/netbox/api/status/");
}

TEST_F(client_http, query_parameters_keep_repeats_and_are_encoded) {
    test_server server(ok_json);
    http_client c(io.get_executor(), options_for(server.url()));
    query_params q{{"site", "a"}, {"site", "b c"}, {"name__ic", "x+y&z=1/\xc3\xbc#?"}, {"tag", ""}};
    run(c.request(http_method::get, "/api/dcim/devices/", q));
    ASSERT_EQ(server.requests().size(), 1u);
    EXPECT_EQ(server.requests()[0].target,
              "/api/dcim/devices/?site=a&site=b%20c&name__ic=x%2By%26z%3D1%2F%C3%BC%23%3F&tag=");
}

TEST_F(client_http, bad_paths_are_rejected_before_any_connection) {
    test_server server(ok_json);
    http_client c(io.get_executor(), options_for(server.url()));
    EXPECT_NETBOX_ERROR(run(c.try_request(http_method::get, "http://evil.example/api/")), errc::invalid_argument);
    EXPECT_NETBOX_ERROR(run(c.try_request(http_method::get, server.url() + "/api/")), errc::invalid_argument);
    EXPECT_NETBOX_ERROR(run(c.try_request(http_method::get, "/api/dcim/devices/?limit=1")), errc::invalid_argument);
    EXPECT_NETBOX_ERROR(run(c.try_request(http_method::get, "//evil.example/api/")), errc::invalid_argument);
    EXPECT_NETBOX_ERROR(run(c.try_request(http_method::get, "api/status/")), errc::invalid_argument);
    request_options bad_header;
    bad_header.headers = {{"X-Foo", "a\r\nX-Injected: 1"}};
    EXPECT_NETBOX_ERROR(run(c.try_request(http_method::get, "/api/", {}, {}, bad_header)), errc::invalid_argument);
    // The content type of a raw body is a header too.
    const raw_body split{"text/plain\r\nX-Injected: 1", "x"};
    EXPECT_NETBOX_ERROR(run(c.try_request(http_method::post, "/api/x/", {}, split)), errc::invalid_argument);
    // So is whatever a hook adds.
    request_options hooked;
    hooked.on_request = [](outgoing_request& r) { r.headers.set("X-Foo", "a\nX-Injected: 1"); };
    EXPECT_NETBOX_ERROR(run(c.try_request(http_method::get, "/api/", {}, {}, hooked)), errc::invalid_argument);
    EXPECT_EQ(server.connections_accepted(), 0u);
    EXPECT_TRUE(server.requests().empty());
}

TEST_F(client_http, bad_base_url_is_rejected_by_the_constructor) {
    for (const char* url : {"", "ftp://host/", "http://user:pw@host/", "http://host/?q=1", "not a url"}) {
        SCOPED_TRACE(url);
        auto o = options_for(url);
        try {
            http_client c(io.get_executor(), o);
            ADD_FAILURE() << "accepted";
        } catch (const api_error& e) {
            EXPECT_EQ(e.code(), make_error_code(errc::invalid_argument));
            EXPECT_EQ(std::string(e.what()).find("pw"), std::string::npos) << e.what();
        }
    }
}

}  // namespace
}  // namespace netbox::component
