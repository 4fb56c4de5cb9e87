// One HTTP/1.1 request/response exchange over a byte_stream, driven through Beast's sans-io
// parser. It records what the retry policy and the pool need to know: whether any request byte
// was written, whether any response byte arrived, and whether the connection may be reused.
#pragma once

#include "transport/stream.hpp"

#include <netbox/http.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace netbox::detail {

struct exchange_limits {
    std::size_t max_body = 64u << 20;
    std::size_t max_header = 64u << 10;
};

struct exchange_result {
    boost::system::error_code error;  ///< an errc; empty on success
    std::string error_text;           ///< what the underlying layer said
    bool reusable = false;            ///< keep-alive and the message ended cleanly
    int status = 0;
    header_list headers;
    std::string body;                 ///< as received (still content-encoded)
    std::size_t bytes_sent = 0;
    std::size_t bytes_received = 0;
    std::size_t bytes_early = 0;      ///< bytes of this response read with an earlier one (pipelining)

    bool request_written() const noexcept { return bytes_sent > 0; }  ///< a request byte reached the stream
    /// A response byte arrived.
    bool response_started() const noexcept { return bytes_received > 0 || bytes_early > 0; }
};

/// Writes `request` (a complete serialized request) and reads one response. `buffer` holds bytes
/// read past the previous response on this connection (normally none) and keeps what is read past
/// this one. `head` = the request was HEAD (no body follows the header).
boost::asio::awaitable<exchange_result> run_exchange(byte_stream& stream, boost::beast::flat_buffer& buffer,
                                                     std::string_view request, bool head,
                                                     const exchange_limits& limits);

/// Reads one response of a request already written (run_exchange's second half; pipelining writes
/// several requests, then calls this once per request). `more_expected`: further answers of
/// requests written ahead may follow, so bytes left in `buffer` after this response belong to the
/// next one and do not make the connection unusable. bytes_sent stays 0: the caller knows it.
boost::asio::awaitable<exchange_result> read_response(byte_stream& stream, boost::beast::flat_buffer& buffer,
                                                      bool head, const exchange_limits& limits,
                                                      bool more_expected);

}  // namespace netbox::detail
