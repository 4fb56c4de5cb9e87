#include "transport/stream.hpp"

#include <netbox/error.hpp>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>

namespace netbox::detail {

boost::system::error_code classify_io_error(const boost::system::error_code& ec, boost::system::error_code fallback) {
    namespace aerr = boost::asio::error;
    if (!ec) return ec;
    if (ec.category() == netbox_category()) return ec;
    if (ec == boost::beast::error::timeout || ec == aerr::timed_out) return errc::timeout;
    if (ec == aerr::operation_aborted) return errc::cancelled;
    if (ec == aerr::eof || ec == aerr::connection_reset || ec == aerr::broken_pipe ||
        ec == aerr::connection_aborted || ec == aerr::not_connected || ec == aerr::bad_descriptor ||
        ec == boost::asio::ssl::error::stream_truncated)
        return errc::connection_closed;
    return fallback;
}

}  // namespace netbox::detail
