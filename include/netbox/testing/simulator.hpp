// netbox-cpp: an in-memory NetBox REST API server on loopback, for tests and demos
// (library target netbox::testing; executable netbox-sim). It serves every list and detail path of
// one NetBox release line from the API model, with a deterministic NetBox-shaped data set, auth,
// pagination, filters, writes, detail endpoints and fault injection. It runs on a thread of its
// own, so a test may block or drive its client on any executor. Free of Asio and Beast.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netbox::testing {

/// Faults injected into answers, in order of precedence. Every field is off by default.
struct fault_options {
    std::chrono::milliseconds latency{0};            ///< added to every request
    std::chrono::microseconds latency_per_object{0}; ///< added per object returned
    /// Statuses answered instead of the real one, in turn, one per request (e.g. {503, 503}); 429
    /// and 503 carry `Retry-After: retry_after_seconds`. Consumed as requests arrive.
    std::vector<int> status_sequence;
    double status_ratio = 0.0;  ///< probability of answering `ratio_status` instead (seeded)
    int ratio_status = 503;
    int retry_after_seconds = 1;
    /// What happens to the connection instead of a clean answer. The request is processed first in
    /// every case (a write is committed), so the client cannot know whether it took effect.
    enum class break_kind {
        none,
        reset_before_headers,  ///< TCP reset, nothing answered
        reset_after_headers,   ///< status line and headers, then a TCP reset
        truncate_body,         ///< headers with the full Content-Length, half the body, then close
        slow_body,             ///< the body in 4 parts, `slow_body_interval` apart
    };
    break_kind connection_fault = break_kind::none;  ///< applied to the next `connection_fault_count` requests
    int connection_fault_count = 0;
    std::chrono::milliseconds slow_body_interval{100};
};

struct simulator_options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;                ///< 0: a free port
    std::string version = "4.5";           ///< NetBox release line ("4.3" .. "4.6")
    std::vector<std::string> tokens{"0123456789abcdef0123456789abcdef01234567"};  ///< accepted tokens (v1, or nbt_<key>.<secret> from 4.5)
    std::size_t devices = 60;              ///< size of the generated data set
    std::uint64_t seed = 1;
    std::size_t max_page_size = 1000;      ///< MAX_PAGE_SIZE
    std::size_t default_page_size = 50;    ///< PAGINATE_COUNT
    bool connection_close = false;         ///< answer every request with Connection: close (gunicorn)
    bool login_required = true;            ///< LOGIN_REQUIRED: /api/ and /api/status/ need a token
    std::string provision_username = "admin";  ///< accepted by POST /api/users/tokens/provision/
    std::string provision_password = "admin";
    std::string schema_file;               ///< OpenAPI JSON served at /api/schema/; empty: 404
    bool record_requests = true;           ///< keep the request log (requests())
    /// Base of the absolute URLs in answers (`url`, `next`), as a misconfigured reverse proxy makes
    /// NetBox report them ("http://wrong-host:8080/netbox"); empty: from the Host header.
    std::string public_url;
    /// Longest request target (path and query) accepted; a longer one gets 414, as a proxy in
    /// front of NetBox answers. 0: no limit.
    std::size_t max_target_length = 0;
    fault_options faults;
};

/// One request as the simulator received it.
struct recorded_request {
    std::string method;
    std::string path;    ///< as sent, without the query
    std::string query;   ///< raw query string, as sent
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    int status = 0;      ///< what the simulator answered; 0 when the connection was reset instead
    std::size_t connection = 0;  ///< 0 for the first connection accepted, 1 for the next, ...

    /// First value of header `name` (case-insensitive), or "".
    std::string header(std::string_view name) const;
};

class simulator {
public:
    /// Builds the data set and starts listening; throws std::runtime_error when the version is not
    /// compiled in or the address cannot be bound.
    explicit simulator(simulator_options options = {});
    ~simulator();  ///< stops
    simulator(const simulator&) = delete;
    simulator& operator=(const simulator&) = delete;

    /// "http://127.0.0.1:<port>"
    std::string url() const;
    std::uint16_t port() const;
    /// The first accepted token (what a test's client should use).
    const std::string& token() const;
    const simulator_options& options() const;

    /// Every request received so far, oldest first.
    std::vector<recorded_request> requests() const;
    void clear_requests();
    /// Replaces the fault options for later requests.
    void set_faults(fault_options faults);

    /// Stops accepting, closes every connection, joins the thread. Idempotent.
    void stop();

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace netbox::testing
