#include "pipeline/retry.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <random>

namespace netbox::detail {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

double default_random() {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    return std::uniform_real_distribution<double>{0.0, 1.0}(engine);
}

/// Network trouble that another attempt may not meet. Anything else netbox-cpp reports
/// (cancellation, bad input, an oversized, undecodable or malformed response) would recur or must
/// not be repeated.
bool is_transient_failure(const boost::system::error_code& ec) {
    if (ec == errc::cancelled || ec == boost::system::errc::operation_canceled) return false;
    if (ec.category() != netbox_category()) return true;  // system and TLS codes: network trouble
    return is_pre_write_failure(ec) || ec == errc::timeout || ec == errc::connection_closed ||
           ec == errc::truncated_body;
}

// --- HTTP-date (RFC 9110 section 5.6.7) ------------------------------------------------------

std::string_view trim(std::string_view s) {
    auto space = [](char c) { return c == ' ' || c == '\t'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return s;
}

/// Consumes an HTTP-date from left to right; every method returns false on a mismatch.
class date_scanner {
public:
    explicit date_scanner(std::string_view text) : rest_(text) {}

    bool done() const { return rest_.empty(); }

    bool literal(std::string_view expected) {
        if (!rest_.starts_with(expected)) return false;
        rest_.remove_prefix(expected.size());
        return true;
    }

    /// Exactly `width` digits.
    bool number(std::size_t width, int& out) {
        if (rest_.size() < width) return false;
        const auto* end = rest_.data() + width;
        auto [ptr, ec] = std::from_chars(rest_.data(), end, out);
        if (ec != std::errc{} || ptr != end || rest_.front() == '-' || rest_.front() == '+') return false;
        rest_.remove_prefix(width);
        return true;
    }

    /// A day of month written "06" or " 6" (asctime).
    bool padded_day(int& out) {
        if (literal(" ")) return number(1, out);
        return number(2, out);
    }

    bool month(unsigned& out) {
        static constexpr std::array<std::string_view, 12> names{
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        for (unsigned i = 0; i < names.size(); ++i)
            if (literal(names[i])) {
                out = i + 1;
                return true;
            }
        return false;
    }

    /// "Sun" or "Sunday": the weekday is redundant, so only its shape is checked.
    std::string_view word() {
        std::size_t n = 0;
        while (n < rest_.size() && std::isalpha(static_cast<unsigned char>(rest_[n]))) ++n;
        auto w = rest_.substr(0, n);
        rest_.remove_prefix(n);
        return w;
    }

    bool time_of_day(int& h, int& m, int& s) {
        return number(2, h) && literal(":") && number(2, m) && literal(":") && number(2, s);
    }

private:
    std::string_view rest_;
};

struct date_fields {
    int year = 0;
    unsigned month = 0;
    int day = 0;
    int hour = 0;
    int minute = 0;
    int second = 0;
};

std::optional<date_fields> scan_http_date(std::string_view text) {
    date_scanner in(text);
    date_fields f;
    const auto weekday = in.word();
    if (weekday.size() < 3) return std::nullopt;

    if (in.literal(", ")) {
        if (weekday.size() == 3) {  // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
            if (!(in.number(2, f.day) && in.literal(" ") && in.month(f.month) && in.literal(" ") &&
                  in.number(4, f.year) && in.literal(" ")))
                return std::nullopt;
        } else {  // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
            if (!(in.number(2, f.day) && in.literal("-") && in.month(f.month) && in.literal("-") &&
                  in.number(2, f.year) && in.literal(" ")))
                return std::nullopt;
            // A fixed pivot instead of RFC 9110's "50 years from now": this format died in the 1990s.
            f.year += f.year < 70 ? 2000 : 1900;
        }
        if (!(in.time_of_day(f.hour, f.minute, f.second) && in.literal(" GMT"))) return std::nullopt;
    } else {  // asctime: Sun Nov  6 08:49:37 1994
        if (!(weekday.size() == 3 && in.literal(" ") && in.month(f.month) && in.literal(" ") &&
              in.padded_day(f.day) && in.literal(" ") && in.time_of_day(f.hour, f.minute, f.second) &&
              in.literal(" ") && in.number(4, f.year)))
            return std::nullopt;
    }
    if (!in.done()) return std::nullopt;
    return f;
}

std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view text) {
    const auto f = scan_http_date(text);
    if (!f) return std::nullopt;
    // std::chrono's civil calendar does the days-from-civil arithmetic, with no locale or time zone.
    const std::chrono::year_month_day date{std::chrono::year{f->year}, std::chrono::month{f->month},
                                           std::chrono::day{static_cast<unsigned>(f->day)}};
    if (!date.ok() || f->hour > 23 || f->minute > 59 || f->second > 60) return std::nullopt;
    return std::chrono::sys_days{date} + std::chrono::hours{f->hour} + std::chrono::minutes{f->minute} +
           seconds{f->second};
}

std::optional<milliseconds> parse_delta_seconds(std::string_view text) {
    // Far beyond any max_retry_after, and small enough not to overflow milliseconds.
    constexpr std::uint64_t cap = 1'000'000'000;
    if (text.empty() || !std::ranges::all_of(text, [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    std::uint64_t value = 0;
    if (std::from_chars(text.data(), text.data() + text.size(), value).ec != std::errc{}) value = cap;
    return seconds{std::min(value, cap)};
}

/// GET, HEAD and OPTIONS: repeating them changes nothing on the server.
bool is_safe(http_method m) {
    return m == http_method::get || m == http_method::head || m == http_method::options;
}

}  // namespace

bool is_pre_write_failure(const boost::system::error_code& ec) {
    return ec == errc::resolve_failed || ec == errc::connect_failed || ec == errc::tls_handshake_failed ||
           ec == errc::pool_timeout;
}

std::chrono::milliseconds backoff_delay(int retry, const retry_options& opts) {
    // Double until the cap is reached; stopping early cannot overflow whatever `retry` is.
    auto ceiling = std::max(opts.base_delay, milliseconds{0});
    for (int i = 1; i < retry && ceiling < opts.max_delay; ++i) ceiling *= 2;
    ceiling = std::min(ceiling, opts.max_delay);

    const double r = std::clamp(opts.random ? opts.random() : default_random(), 0.0, 1.0);
    return milliseconds{static_cast<milliseconds::rep>(r * static_cast<double>(ceiling.count()))};
}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::chrono::system_clock::time_point now) {
    value = trim(value);
    if (auto delta = parse_delta_seconds(value)) return delta;
    const auto date = parse_http_date(value);
    if (!date) return std::nullopt;
    return std::max(std::chrono::ceil<milliseconds>(*date - now), milliseconds{0});
}

retry_decision decide_retry(http_method method, const attempt_outcome& outcome, int attempt,
                            const retry_options& opts) {
    const bool idempotent = is_idempotent(method);
    const retry_decision done{};
    const bool last = attempt >= opts.max_attempts;

    auto again = [&](milliseconds delay) { return last ? done : retry_decision{retry_verdict::retry, delay}; };
    auto backoff = [&] { return again(backoff_delay(attempt, opts)); };
    // Retry-After wins over backoff; one longer than we are willing to wait ends the call.
    auto honour_retry_after = [&] {
        if (!outcome.retry_after) return backoff();
        const auto now = opts.clock ? opts.clock() : std::chrono::system_clock::now();
        const auto wait = parse_retry_after(*outcome.retry_after, now);
        if (!wait) return backoff();
        return *wait > opts.max_retry_after ? done : again(*wait);
    };

    if (outcome.error) {
        if (!is_transient_failure(outcome.error)) return done;
        // Repeatable for any method while no byte was written, and for safe methods in any case.
        // PUT and DELETE are repeated only when a kept-alive connection turned out closed before any
        // answer (the server never read them); after a timeout the first copy may still be running,
        // and a repeated DELETE would answer 404 for a delete that worked.
        if (!outcome.request_bytes_written || is_pre_write_failure(outcome.error) || is_safe(method)) return backoff();
        if (idempotent && outcome.reused_connection && !outcome.response_started) return backoff();
        return {retry_verdict::maybe_committed, milliseconds{0}};
    }

    switch (outcome.status) {
    case 429:
        return honour_retry_after();
    case 503:
        if (opts.retry_gateway_errors && idempotent) return honour_retry_after();
        return done;
    case 502:
    case 504:
        if (opts.retry_gateway_errors && idempotent) return backoff();
        return done;
    default:
        return done;
    }
}

}  // namespace netbox::detail
