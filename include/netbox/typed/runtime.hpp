// netbox-cpp: the compiled part of the typed client, behind the endpoint templates. Internal.
#pragma once

#include <netbox/client.hpp>
#include <netbox/dynamic/endpoint.hpp>
#include <netbox/typed/options.hpp>
#include <netbox/types/codec.hpp>

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace netbox::typed_detail {

struct state;
using state_ptr = std::shared_ptr<const state>;

/// `release_line` is the typed model's ("4.5").
state_ptr make_state(client c, typed_options options, std::string_view release_line);
const client& client_of(const state& s) noexcept;
const typed_options& options_of(const state& s) noexcept;

using decode_fn = std::function<void(const boost::json::value&, codec::decoder&)>;
using encode_fn = std::function<void(boost::json::value&)>;
using validate_fn = std::function<void(codec::validator&)>;

/// One typed operation, ready to send.
struct call {
    http_method method = http_method::get;
    std::string path;
    query_params query;
    encode_fn body;          ///< empty: no body
    validate_fn validate;    ///< empty: nothing to check
    bool empty_on_404 = false;
    std::string* text = nullptr;  ///< set: the answer's body is stored here as text (SVG), not decoded
};

/// Checks the release line on first contact, validates, sends, requires a 2xx and decodes the
/// answer with `decode` (when given). false: a 404 with call::empty_on_404.
boost::asio::awaitable<result<bool>> run(state_ptr s, call c, decode_fn decode);

/// `pattern` with `{id}` (or `{name}`) replaced. A text id is percent-encoded once, by the client
/// like the rest of the path; a '/' in it never leaves its path segment.
std::string fill_path(std::string_view pattern, std::int64_t id);
std::string fill_path(std::string_view pattern, std::string_view id);

/// A list scan of the dynamic facade over the same client: `app`/`name` of the endpoint, the
/// query the params encode to (filters and list options).
record_set scan(const state& s, std::string_view app, std::string_view name, const query_params& query,
                list_options options);
/// Decodes a record of a scan; a content_error naming the JSON pointer when it does not fit.
result<void> decode_record(const state& s, const record& r, const decode_fn& decode);

/// The release line of a version string: "4.5" and "4.5.10" → "4.5"; an errc::unsupported error
/// for anything that is not one of `supported`.
result<std::string> release_line_of(std::string_view version, std::span<const std::string_view> supported);

}  // namespace netbox::typed_detail
