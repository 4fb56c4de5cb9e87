// Base URL parsing and request target building (Boost.URL).
#pragma once

#include <netbox/http.hpp>
#include <netbox/result.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace netbox::detail {

/// scheme://host:port — what a connection is for. Equal origins share a pool.
struct origin {
    bool tls = false;
    std::string host;       ///< as in the URL, without brackets for IPv6
    std::uint16_t port = 0; ///< explicit or the scheme's default
    friend bool operator==(const origin&, const origin&) = default;
    std::string to_string() const;  ///< "https://host:port" (port omitted when default)
};

struct base_url {
    origin where;
    std::string prefix;  ///< path prefix without trailing slash: "" or "/netbox"
    std::string text;    ///< normalised: scheme://host[:port]prefix
};

/// Accepts http/https URLs with an optional path prefix and trailing slash. Rejects anything with
/// user info, a query or a fragment, and other schemes: errc::invalid_argument with a clear message.
result<base_url> parse_base_url(std::string_view url);

/// Checks a request path: must start with '/', must not be an absolute URL, must not carry '?' or
/// '#', and under /api/ must end with '/'. errc::invalid_argument otherwise.
result<void> check_request_path(std::string_view path);

/// prefix + path + "?" + percent-encoded query (repeated keys kept, in order). `path` is plain
/// text: characters outside the RFC 3986 path set, '%' included, are percent-encoded. Query keys
/// and values keep only unreserved characters literal (so '+' is sent as %2B, space as %20).
std::string build_target(const base_url& base, std::string_view path, const query_params& query);

/// The origin of an absolute URL in a Location header, and its target (path + query). A relative
/// Location is resolved (RFC 3986 section 5) against `current` and `current_target`, the target of
/// the request that was redirected. Only http and https are accepted; the fragment is dropped.
struct resolved_location {
    origin where;
    std::string target;
};
result<resolved_location> resolve_location(const origin& current, std::string_view location,
                                           std::string_view current_target = "/");

}  // namespace netbox::detail
