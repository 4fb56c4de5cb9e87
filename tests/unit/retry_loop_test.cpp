// The retry stage against a fake `next`: what is retried, how often, with which waits.
#include "pipeline/retry_loop.hpp"
#include "support/scripted_stream.hpp"

#include <netbox/error.hpp>

#include <gtest/gtest.h>

#include <deque>

namespace netbox {
namespace {
using namespace std::chrono_literals;
using detail::attempt_record;

attempt_record status(int code, header_list headers = {}) {
    attempt_record r;
    r.resp.emplace();
    r.resp->status = code;
    r.resp->headers = std::move(headers);
    r.request_written = true;
    return r;
}

attempt_record failure(errc code, bool written, bool reused = false) {
    attempt_record r;
    r.err.code = code;
    r.err.message = "scripted";
    r.request_written = written;
    r.reused_connection = reused;
    return r;
}

struct harness {
    std::deque<attempt_record> script;
    std::vector<std::chrono::milliseconds> waits;
    std::vector<bool> will_retry;
    int calls = 0;
    retry_options policy;

    harness() {
        policy.random = [] { return 0.5; };
        policy.sleeper = [this](std::chrono::milliseconds d) {
            waits.push_back(d);
            return 0ms;  // instant
        };
    }

    result<response> run(http_method m, std::chrono::milliseconds budget = 10s) {
        detail::attempt_fn next = [this](int n) -> boost::asio::awaitable<attempt_record> {
            ++calls;
            EXPECT_EQ(n, calls);
            auto r = std::move(script.front());
            script.pop_front();
            co_return r;
        };
        detail::attempt_observer observe = [this](const attempt_record&, int, bool retry) { will_retry.push_back(retry); };
        return test::run_sync(detail::retry_loop(m, policy, policy.max_attempts,
                                                 std::chrono::steady_clock::now() + budget, next, observe));
    }
};

TEST(retry_loop, retries_503_for_get_and_returns_the_success) {
    harness h;
    h.script = {status(503), status(200)};
    auto r = h.run(http_method::get);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->attempts, 2);
    EXPECT_EQ(h.waits.size(), 1u);
    EXPECT_EQ(h.will_retry, (std::vector<bool>{true, false}));
}

TEST(retry_loop, does_not_retry_503_for_post) {
    harness h;
    h.script = {status(503), status(200)};
    auto r = h.run(http_method::post);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 503);
    EXPECT_EQ(h.calls, 1);
}

TEST(retry_loop, never_retries_500) {
    harness h;
    h.script = {status(500), status(200)};
    auto r = h.run(http_method::get);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 500);
    EXPECT_EQ(h.calls, 1);
}

TEST(retry_loop, retries_429_for_post_after_retry_after_seconds) {
    harness h;
    h.script = {status(429, {{"Retry-After", "2"}}), status(201)};
    auto r = h.run(http_method::post);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 201);
    ASSERT_EQ(h.waits.size(), 1u);
    EXPECT_EQ(h.waits[0], 2000ms);
}

TEST(retry_loop, gives_up_after_max_attempts_with_the_last_response) {
    harness h;
    h.script = {status(502), status(502), status(504), status(200)};
    auto r = h.run(http_method::get);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 504);
    EXPECT_EQ(r->attempts, 3);
    EXPECT_EQ(h.calls, 3);
}

TEST(retry_loop, post_that_may_have_reached_the_server_is_never_repeated) {
    harness h;
    h.script = {failure(errc::connection_closed, true), status(201)};
    auto r = h.run(http_method::post);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::maybe_committed);
    EXPECT_TRUE(r.error().maybe_committed);
    EXPECT_EQ(r.error().attempts, 1);
    EXPECT_EQ(h.calls, 1);
}

TEST(retry_loop, post_that_failed_before_writing_is_retried) {
    harness h;
    h.script = {failure(errc::connect_failed, false), status(201)};
    auto r = h.run(http_method::post);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 201);
    EXPECT_EQ(h.calls, 2);
}

TEST(retry_loop, get_on_a_stale_reused_connection_is_retried) {
    harness h;
    h.script = {failure(errc::connection_closed, true, true), status(200)};
    auto r = h.run(http_method::get);
    ASSERT_TRUE(r);
    EXPECT_EQ(h.calls, 2);
}

TEST(retry_loop, cancellation_is_not_retried) {
    harness h;
    h.script = {failure(errc::cancelled, true), status(200)};
    auto r = h.run(http_method::get);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::cancelled);
    EXPECT_EQ(h.calls, 1);
}

TEST(retry_loop, a_wait_past_the_overall_deadline_is_not_taken) {
    harness h;
    h.policy.sleeper = [](std::chrono::milliseconds) { return 1h; };
    h.script = {status(503), status(200)};
    auto r = h.run(http_method::get, 1s);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 503);
    EXPECT_EQ(h.calls, 1);
}

TEST(retry_loop, retry_after_longer_than_the_maximum_returns_the_429) {
    harness h;
    h.policy.max_retry_after = 5s;
    h.script = {status(429, {{"Retry-After", "3600"}}), status(200)};
    auto r = h.run(http_method::get);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 429);
    EXPECT_EQ(h.calls, 1);
}

TEST(retry_loop, backoff_grows_with_each_retry) {
    harness h;
    h.policy.max_attempts = 4;
    h.policy.base_delay = 100ms;
    h.policy.random = [] { return 0.999; };
    h.script = {status(503), status(503), status(503), status(200)};
    ASSERT_TRUE(h.run(http_method::get));
    ASSERT_EQ(h.waits.size(), 3u);
    EXPECT_LT(h.waits[0], h.waits[1]);
    EXPECT_LT(h.waits[1], h.waits[2]);
    EXPECT_LE(h.waits[2], 400ms);
}

}  // namespace
}  // namespace netbox
