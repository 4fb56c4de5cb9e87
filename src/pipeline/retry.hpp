// Retry policy: pure decisions, no I/O. Tested alone (tests/unit/retry_test.cpp).
#pragma once

#include <netbox/http.hpp>
#include <netbox/options.hpp>

#include <boost/system/error_code.hpp>

#include <chrono>
#include <optional>
#include <string_view>

namespace netbox::detail {

/// What one attempt ended with, as far as the retry policy cares.
struct attempt_outcome {
    boost::system::error_code error;  ///< transport failure; empty when a response arrived
    int status = 0;                   ///< HTTP status when a response arrived
    bool request_bytes_written = false;  ///< any byte of the request may have reached the server
    bool reused_connection = false;      ///< the attempt ran on a connection taken from the pool
    bool response_started = false;       ///< any byte of a response arrived
    std::optional<std::string_view> retry_after;  ///< the Retry-After header, if any
};

enum class retry_verdict {
    done,             ///< return what we have (a response, or the error)
    retry,            ///< try again after `delay`
    maybe_committed,  ///< fail with errc::maybe_committed: never repeat
};

struct retry_decision {
    retry_verdict verdict = retry_verdict::done;
    std::chrono::milliseconds delay{0};
};

/// Decides after attempt number `attempt` (1-based). Never returns `retry` once `attempt` reached
/// `opts.max_attempts`; a 429 whose Retry-After exceeds opts.max_retry_after gives `done`.
/// Uses opts.random / opts.clock when set.
retry_decision decide_retry(http_method method, const attempt_outcome& outcome, int attempt,
                            const retry_options& opts);

/// Full-jitter exponential backoff for retry number `retry` (1-based): uniform in
/// [0, min(max_delay, base_delay * 2^(retry-1))].
std::chrono::milliseconds backoff_delay(int retry, const retry_options& opts);

/// Retry-After as delta-seconds ("120") or HTTP-date (IMF-fixdate, RFC 850, asctime). A date in
/// the past gives 0. nullopt when unparseable.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::chrono::system_clock::time_point now);

/// True for transport errors that happen before any byte is written (resolve, connect, TLS,
/// pool checkout) — safe to retry for every method.
bool is_pre_write_failure(const boost::system::error_code& ec);

}  // namespace netbox::detail
