// netbox-cpp: configuration of the low-level client. Free of Asio and Beast.
#pragma once

#include <netbox/http.hpp>

#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

namespace netbox {

using std::chrono::milliseconds;

/// How the token is sent. `automatic`: a token of the form `nbt_<key>.<secret>` is v2, anything else v1.
enum class token_version { automatic, v1, v2 };

struct tls_options {
    std::string ca_file;                  ///< PEM bundle of trusted CAs (added to the system store)
    std::string ca_path;                  ///< directory of hashed CA certificates
    std::string client_certificate_file;  ///< PEM client certificate, for mutual TLS
    std::string client_private_key_file;  ///< PEM private key of the client certificate
    bool use_system_ca = true;            ///< trust the operating system's CA store too
    /// Turns off certificate AND host-name verification. For lab servers with self-signed
    /// certificates only; the name says what it does so nobody sets it by accident.
    bool insecure_disable_verification = false;
};

/// Every wait is bounded. A per-call request_options value overrides these.
struct timeout_options {
    milliseconds connect{10'000};   ///< resolve + TCP connect + TLS handshake
    milliseconds attempt{30'000};   ///< one attempt: write the request, read the whole response
    milliseconds overall{120'000};  ///< the whole call: pool waits, every attempt, every backoff
};

/// Retry policy (docs/adr/0001): any method when nothing was written; idempotent methods on a
/// stale reused connection and on 502/503/504; 429 for any method honouring Retry-After; never 500
/// or other 4xx; a non-idempotent request that may have reached the server is never repeated.
struct retry_options {
    int max_attempts = 3;                  ///< total attempts, the first included (1 = no retries)
    milliseconds base_delay{200};          ///< backoff before retry n is random in [0, min(max_delay, base * 2^(n-1))]
    milliseconds max_delay{5'000};
    milliseconds max_retry_after{60'000};  ///< a longer Retry-After is not waited for: the 429 is returned
    bool retry_gateway_errors = true;      ///< retry 502/503/504 for idempotent methods

    // Test seams. Empty = the real thing.
    std::function<std::chrono::system_clock::time_point()> clock;  ///< "now" for Retry-After HTTP-dates
    std::function<double()> random;                                ///< uniform in [0, 1) for jitter
    /// Turns the delay the policy chose into the delay actually waited (tests return 0).
    std::function<milliseconds(milliseconds)> sleeper;
};

struct pool_options {
    std::size_t max_connections = 4;   ///< per origin
    milliseconds idle_timeout{30'000}; ///< an idle connection older than this is closed, not reused
    /// Most GETs written ahead on one connection before their answers are read (HTTP/1.1
    /// pipelining, used by the dynamic facade's offset scans when asked to). 1 turns pipelining
    /// off for this client, whatever a scan asks for (a proxy that mishandles it).
    std::size_t max_pipeline_depth = 8;
};

/// What the request hook sees, once per attempt, before the request is sent. Only `headers` may be
/// changed; `method`, `url` and `attempt` are for reading (changing them has no effect).
struct outgoing_request {
    http_method method;
    std::string url;      ///< absolute URL with the encoded query
    header_list headers;  ///< without the client's token; a hook that sets Authorization itself wins
    int attempt = 1;
};

using request_hook = std::function<void(outgoing_request&)>;
using response_hook = std::function<void(const outgoing_request&, const response&)>;

/// One observability event. `kind::attempt` for every attempt, `kind::request` once per call.
struct request_event {
    enum class kind { attempt, request };
    kind what = kind::attempt;
    http_method method = http_method::get;
    std::string path;                     ///< path and query, no host, never a token
    int status = 0;                       ///< 0 when no response
    int attempt = 1;                      ///< the attempt number, or the attempts made (kind::request)
    std::chrono::microseconds latency{0};
    std::size_t bytes_sent = 0;
    std::size_t bytes_received = 0;
    std::string request_id;
    boost::system::error_code error;      ///< empty on success
    bool will_retry = false;              ///< kind::attempt: another attempt follows
};

using event_observer = std::function<void(const request_event&)>;

struct client_options {
    /// `http[s]://host[:port][/prefix]`; a trailing slash is ignored. Required.
    std::string base_url;
    std::string token;                              ///< empty = anonymous
    token_version token_kind = token_version::automatic;
    /// Sent with every request. Ours (Accept, User-Agent, Accept-Encoding, Content-Type) apply
    /// only where these do not name the same header; Authorization is always the client's.
    header_list default_headers;
    std::string user_agent = "netbox-cpp/0.1";
    tls_options tls;
    timeout_options timeouts;
    retry_options retry;
    pool_options pool;
    std::size_t max_response_bytes = 64u << 20;     ///< decoded body limit; past it: errc::body_too_large
    bool accept_compression = true;                 ///< send Accept-Encoding: gzip, deflate
    int max_redirects = 5;                          ///< GET/HEAD only; the token never crosses origins
    request_hook on_request;
    response_hook on_response;
    event_observer observer;
};

/// Per-call overrides.
struct request_options {
    std::optional<milliseconds> connect_timeout;
    std::optional<milliseconds> attempt_timeout;
    std::optional<milliseconds> overall_timeout;
    std::optional<int> max_attempts;
    header_list headers;         ///< added to (and overriding) the default headers for this call
    bool authenticate = true;    ///< false: send no Authorization header (token provisioning does so)
    request_hook on_request;     ///< runs after the client's hook
    response_hook on_response;   ///< runs after the client's hook
};

}  // namespace netbox
