// The real client against the in-process server's faults: retries, timeouts, broken bodies,
// cancellation.
#include "component/component_support.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/json/value.hpp>

#include <atomic>

namespace netbox::component {
namespace {

namespace json = boost::json;
using http_client = netbox::client;
using steady = std::chrono::steady_clock;

class client_faults : public component_test {};

reply faulty(fault f, std::string body = R"({"results":[1,2,3,4,5,6,7,8,9,10]})") {
    reply r = json_reply(200, std::move(body));
    r.fault = f;
    return r;
}

/// First `n` requests get `first`, later ones 200 {"ok":true} (201 for POST).
test::handler first_n_then_ok(int n, std::function<reply()> first, std::shared_ptr<std::atomic<int>> calls = {}) {
    if (!calls) calls = std::make_shared<std::atomic<int>>(0);
    return [=](const received_request& r) {
        if ((*calls)++ < n) return first();
        return json_reply(r.method == "POST" ? 201 : 200, R"({"ok":true})");
    };
}

// --- retry policy -----------------------------------------------------------------------------

TEST_F(client_faults, post_429_with_retry_after_is_retried_after_that_delay) {
    test_server server(first_n_then_ok(1, [] { return json_reply(429, R"({"detail":"slow down"})", {{"Retry-After", "2"}}); }));
    recorded_waits waits;
    auto o = options_for(server.url());
    o.retry.sleeper = waits.sleeper();
    http_client c(io.get_executor(), o);
    auto r = run(c.try_request(http_method::post, "/api/dcim/sites/", {}, json::value{{"name", "a"}}));
    ASSERT_TRUE(r.has_value()) << r.error().what();
    EXPECT_EQ(r->status, 201);
    EXPECT_EQ(r->attempts, 2);
    EXPECT_EQ(count_method(server, "POST"), 2u);
    EXPECT_EQ(server.requests().at(0).body, server.requests().at(1).body);
    EXPECT_EQ(waits.get(), std::vector<milliseconds>{2000ms});
}

TEST_F(client_faults, get_503_is_retried) {
    test_server server(first_n_then_ok(2, [] { return json_reply(503, R"({"detail":"maintenance"})"); }));
    recorded_waits waits;
    auto o = options_for(server.url());
    o.retry.sleeper = waits.sleeper();
    o.retry.base_delay = 100ms;
    http_client c(io.get_executor(), o);
    auto r = run(c.try_request(http_method::get, "/api/dcim/sites/"));
    ASSERT_TRUE(r.has_value()) << r.error().what();
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->attempts, 3);
    EXPECT_EQ(server.requests().size(), 3u);
    const auto w = waits.get();
    ASSERT_EQ(w.size(), 2u);
    EXPECT_LE(w[0], 100ms);  // full jitter below base_delay, then below 2 * base_delay
    EXPECT_LE(w[1], 200ms);
}

TEST_F(client_faults, get_503_retries_stop_at_max_attempts) {
    test_server server([](const received_request&) { return json_reply(503, "{}", {{"Retry-After", "1"}}); });
    recorded_waits waits;
    auto o = options_for(server.url());
    o.retry.sleeper = waits.sleeper();
    o.retry.max_attempts = 4;
    http_client c(io.get_executor(), o);
    auto r = run(c.request(http_method::get, "/api/dcim/sites/"));
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.attempts, 4);
    EXPECT_EQ(server.requests().size(), 4u);
    EXPECT_EQ(waits.get(), (std::vector<milliseconds>{1000ms, 1000ms, 1000ms}));
}

TEST_F(client_faults, post_503_is_not_retried) {
    test_server server([](const received_request&) { return json_reply(503, "{}"); });
    http_client c(io.get_executor(), options_for(server.url()));
    auto r = run(c.request(http_method::post, "/api/dcim/sites/", {}, json::value{{"name", "a"}}));
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.attempts, 1);
    EXPECT_EQ(server.requests().size(), 1u);
}

TEST_F(client_faults, get_500_is_not_retried) {
    test_server server([](const received_request&) {
        return json_reply(500, R"({"error":"boom","exception":"ValueError","netbox_version":"4.5.0"})");
    });
    recorded_waits waits;
    auto o = options_for(server.url());
    o.retry.sleeper = waits.sleeper();
    http_client c(io.get_executor(), o);
    auto r = run(c.request(http_method::get, "/api/dcim/sites/"));
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.attempts, 1);
    EXPECT_EQ(server.requests().size(), 1u);
    EXPECT_TRUE(waits.get().empty());
    auto checked = r.check_status();
    ASSERT_TRUE(checked.has_error());
    EXPECT_EQ(checked.error().detail, "boom (ValueError)");
}

TEST_F(client_faults, post_is_not_retried_once_sent) {
    test_server server([](const received_request&) { return faulty(fault::close_before_response); });
    http_client c(io.get_executor(), options_for(server.url()));
    auto r = run(c.try_request(http_method::post, "/api/dcim/sites/", {}, json::value{{"name", "a"}}));
    EXPECT_NETBOX_ERROR(r, errc::maybe_committed);
    ASSERT_TRUE(r.has_error());
    EXPECT_TRUE(r.error().maybe_committed);
    EXPECT_EQ(r.error().attempts, 1);
    EXPECT_EQ(r.error().method, "POST");
    EXPECT_EQ(count_method(server, "POST"), 1u);
}

TEST_F(client_faults, get_is_retried_after_the_server_closed_without_answering) {
    test_server server(first_n_then_ok(1, [] { return faulty(fault::close_before_response); }));
    http_client c(io.get_executor(), options_for(server.url()));
    auto r = run(c.try_request(http_method::get, "/api/dcim/sites/"));
    ASSERT_TRUE(r.has_value()) << r.error().what();
    EXPECT_EQ(r->attempts, 2);
    EXPECT_EQ(server.requests().size(), 2u);
}

TEST_F(client_faults, per_call_max_attempts_overrides_the_client) {
    test_server server([](const received_request&) { return json_reply(503, "{}"); });
    http_client c(io.get_executor(), options_for(server.url()));
    request_options once;
    once.max_attempts = 1;
    auto r = run(c.request(http_method::get, "/api/", {}, {}, once));
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(server.requests().size(), 1u);
}

// --- timeouts ---------------------------------------------------------------------------------

TEST_F(client_faults, connect_timeout_bounds_a_hanging_tls_handshake) {
    server_options so;
    so.tls = true;
    so.hang_tls_handshake = true;
    test_server server([](const received_request&) { return json_reply(200, "{}"); }, so);
    auto o = options_for(server.url());
    o.tls.ca_file = test::pki().ca_file.string();
    o.timeouts.connect = 200ms;
    o.retry.max_attempts = 1;
    http_client c(io.get_executor(), o);
    const auto started = steady::now();
    auto r = run(c.try_request(http_method::get, "/api/"));
    const auto elapsed = steady::now() - started;
    EXPECT_NETBOX_ERROR(r, errc::timeout);
    EXPECT_GE(elapsed, 190ms);
    EXPECT_LT(elapsed, 5s);  // the connect timeout, not the 15 s attempt timeout
}

TEST_F(client_faults, attempt_timeout_while_waiting_for_headers) {
    test_server server([](const received_request&) { return faulty(fault::hang_before_response); });
    auto o = options_for(server.url());
    o.timeouts.attempt = 200ms;
    o.retry.max_attempts = 1;
    http_client c(io.get_executor(), o);
    const auto started = steady::now();
    auto r = run(c.try_request(http_method::get, "/api/"));
    const auto elapsed = steady::now() - started;
    EXPECT_NETBOX_ERROR(r, errc::timeout);
    EXPECT_GE(elapsed, 190ms);
    EXPECT_LT(elapsed, 5s);
}

TEST_F(client_faults, per_call_attempt_timeout_mid_body) {
    test_server server([](const received_request&) { return faulty(fault::hang_mid_body); });
    http_client c(io.get_executor(), options_for(server.url()));
    request_options call;
    call.attempt_timeout = 200ms;
    call.max_attempts = 1;
    const auto started = steady::now();
    auto r = run(c.try_request(http_method::get, "/api/", {}, {}, call));
    const auto elapsed = steady::now() - started;
    EXPECT_NETBOX_ERROR(r, errc::timeout);
    ASSERT_TRUE(r.has_error());
    EXPECT_NE(r.error().message.find("body"), std::string::npos) << r.error().message;
    EXPECT_GE(elapsed, 190ms);
    EXPECT_LT(elapsed, 5s);
}

TEST_F(client_faults, overall_deadline_bounds_retries) {
    test_server server([](const received_request&) { return faulty(fault::hang_before_response); });
    auto o = options_for(server.url());
    o.timeouts.attempt = 150ms;
    o.timeouts.overall = 600ms;
    o.retry.max_attempts = 100;  // 100 * 150 ms without the overall deadline
    http_client c(io.get_executor(), o);
    const auto started = steady::now();
    auto r = run(c.try_request(http_method::get, "/api/"));
    const auto elapsed = steady::now() - started;
    EXPECT_NETBOX_ERROR(r, errc::timeout);
    ASSERT_TRUE(r.has_error());
    EXPECT_GE(r.error().attempts, 2);
    EXPECT_LE(r.error().attempts, 5);
    // The last attempt may run out of time before its request reaches the server.
    const auto attempts = static_cast<std::size_t>(r.error().attempts);
    EXPECT_LE(server.requests().size(), attempts);
    EXPECT_GE(server.requests().size(), attempts - 1);
    EXPECT_GE(elapsed, 550ms);
    EXPECT_LT(elapsed, 5s);
}

TEST_F(client_faults, post_timing_out_after_sending_is_maybe_committed) {
    test_server server([](const received_request&) { return faulty(fault::hang_before_response); });
    auto o = options_for(server.url());
    o.timeouts.attempt = 150ms;
    http_client c(io.get_executor(), o);
    auto r = run(c.try_request(http_method::post, "/api/dcim/sites/", {}, json::value{{"name", "a"}}));
    EXPECT_NETBOX_ERROR(r, errc::maybe_committed);
    EXPECT_EQ(count_method(server, "POST"), 1u);
}

// --- broken responses -------------------------------------------------------------------------

TEST_F(client_faults, truncated_body) {
    test_server server([](const received_request&) { return faulty(fault::truncate_body); });
    auto o = options_for(server.url());
    o.retry.max_attempts = 1;
    http_client c(io.get_executor(), o);
    EXPECT_NETBOX_ERROR(run(c.try_request(http_method::get, "/api/")), errc::truncated_body);

    // With retries, a GET is repeated, and the last failure is reported.
    http_client retrying(io.get_executor(), options_for(server.url()));
    auto r = run(retrying.try_request(http_method::get, "/api/"));
    EXPECT_NETBOX_ERROR(r, errc::truncated_body);
    ASSERT_TRUE(r.has_error());
    EXPECT_EQ(r.error().attempts, 3);
    EXPECT_EQ(server.requests().size(), 4u);
}

TEST_F(client_faults, connection_reset) {
    test_server server(first_n_then_ok(1, [] { return faulty(fault::reset); }));
    auto o = options_for(server.url());
    o.retry.max_attempts = 1;
    http_client once(io.get_executor(), o);
    EXPECT_NETBOX_ERROR(run(once.try_request(http_method::get, "/api/")), errc::connection_closed);

    test_server again(first_n_then_ok(1, [] { return faulty(fault::reset); }));
    http_client c(io.get_executor(), options_for(again.url()));
    auto r = run(c.try_request(http_method::get, "/api/"));
    ASSERT_TRUE(r.has_value()) << r.error().what();
    EXPECT_EQ(r->attempts, 2);

    test_server posts([](const received_request&) { return faulty(fault::reset); });
    http_client p(io.get_executor(), options_for(posts.url()));
    EXPECT_NETBOX_ERROR(run(p.try_request(http_method::post, "/api/x/", {}, json::value{{"a", 1}})), errc::maybe_committed);
    EXPECT_EQ(count_method(posts, "POST"), 1u);
}

TEST_F(client_faults, malformed_json) {
    test_server server([](const received_request&) { return json_reply(200, R"({"results": [1, 2,)"); });
    http_client c(io.get_executor(), options_for(server.url()));
    auto r = run(c.request(http_method::get, "/api/"));
    EXPECT_EQ(r.status, 200);
    EXPECT_NETBOX_ERROR(r.try_json(), errc::json_parse_error);
    EXPECT_NETBOX_ERROR(run(c.try_status()), errc::json_parse_error);
}

TEST_F(client_faults, non_json_content_type) {
    test_server server([](const received_request&) {
        reply out;
        out.headers = {{"Content-Type", "text/html; charset=utf-8"}};
        out.body = "<html><body>login</body></html>";
        return out;
    });
    http_client c(io.get_executor(), options_for(server.url()));
    auto r = run(c.request(http_method::get, "/api/"));
    EXPECT_EQ(r.status, 200);
    EXPECT_NETBOX_ERROR(r.try_json(), errc::unexpected_content_type);
    EXPECT_NETBOX_ERROR(run(c.try_status()), errc::unexpected_content_type);
}

TEST_F(client_faults, oversized_body) {
    test_server server([](const received_request&) { return json_reply(200, "\"" + std::string(4096, 'x') + "\""); });
    auto o = options_for(server.url());
    o.max_response_bytes = 1024;
    http_client c(io.get_executor(), o);
    auto r = run(c.try_request(http_method::get, "/api/"));
    EXPECT_NETBOX_ERROR(r, errc::body_too_large);
    EXPECT_EQ(server.requests().size(), 1u);  // not retried: it would fail the same way

    // The connection was dropped, not reused out of step: the next call opens a new one.
    auto r2 = run(c.try_request(http_method::get, "/api/"));
    EXPECT_NETBOX_ERROR(r2, errc::body_too_large);
    EXPECT_EQ(server.connections_accepted(), 2u);
}

// --- cancellation -----------------------------------------------------------------------------

TEST_F(client_faults, terminal_cancellation_mid_body_leaves_the_client_usable) {
    test_server server([](const received_request& r) {
        if (r.target == "/api/slow/") return faulty(fault::hang_mid_body, "[" + std::string(4000, ' ') + "]");
        return json_reply(200, R"({"ok":true})");
    });
    http_client c(io.get_executor(), options_for(server.url()));

    asio::cancellation_signal signal;
    auto pending = c.async_request(http_method::get, "/api/slow/", {}, {}, {},
                                   asio::bind_cancellation_slot(signal.slot(), asio::use_future));
    drive_until(io, [&] { return server.requests().size() == 1; });
    // Setup, not an assertion: let the client read the header and the first half of the body.
    io.restart();
    io.run_for(50ms);
    ASSERT_FALSE(is_ready(pending));

    const auto started = steady::now();
    signal.emit(asio::cancellation_type::terminal);
    drive_until(io, [&] { return is_ready(pending); });
    EXPECT_LT(steady::now() - started, 5s);  // promptly, not at the 15 s attempt timeout
    try {
        pending.get();
        ADD_FAILURE() << "a cancelled request returned a response";
    } catch (const api_error& e) {
        EXPECT_EQ(e.code(), make_error_code(errc::cancelled)) << e.what();
    }
    EXPECT_EQ(server.requests().size(), 1u);  // not retried

    auto r = run(c.try_request(http_method::get, "/api/fast/"));
    ASSERT_TRUE(r.has_value()) << r.error().what();
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(server.connections_accepted(), 2u);  // the cancelled socket was not reused
    EXPECT_EQ(server.requests().at(1).connection_index, 1u);
}

TEST_F(client_faults, cancellation_while_waiting_for_headers) {
    test_server server([](const received_request&) { return faulty(fault::hang_before_response); });
    http_client c(io.get_executor(), options_for(server.url()));
    asio::cancellation_signal signal;
    auto pending = asio::co_spawn(io, c.try_request(http_method::post, "/api/x/", {}, json::value{{"a", 1}}),
                                  asio::bind_cancellation_slot(signal.slot(), asio::use_future));
    drive_until(io, [&] { return server.requests().size() == 1; });
    signal.emit(asio::cancellation_type::terminal);
    drive_until(io, [&] { return is_ready(pending); });
    auto r = pending.get();
    EXPECT_NETBOX_ERROR(r, errc::cancelled);
    EXPECT_EQ(count_method(server, "POST"), 1u);
}

// B waits for the only connection; A's response hook cancels B just as A gives the connection back
// and wakes B. B's non-throwing call must end with errc::cancelled (not an exception), and the
// slot it was woken for must not be lost to the pool.
TEST_F(client_faults, cancelling_a_request_woken_by_the_pool_neither_throws_nor_leaks_the_slot) {
    server_options so;
    so.connection_close = true;  // every request needs a new connection, so B would connect
    test_server server([](const received_request&) { return json_reply(200, R"({"ok":true})"); }, so);
    auto o = options_for(server.url());
    o.pool.max_connections = 1;
    http_client c(io.get_executor(), o);

    asio::cancellation_signal signal;
    request_options cancels_b;
    cancels_b.on_response = [&](const outgoing_request&, const response&) {
        signal.emit(asio::cancellation_type::terminal);
    };
    auto a = asio::co_spawn(io, c.try_request(http_method::get, "/api/a/", {}, {}, cancels_b), asio::use_future);
    auto b = asio::co_spawn(io, c.try_request(http_method::get, "/api/b/"),
                            asio::bind_cancellation_slot(signal.slot(), asio::use_future));
    drive_until(io, [&] { return is_ready(a) && is_ready(b); });
    ASSERT_TRUE(a.get().has_value());
    result<response> rb = b.get();  // throws if the cancellation escaped as an exception
    EXPECT_NETBOX_ERROR(rb, errc::cancelled);

    for (int i = 0; i < 3; ++i) {
        auto r = run(c.try_request(http_method::get, "/api/after/"));
        ASSERT_TRUE(r.has_value()) << r.error().what();
    }
}

// A timeout given as milliseconds::max() means "no limit", not an overflow into the past.
TEST_F(client_faults, the_largest_timeouts_mean_no_limit) {
    test_server server([](const received_request&) { return json_reply(200, R"({"ok":true})"); });
    auto o = options_for(server.url());
    o.timeouts.connect = milliseconds::max();
    o.timeouts.attempt = milliseconds::max();
    o.timeouts.overall = milliseconds::max();
    http_client c(io.get_executor(), o);
    auto r = run(c.try_request(http_method::get, "/api/status/"));
    ASSERT_TRUE(r.has_value()) << r.error().what();
    EXPECT_EQ(r->status, 200);
}

}  // namespace
}  // namespace netbox::component
