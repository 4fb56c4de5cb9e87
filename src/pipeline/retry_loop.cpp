#include "pipeline/retry_loop.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace netbox::detail {
namespace asio = boost::asio;

asio::awaitable<result<response>> retry_loop(http_method method, const retry_options& policy, int max_attempts,
                                             steady_time deadline, const attempt_fn& next,
                                             const attempt_observer& observe) {
    retry_options limits = policy;
    limits.max_attempts = max_attempts < 1 ? 1 : max_attempts;

    for (int attempt = 1;; ++attempt) {
        attempt_record rec = co_await next(attempt);

        attempt_outcome outcome;
        outcome.error = rec.resp ? boost::system::error_code{} : rec.err.code;
        outcome.status = rec.resp ? rec.resp->status : 0;
        outcome.request_bytes_written = rec.request_written;
        outcome.reused_connection = rec.reused_connection;
        outcome.response_started = rec.response_started;
        if (rec.resp) outcome.retry_after = rec.resp->header("Retry-After");

        retry_decision d = decide_retry(method, outcome, attempt, limits);
        if (d.verdict == retry_verdict::retry) {
            auto wait = policy.sleeper ? policy.sleeper(d.delay) : d.delay;
            if (deadline_after(std::chrono::steady_clock::now(), wait) >= deadline) d.verdict = retry_verdict::done;
            else d.delay = wait;
        }
        if (observe) observe(rec, attempt, d.verdict == retry_verdict::retry);

        if (d.verdict == retry_verdict::done) {
            if (rec.resp) {
                rec.resp->attempts = attempt;
                co_return std::move(*rec.resp);
            }
            rec.err.attempts = attempt;
            co_return std::move(rec.err);
        }
        if (d.verdict == retry_verdict::maybe_committed) {
            error e = std::move(rec.err);
            e.message = "the request may have reached the server and is not repeated: " + e.message;
            e.code = errc::maybe_committed;
            e.maybe_committed = true;
            e.attempts = attempt;
            co_return e;
        }
        if (d.delay.count() > 0) {
            asio::steady_timer timer(co_await asio::this_coro::executor, d.delay);
            auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
            if (ec) {
                error e = make_error(errc::cancelled, "cancelled while waiting to retry");
                e.method = std::string(to_string(method));
                e.url = rec.resp ? rec.resp->url : rec.err.url;
                e.attempts = attempt;
                co_return e;
            }
        }
    }
}

}  // namespace netbox::detail
