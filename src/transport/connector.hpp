// Opens connections: resolve, TCP connect, TLS handshake with SNI and host-name verification.
#pragma once

#include "client/url.hpp"
#include "transport/stream.hpp"

#include <netbox/options.hpp>
#include <netbox/result.hpp>

#include <memory>
#include <mutex>

namespace netbox::detail {

class connector {
public:
    /// With `tls_now` (an https base URL) the TLS context is built at once, so a CA or certificate
    /// file that cannot be loaded fails here with api_error(errc::invalid_argument). Otherwise it is
    /// built on the first TLS connection: loading the system CA store costs milliseconds that a
    /// plain-HTTP client should not pay.
    connector(tls_options tls, bool tls_now);
    ~connector();

    /// Connects to `where`; every step is bounded by `deadline`. Errors: errc::resolve_failed,
    /// connect_failed, tls_handshake_failed, timeout, cancelled, invalid_argument (TLS files) — with
    /// a message saying which host.
    boost::asio::awaitable<result<std::unique_ptr<byte_stream>>> connect(boost::asio::any_io_executor executor,
                                                                         const origin& where,
                                                                         steady_time deadline) const;

private:
    /// The TLS context, built once (thread-safe).
    result<boost::asio::ssl::context*> tls_context() const;

    const tls_options options_;
    mutable std::once_flag tls_once_;
    mutable std::unique_ptr<boost::asio::ssl::context> tls_;
    mutable error tls_error_;
};

}  // namespace netbox::detail
