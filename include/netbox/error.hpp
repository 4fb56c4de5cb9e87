// netbox-cpp: error model (see docs/adr/0001-error-model.md).
#pragma once

#include <boost/assert/source_location.hpp>
#include <boost/system/error_code.hpp>

#include <stdexcept>
#include <string>
#include <system_error>
#include <type_traits>
#include <vector>

namespace netbox {

/// Failures that belong to netbox-cpp itself. Non-2xx HTTP answers are not errors of the
/// low-level client; they become `errc::http_status` only where a helper needs a 2xx.
enum class errc {
    invalid_argument = 1,   ///< the caller's input was rejected before anything was sent
    resolve_failed,         ///< the host name could not be resolved
    connect_failed,         ///< TCP connection refused or unreachable
    tls_handshake_failed,   ///< TLS handshake failed (includes certificate verification)
    timeout,                ///< a connect, attempt or overall deadline passed
    pool_timeout,           ///< no connection became free before the deadline
    connection_closed,      ///< the peer closed or reset the connection before a full response
    truncated_body,         ///< the connection ended in the middle of the response body
    protocol_error,         ///< the response was not valid HTTP/1.1
    body_too_large,         ///< the response exceeded client_options::max_response_bytes
    decompression_failed,   ///< a gzip/deflate body could not be decoded
    unexpected_content_type,///< JSON was expected but the response is of another type
    json_parse_error,       ///< the body is not valid JSON
    cancelled,              ///< the operation was cancelled through its cancellation slot
    maybe_committed,        ///< a non-idempotent request failed after its bytes may have reached the server
    too_many_redirects,     ///< more redirects than client_options::max_redirects
    http_status,            ///< a helper needed a 2xx answer and got another status
    graphql_error,          ///< a GraphQL answer carried `errors`
    unsupported,            ///< the server or response does not support what was asked
    certificate_rejected,   ///< TLS: the server's certificate failed verification (not retried)
    host_not_found,         ///< the host name does not exist (not retried)
    // The dynamic facade (docs/dynamic.md):
    content_error,          ///< a 2xx body is not what the endpoint promises (pynetbox ContentError)
    allocation_failed,      ///< available-ips/-prefixes/-vlans/-asns answered 409 (pynetbox AllocationError)
    invalid_filter,         ///< strict filters: a filter the endpoint does not accept (ParameterValidationError)
    ambiguous_result,       ///< get(filters) matched more than one object
    inconsistent_pagination,///< offset pages overlapped or the count changed during a scan
    // The typed client (docs/typed.md):
    validation_failed,      ///< a typed request broke its schema's rules; nothing was sent (see field_errors)
    version_mismatch,       ///< the server's API-Version is not the release line the typed client is pinned to
};

const boost::system::error_category& netbox_category() noexcept;

inline boost::system::error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), netbox_category()};
}

/// One NetBox validation message list for one field (`{"name": ["This field is required."]}`).
/// For bulk writes the field is prefixed with the item index: `"[2].name"`.
struct field_error {
    std::string field;
    std::vector<std::string> messages;
};

/// Everything known about a failed call. A plain value: copy it, log `what()`, inspect the fields.
/// Text that came from the server (`detail`, `field_errors`, `body_excerpt`) is kept apart from
/// `message`, which is ours. Nothing in it ever contains the API token.
struct error {
    boost::system::error_code code;       ///< an `errc`, or the underlying system/ssl code
    std::string message;                  ///< our own description
    int status = 0;                       ///< HTTP status, 0 when no response arrived
    std::string detail;                   ///< NetBox's `detail` (or `error`) text, untrusted
    std::vector<field_error> field_errors;///< NetBox per-field validation messages, untrusted
    std::string method;                   ///< "GET", "POST", ...
    std::string url;                      ///< full URL of the request (never carries a token)
    std::string request_id;               ///< the server's X-Request-ID, when a response arrived
    int attempts = 0;                     ///< how many attempts were made
    bool maybe_committed = false;         ///< the request may have been processed by the server
    std::string body_excerpt;             ///< the first bytes of the response body, untrusted

    /// One line for logs: "<message> [<method> <url>] status=… detail=… request_id=… attempts=…".
    std::string what() const;
};

/// An error of our own: a code and our message, nothing from a server.
inline error make_error(errc code, std::string message) {
    error e;
    e.code = make_error_code(code);
    e.message = std::move(message);
    return e;
}

/// The exception that the throwing forms of every call raise.
class api_error : public std::runtime_error {
public:
    explicit api_error(error e);
    const error& info() const noexcept { return info_; }
    boost::system::error_code code() const noexcept { return info_.code; }
    int status() const noexcept { return info_.status; }

private:
    error info_;
};

/// Hook used by `boost::system::result<T, netbox::error>::value()`.
[[noreturn]] void throw_exception_from_error(const error& e, const boost::source_location& loc);

}  // namespace netbox

namespace boost::system {
template <>
struct is_error_code_enum<::netbox::errc> : std::true_type {};
}  // namespace boost::system
