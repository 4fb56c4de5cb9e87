// A byte stream as the HTTP exchange sees it: TCP, TLS, or a scripted fake in tests.
// Operations never throw; they report an error_code and the bytes transferred.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <utility>

namespace boost::asio::ssl {
class context;
}

namespace netbox::detail {

using io_result = std::pair<boost::system::error_code, std::size_t>;
using steady_time = std::chrono::steady_clock::time_point;

/// `now + d` without overflow: a negative `d` gives `now`, a huge one (milliseconds::max() as
/// "no limit") the latest representable time.
inline steady_time deadline_after(steady_time now, std::chrono::milliseconds d) {
    if (d.count() <= 0) return now;
    const auto room = std::chrono::duration_cast<std::chrono::milliseconds>(steady_time::max() - now);
    return d >= room ? steady_time::max() : now + d;
}

class byte_stream {
public:
    virtual ~byte_stream() = default;

    /// Reads at least one byte (or fails). End of stream is boost::asio::error::eof.
    virtual boost::asio::awaitable<io_result> read_some(boost::asio::mutable_buffer buffer) = 0;
    /// Writes the whole buffer (or fails, reporting how much was written).
    virtual boost::asio::awaitable<io_result> write(boost::asio::const_buffer buffer) = 0;
    /// Operations started after this call fail with errc::timeout once `deadline` passes; the
    /// stream is closed then.
    virtual void expires_at(steady_time deadline) = 0;
    /// Non-blocking check of an idle connection: true when the peer closed it, reset it, or sent
    /// something unsolicited. Such a connection must not be reused.
    virtual bool peer_closed() = 0;
    virtual void close() noexcept = 0;
};

/// Maps transport-level codes (Asio, Beast timeouts, SSL truncation) onto netbox::errc where one
/// applies; `fallback` for everything else.
boost::system::error_code classify_io_error(const boost::system::error_code& ec,
                                            boost::system::error_code fallback);

}  // namespace netbox::detail
