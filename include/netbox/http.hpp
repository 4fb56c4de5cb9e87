// netbox-cpp: HTTP vocabulary of the low-level client. Free of Asio and Beast.
#pragma once

#include <netbox/multipart.hpp>
#include <netbox/result.hpp>

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace netbox {

enum class http_method { get, head, post, put, patch, delete_, options };

std::string_view to_string(http_method m) noexcept;

/// GET, HEAD, OPTIONS, PUT and DELETE (RFC 9110 section 9.2.2).
bool is_idempotent(http_method m) noexcept;

/// Ordered header list. Names compare case-insensitively; order and duplicates are kept.
class header_list {
public:
    header_list() = default;
    header_list(std::initializer_list<std::pair<std::string, std::string>> init);

    /// The first value of `name`, or nullopt.
    std::optional<std::string_view> get(std::string_view name) const;
    bool contains(std::string_view name) const { return get(name).has_value(); }
    /// Replaces every field of that name by one.
    void set(std::string name, std::string value);
    /// Appends, keeping existing fields of the same name.
    void add(std::string name, std::string value);
    void erase(std::string_view name);

    auto begin() const { return fields_.begin(); }
    auto end() const { return fields_.end(); }
    std::size_t size() const { return fields_.size(); }
    bool empty() const { return fields_.empty(); }

private:
    std::vector<std::pair<std::string, std::string>> fields_;
};

/// Query parameters in order. Keys may repeat (NetBox ORs repeated filters: `site=a&site=b`).
/// Values are raw text; the client percent-encodes them.
using query_params = std::vector<std::pair<std::string, std::string>>;

/// A body given as bytes with its content type.
struct raw_body {
    std::string content_type;
    std::string data;
};

/// What a request sends: nothing, JSON, raw bytes, or multipart/form-data.
using payload = std::variant<std::monostate, boost::json::value, raw_body, multipart_form>;

/// An HTTP response as the low-level client returns it, whatever its status.
struct response {
    int status = 0;
    header_list headers;
    std::string body;   ///< decoded (gzip/deflate removed)
    int attempts = 1;   ///< attempts the client made for this response
    http_method method = http_method::get;  ///< the request's method
    std::string url;    ///< the request's URL (never carries a token)

    bool ok() const noexcept { return status >= 200 && status < 300; }
    std::optional<std::string_view> header(std::string_view name) const { return headers.get(name); }
    /// `API-Version` header ("4.5"), empty when absent.
    std::string_view api_version() const;
    /// `X-Request-ID` header, empty when absent.
    std::string_view request_id() const;
    /// Parses the body as JSON after checking the content type. Empty body gives null.
    result<boost::json::value> try_json() const;
    /// Throwing form of try_json().
    boost::json::value json() const;
    /// Success for 2xx; otherwise errc::http_status with NetBox's error body taken apart:
    /// `{"detail": ...}`, the 500 body `{"error", "exception", ...}`, per-field validation maps
    /// (also per item for bulk writes), or a list of messages.
    result<void> check_status() const;
    /// Throwing form of check_status().
    void raise_for_status() const;
    /// An error about this response: `code` and our `message`, with the status, method, URL,
    /// X-Request-ID, attempts and the start of the body filled in.
    error to_error(errc code, std::string message) const;
};

}  // namespace netbox
