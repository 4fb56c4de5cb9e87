// Content-Encoding decoding (gzip, deflate — zlib or raw) with an output limit.
#pragma once

#include <netbox/result.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace netbox::detail {

/// Decodes `body` according to `content_encoding` ("gzip", "x-gzip", "deflate", "identity" or empty;
/// case-insensitive; a list "gzip, identity" is decoded right to left). Errors:
/// errc::decompression_failed (corrupt or truncated stream, unknown coding), errc::body_too_large
/// (decoded size would exceed `limit`). The error's message says which.
result<std::string> decode_content(std::string_view content_encoding, std::string body, std::size_t limit);

/// gzip-encodes (for tests and the test servers).
std::string gzip_compress(std::string_view data);
/// zlib-wrapped deflate (for tests).
std::string deflate_compress(std::string_view data);

}  // namespace netbox::detail
