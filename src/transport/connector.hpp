// Opens connections: resolve, TCP connect, TLS handshake with SNI and host-name verification.
#pragma once

#include "client/url.hpp"
#include "transport/stream.hpp"

#include <netbox/options.hpp>
#include <netbox/result.hpp>

#include <memory>

namespace netbox::detail {

class connector {
public:
    /// Builds the TLS context from `tls`; throws api_error(errc::invalid_argument) when a CA or
    /// certificate file cannot be loaded.
    explicit connector(const tls_options& tls);
    ~connector();

    /// Connects to `where`; every step is bounded by `deadline`. Errors: errc::resolve_failed,
    /// connect_failed, tls_handshake_failed, timeout, cancelled — with a message saying which host.
    boost::asio::awaitable<result<std::unique_ptr<byte_stream>>> connect(boost::asio::any_io_executor executor,
                                                                         const origin& where,
                                                                         steady_time deadline) const;

private:
    std::unique_ptr<boost::asio::ssl::context> tls_;
    bool verify_ = true;
};

}  // namespace netbox::detail
