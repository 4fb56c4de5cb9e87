// The retry stage of the pipeline: runs attempts through a `next` stage until the retry policy
// (pipeline/retry.hpp) says stop, waiting the backoff in between. Testable with a fake `next`.
#pragma once

#include "pipeline/retry.hpp"
#include "transport/stream.hpp"

#include <netbox/http.hpp>
#include <netbox/options.hpp>
#include <netbox/result.hpp>

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <optional>

namespace netbox::detail {

/// What one attempt produced: a response, or an error; plus what the policy needs to know.
struct attempt_record {
    std::optional<response> resp;  ///< set when a response arrived
    error err;                     ///< set (err.code) when no response arrived
    bool request_written = false;
    bool reused_connection = false;
    bool response_started = false;
    std::chrono::microseconds latency{0};  ///< of this attempt
    std::size_t bytes_sent = 0;
    std::size_t bytes_received = 0;
};

using attempt_fn = std::function<boost::asio::awaitable<attempt_record>(int attempt)>;
/// Called after each attempt with the record, the attempt number and whether another follows.
using attempt_observer = std::function<void(const attempt_record&, int attempt, bool will_retry)>;

/// Runs `next(1)`, `next(2)`, ... as the policy allows, at most `max_attempts`, never past
/// `deadline` (a backoff that would end after it is not taken: the last outcome is returned).
/// Errors carry the attempt count; a non-idempotent failure after bytes were written becomes
/// errc::maybe_committed. Cancellation during a backoff gives errc::cancelled.
boost::asio::awaitable<result<response>> retry_loop(http_method method, const retry_options& policy,
                                                    int max_attempts, steady_time deadline,
                                                    const attempt_fn& next, const attempt_observer& observe);

}  // namespace netbox::detail
