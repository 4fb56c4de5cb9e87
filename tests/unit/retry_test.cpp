#include "pipeline/retry.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace {

using namespace std::chrono;
using namespace std::chrono_literals;
using netbox::errc;
using netbox::http_method;
using netbox::retry_options;
using netbox::detail::attempt_outcome;
using netbox::detail::backoff_delay;
using netbox::detail::decide_retry;
using netbox::detail::is_pre_write_failure;
using netbox::detail::parse_retry_after;
using netbox::detail::retry_verdict;

// 1994-11-06 08:49:37 UTC, the date in RFC 9110's examples.
const system_clock::time_point rfc_example = sys_days{1994y / November / 6} + 8h + 49min + 37s;

retry_options test_options(double random = 0.5) {
    retry_options opts;
    opts.max_attempts = 3;
    opts.base_delay = 200ms;
    opts.max_delay = 5s;
    opts.max_retry_after = 60s;
    opts.random = [random] { return random; };
    opts.clock = [] { return rfc_example - 30s; };
    return opts;
}

attempt_outcome transport_error(boost::system::error_code ec, bool written) {
    attempt_outcome o;
    o.error = ec;
    o.request_bytes_written = written;
    return o;
}

attempt_outcome transport_error(errc e, bool written) { return transport_error(make_error_code(e), written); }

attempt_outcome status(int code, std::optional<std::string_view> retry_after = std::nullopt) {
    attempt_outcome o;
    o.status = code;
    o.retry_after = retry_after;
    return o;
}

// --- backoff -------------------------------------------------------------------------------

TEST(Backoff, CeilingDoublesPerRetryUpToMaxDelay) {
    auto opts = test_options(1.0);  // the top of the jitter range shows the ceiling itself
    EXPECT_EQ(backoff_delay(1, opts), 200ms);
    EXPECT_EQ(backoff_delay(2, opts), 400ms);
    EXPECT_EQ(backoff_delay(3, opts), 800ms);
    EXPECT_EQ(backoff_delay(5, opts), 3200ms);
    EXPECT_EQ(backoff_delay(6, opts), 5s);
    EXPECT_EQ(backoff_delay(1000, opts), 5s);
    EXPECT_EQ(backoff_delay(std::numeric_limits<int>::max(), opts), 5s);
}

TEST(Backoff, FullJitterScalesTheCeiling) {
    EXPECT_EQ(backoff_delay(3, test_options(0.0)), 0ms);
    EXPECT_EQ(backoff_delay(3, test_options(0.25)), 200ms);
    EXPECT_EQ(backoff_delay(3, test_options(0.5)), 400ms);
}

TEST(Backoff, OutOfRangeRandomSeamIsClamped) {
    EXPECT_EQ(backoff_delay(1, test_options(-3.0)), 0ms);
    EXPECT_EQ(backoff_delay(1, test_options(7.0)), 200ms);
}

TEST(Backoff, DefaultRandomStaysWithinTheCeiling) {
    retry_options opts;  // no seam: the real generator
    bool saw_different = false;
    const auto first = backoff_delay(4, opts);
    for (int i = 0; i < 200; ++i) {
        const auto d = backoff_delay(4, opts);
        EXPECT_GE(d, 0ms);
        EXPECT_LE(d, opts.base_delay * 8);
        saw_different = saw_different || d != first;
    }
    EXPECT_TRUE(saw_different);
}

// --- Retry-After ---------------------------------------------------------------------------

TEST(RetryAfter, DeltaSeconds) {
    EXPECT_EQ(parse_retry_after("120", rfc_example), 120s);
    EXPECT_EQ(parse_retry_after("0", rfc_example), 0s);
    EXPECT_EQ(parse_retry_after(" 5\t", rfc_example), 5s);
}

TEST(RetryAfter, HugeDeltaDoesNotOverflow) {
    const auto d = parse_retry_after("99999999999999999999999999", rfc_example);
    ASSERT_TRUE(d);
    EXPECT_GT(*d, hours{24 * 365});
}

TEST(RetryAfter, RejectsMalformedValues) {
    for (std::string_view bad : {"", " ", "-1", "+5", "1.5", "5s", "soon", "0x10", "12 34"})
        EXPECT_FALSE(parse_retry_after(bad, rfc_example)) << '"' << bad << '"';
}

TEST(RetryAfter, AllThreeHttpDateFormats) {
    const auto now = rfc_example - 90s;
    EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), 90s);
    EXPECT_EQ(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now), 90s);
    EXPECT_EQ(parse_retry_after("Sun Nov  6 08:49:37 1994", now), 90s);
}

TEST(RetryAfter, DateArithmeticMatchesTheEpoch) {
    const system_clock::time_point epoch{};
    EXPECT_EQ(parse_retry_after("Thu, 01 Jan 1970 00:01:40 GMT", epoch), 100s);
    // 2000 is a leap year: 1 March follows 29 February by one day.
    const auto feb29 = parse_retry_after("Tue, 29 Feb 2000 00:00:00 GMT", epoch);
    const auto mar01 = parse_retry_after("Wed, 01 Mar 2000 00:00:00 GMT", epoch);
    ASSERT_TRUE(feb29 && mar01);
    EXPECT_EQ(*mar01 - *feb29, 24h);
    EXPECT_EQ(parse_retry_after("Sat, 01 Jan 2000 00:00:00 GMT", epoch), sys_days{2000y / 1 / 1} - epoch);
}

TEST(RetryAfter, RfcEightFiftyTwoDigitYears) {
    const system_clock::time_point epoch{};
    EXPECT_EQ(parse_retry_after("Saturday, 01-Jan-00 00:00:00 GMT", epoch), sys_days{2000y / 1 / 1} - epoch);
    EXPECT_EQ(parse_retry_after("Thursday, 01-Jan-70 00:00:10 GMT", epoch), 10s);
}

TEST(RetryAfter, PastDateGivesZero) {
    EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", rfc_example + 1h), 0ms);
}

TEST(RetryAfter, SubSecondNowRoundsUp) {
    EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", rfc_example - 1500us), 2ms);
}

TEST(RetryAfter, RejectsMalformedDates) {
    for (std::string_view bad : {
             "Sun, 06 Nov 1994 08:49:37 UTC",    // zone must be GMT
             "Sun, 06 Nov 1994 08:49:37",        // no zone
             "Sun, 6 Nov 1994 08:49:37 GMT",     // day needs two digits
             "Sun, 06 Foo 1994 08:49:37 GMT",    // month
             "Sun, 31 Feb 1994 08:49:37 GMT",    // no such day
             "Mon, 29 Feb 1900 08:49:37 GMT",    // 1900 is not a leap year
             "Sun, 06 Nov 1994 24:00:00 GMT",    // hour
             "Sun, 06 Nov 1994 08:60:00 GMT",    // minute
             "Sun, 06 Nov 1994 08:49:37 GMT x",  // trailing text
             "Sun, 06 Nov 94 08:49:37 GMT",      // IMF-fixdate needs four digits
             "Sunday, 06-Nov-1994 08:49:37 GMT", // RFC 850 needs two
             "Sun Nov 6 08:49:37 1994",          // asctime pads the day with a space
             "Sunday Nov  6 08:49:37 1994",      // asctime weekday is three letters
             "Su, 06 Nov 1994 08:49:37 GMT",
         })
        EXPECT_FALSE(parse_retry_after(bad, rfc_example)) << bad;
}

// --- decide_retry: transport errors --------------------------------------------------------

TEST(DecideRetry, PreWriteFailuresAreRepeatableForEveryMethod) {
    for (auto e : {errc::resolve_failed, errc::connect_failed, errc::tls_handshake_failed, errc::pool_timeout}) {
        EXPECT_TRUE(is_pre_write_failure(make_error_code(e)));
        for (auto m : {http_method::get, http_method::post, http_method::patch}) {
            const auto d = decide_retry(m, transport_error(e, false), 1, test_options());
            EXPECT_EQ(d.verdict, retry_verdict::retry);
            EXPECT_EQ(d.delay, 100ms);
        }
    }
}

TEST(DecideRetry, OtherCodesAreNotPreWriteFailures) {
    for (auto e : {errc::timeout, errc::connection_closed, errc::truncated_body, errc::cancelled})
        EXPECT_FALSE(is_pre_write_failure(make_error_code(e)));
    EXPECT_FALSE(is_pre_write_failure({}));
    EXPECT_FALSE(is_pre_write_failure(make_error_code(boost::system::errc::connection_refused)));
}

TEST(DecideRetry, FailureBeforeAnyByteWasWrittenIsRepeatableForPost) {
    const auto d = decide_retry(http_method::post, transport_error(errc::connection_closed, false), 1, test_options());
    EXPECT_EQ(d.verdict, retry_verdict::retry);
}

TEST(DecideRetry, FailureAfterWritingRetriesSafeMethods) {
    for (auto e : {errc::connection_closed, errc::timeout, errc::truncated_body})
        for (auto m : {http_method::get, http_method::head, http_method::options})
            EXPECT_EQ(decide_retry(m, transport_error(e, true), 1, test_options()).verdict, retry_verdict::retry)
                << to_string(m);
}

// A PUT or DELETE that timed out may still be running on the server: a second DELETE would answer
// 404 for a delete that worked. Only a kept-alive connection found closed before any answer (the
// server never read the request) makes them repeatable.
TEST(DecideRetry, FailureAfterWritingIsMaybeCommittedForPutAndDeleteUnlessTheConnectionWasStale) {
    for (auto e : {errc::connection_closed, errc::timeout, errc::truncated_body})
        for (auto m : {http_method::put, http_method::delete_})
            EXPECT_EQ(decide_retry(m, transport_error(e, true), 1, test_options()).verdict,
                      retry_verdict::maybe_committed)
                << to_string(m);

    auto stale = transport_error(errc::connection_closed, true);
    stale.reused_connection = true;
    EXPECT_EQ(decide_retry(http_method::put, stale, 1, test_options()).verdict, retry_verdict::retry);
    stale.response_started = true;  // an answer had begun: the server did read it
    EXPECT_EQ(decide_retry(http_method::put, stale, 1, test_options()).verdict, retry_verdict::maybe_committed);
}

TEST(DecideRetry, FailureAfterWritingIsMaybeCommittedForPostAndPatch) {
    for (auto e : {errc::connection_closed, errc::timeout, errc::truncated_body})
        for (auto m : {http_method::post, http_method::patch})
            EXPECT_EQ(decide_retry(m, transport_error(e, true), 1, test_options()).verdict,
                      retry_verdict::maybe_committed);
}

TEST(DecideRetry, StaleReusedConnectionRetriesOnlyIdempotentMethods) {
    auto stale = transport_error(errc::connection_closed, true);
    stale.reused_connection = true;
    EXPECT_EQ(decide_retry(http_method::delete_, stale, 1, test_options()).verdict, retry_verdict::retry);
    EXPECT_EQ(decide_retry(http_method::post, stale, 1, test_options()).verdict, retry_verdict::maybe_committed);
}

TEST(DecideRetry, RejectedCertificatesAndUnknownHostsAreNotRetried) {
    for (auto e : {errc::certificate_rejected, errc::host_not_found})
        for (auto m : {http_method::get, http_method::post})
            EXPECT_EQ(decide_retry(m, transport_error(e, false), 1, test_options()).verdict, retry_verdict::done);
}

TEST(DecideRetry, SystemErrorsCountAsNetworkFailures) {
    const auto reset = transport_error(make_error_code(boost::system::errc::connection_reset), true);
    EXPECT_EQ(decide_retry(http_method::get, reset, 1, test_options()).verdict, retry_verdict::retry);
    EXPECT_EQ(decide_retry(http_method::post, reset, 1, test_options()).verdict, retry_verdict::maybe_committed);
}

TEST(DecideRetry, PermanentFailuresAreNeverRetried) {
    for (auto e : {errc::cancelled, errc::invalid_argument, errc::body_too_large, errc::decompression_failed,
                   errc::protocol_error})
        for (bool written : {false, true})
            EXPECT_EQ(decide_retry(http_method::get, transport_error(e, written), 1, test_options()).verdict,
                      retry_verdict::done)
                << make_error_code(e).message();
}

TEST(DecideRetry, SystemCancellationIsNotRetried) {
    const auto aborted = transport_error(make_error_code(boost::system::errc::operation_canceled), false);
    EXPECT_EQ(decide_retry(http_method::get, aborted, 1, test_options()).verdict, retry_verdict::done);
}

TEST(DecideRetry, LastAttemptEndsTheCall) {
    const auto opts = test_options();
    EXPECT_EQ(decide_retry(http_method::get, transport_error(errc::connect_failed, false), 2, opts).verdict,
              retry_verdict::retry);
    EXPECT_EQ(decide_retry(http_method::get, transport_error(errc::connect_failed, false), 3, opts).verdict,
              retry_verdict::done);
    EXPECT_EQ(decide_retry(http_method::get, status(503), 3, opts).verdict, retry_verdict::done);
    EXPECT_EQ(decide_retry(http_method::post, status(429, "1"), 4, opts).verdict, retry_verdict::done);
}

TEST(DecideRetry, MaxAttemptsOneNeverRetries) {
    auto opts = test_options();
    opts.max_attempts = 1;
    EXPECT_EQ(decide_retry(http_method::get, transport_error(errc::connect_failed, false), 1, opts).verdict,
              retry_verdict::done);
}

TEST(DecideRetry, MaybeCommittedSurvivesTheLastAttempt) {
    const auto d = decide_retry(http_method::post, transport_error(errc::connection_closed, true), 3, test_options());
    EXPECT_EQ(d.verdict, retry_verdict::maybe_committed);
}

TEST(DecideRetry, DelayGrowsWithTheAttemptNumber) {
    const auto opts = test_options(1.0);
    const auto failure = transport_error(errc::connect_failed, false);
    EXPECT_EQ(decide_retry(http_method::get, failure, 1, opts).delay, 200ms);
    EXPECT_EQ(decide_retry(http_method::get, failure, 2, opts).delay, 400ms);
}

// --- decide_retry: statuses ----------------------------------------------------------------

TEST(DecideRetry, SuccessAndClientErrorsAreDone) {
    for (int code : {200, 201, 204, 301, 400, 403, 404, 409, 412, 500, 501})
        EXPECT_EQ(decide_retry(http_method::get, status(code), 1, test_options()).verdict, retry_verdict::done)
            << code;
}

TEST(DecideRetry, TooManyRequestsRetriesEveryMethodWithBackoff) {
    for (auto m : {http_method::get, http_method::post, http_method::patch}) {
        const auto d = decide_retry(m, status(429), 1, test_options());
        EXPECT_EQ(d.verdict, retry_verdict::retry);
        EXPECT_EQ(d.delay, 100ms);
    }
}

TEST(DecideRetry, TooManyRequestsHonoursRetryAfterSeconds) {
    const auto d = decide_retry(http_method::post, status(429, "7"), 1, test_options());
    EXPECT_EQ(d.verdict, retry_verdict::retry);
    EXPECT_EQ(d.delay, 7s);
}

TEST(DecideRetry, TooManyRequestsHonoursRetryAfterDateWithTheClockSeam) {
    // The test clock reads 30 s before the date.
    const auto d = decide_retry(http_method::post, status(429, "Sun, 06 Nov 1994 08:49:37 GMT"), 1, test_options());
    EXPECT_EQ(d.verdict, retry_verdict::retry);
    EXPECT_EQ(d.delay, 30s);
}

TEST(DecideRetry, RetryAfterBeyondTheLimitIsNotWaitedFor) {
    auto opts = test_options();
    EXPECT_EQ(decide_retry(http_method::get, status(429, "60"), 1, opts).verdict, retry_verdict::retry);
    EXPECT_EQ(decide_retry(http_method::get, status(429, "61"), 1, opts).verdict, retry_verdict::done);
    opts.max_retry_after = 10s;
    EXPECT_EQ(decide_retry(http_method::get, status(429, "Sun, 06 Nov 1994 08:49:37 GMT"), 1, opts).verdict,
              retry_verdict::done);
}

TEST(DecideRetry, UnparseableRetryAfterFallsBackToBackoff) {
    const auto d = decide_retry(http_method::get, status(429, "later"), 2, test_options());
    EXPECT_EQ(d.verdict, retry_verdict::retry);
    EXPECT_EQ(d.delay, 200ms);
}

TEST(DecideRetry, GatewayErrorsRetryIdempotentMethodsOnly) {
    for (int code : {502, 503, 504}) {
        EXPECT_EQ(decide_retry(http_method::get, status(code), 1, test_options()).verdict, retry_verdict::retry);
        EXPECT_EQ(decide_retry(http_method::put, status(code), 1, test_options()).verdict, retry_verdict::retry);
        EXPECT_EQ(decide_retry(http_method::post, status(code), 1, test_options()).verdict, retry_verdict::done);
        EXPECT_EQ(decide_retry(http_method::patch, status(code), 1, test_options()).verdict, retry_verdict::done);
    }
}

TEST(DecideRetry, GatewayErrorsCanBeSwitchedOff) {
    auto opts = test_options();
    opts.retry_gateway_errors = false;
    for (int code : {502, 503, 504})
        EXPECT_EQ(decide_retry(http_method::get, status(code), 1, opts).verdict, retry_verdict::done);
    EXPECT_EQ(decide_retry(http_method::get, status(429), 1, opts).verdict, retry_verdict::retry);
}

TEST(DecideRetry, ServiceUnavailableHonoursRetryAfter) {
    const auto d = decide_retry(http_method::get, status(503, "3"), 1, test_options());
    EXPECT_EQ(d.verdict, retry_verdict::retry);
    EXPECT_EQ(d.delay, 3s);
    EXPECT_EQ(decide_retry(http_method::get, status(503, "3600"), 1, test_options()).verdict, retry_verdict::done);
}

}  // namespace
