#include "transport/connector.hpp"

#include <netbox/error.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>

namespace netbox::detail {
namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

/// Poll an idle socket: readable means EOF, RST or unsolicited bytes — all mean "do not reuse".
bool socket_readable_or_broken(tcp::socket& s) {
    if (!s.is_open()) return true;
    pollfd p{s.native_handle(), POLLIN | POLLRDHUP, 0};
    int n = ::poll(&p, 1, 0);
    return n != 0;
}

class tcp_byte_stream final : public byte_stream {
public:
    explicit tcp_byte_stream(beast::tcp_stream s) : s_(std::move(s)) {}

    asio::awaitable<io_result> read_some(asio::mutable_buffer b) override {
        auto [ec, n] = co_await s_.async_read_some(b, nothrow);
        co_return io_result{ec, n};
    }
    asio::awaitable<io_result> write(asio::const_buffer b) override {
        auto [ec, n] = co_await asio::async_write(s_, b, nothrow);
        co_return io_result{ec, n};
    }
    void expires_at(steady_time t) override { s_.expires_at(t); }
    bool peer_closed() override { return socket_readable_or_broken(s_.socket()); }
    void close() noexcept override {
        error_code ignored;
        s_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        s_.socket().close(ignored);
    }

private:
    beast::tcp_stream s_;
};

class tls_byte_stream final : public byte_stream {
public:
    explicit tls_byte_stream(std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> s) : s_(std::move(s)) {}

    asio::awaitable<io_result> read_some(asio::mutable_buffer b) override {
        auto [ec, n] = co_await s_->async_read_some(b, nothrow);
        co_return io_result{ec, n};
    }
    asio::awaitable<io_result> write(asio::const_buffer b) override {
        auto [ec, n] = co_await asio::async_write(*s_, b, nothrow);
        co_return io_result{ec, n};
    }
    void expires_at(steady_time t) override { beast::get_lowest_layer(*s_).expires_at(t); }
    bool peer_closed() override { return socket_readable_or_broken(beast::get_lowest_layer(*s_).socket()); }
    void close() noexcept override {
        // No TLS close_notify round trip: the connection is being dropped, not shut down politely.
        error_code ignored;
        beast::get_lowest_layer(*s_).socket().shutdown(tcp::socket::shutdown_both, ignored);
        beast::get_lowest_layer(*s_).socket().close(ignored);
    }

private:
    std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> s_;
};

error make(errc code, std::string message) {
    error e;
    e.code = code;
    e.message = std::move(message);
    return e;
}

std::string describe(const error_code& ec) {
    std::string text = ec.message();
    if (ec.category() == asio::error::get_ssl_category()) {
        // OpenSSL's reason string, e.g. "certificate verify failed".
        if (const char* reason = ::ERR_reason_error_string(static_cast<unsigned long>(ec.value()))) text = reason;
    }
    return text;
}

bool is_ip_literal(const std::string& host) {
    error_code ec;
    asio::ip::make_address(host, ec);
    return !ec;
}

}  // namespace

connector::connector(tls_options tls, bool tls_now) : options_(std::move(tls)) {
    if (tls_now) {
        if (auto ctx = tls_context(); !ctx) throw api_error(ctx.error());
    }
}

result<asio::ssl::context*> connector::tls_context() const {
    std::call_once(tls_once_, [this] {
        auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
        ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                         asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                         asio::ssl::context::no_tlsv1_1);
        if (options_.use_system_ca) {
            error_code ignored;  // a machine without a system store still works with ca_file
            ctx->set_default_verify_paths(ignored);
        }
        auto load = [this](const char* what, const std::string& file, auto&& fn) {
            if (file.empty() || tls_error_.code) return;
            error_code ec;
            fn(ec);
            if (ec)
                tls_error_ = make(errc::invalid_argument,
                                  std::string("cannot load TLS ") + what + " '" + file + "': " + describe(ec));
        };
        load("CA file", options_.ca_file, [&](error_code& ec) { ctx->load_verify_file(options_.ca_file, ec); });
        load("CA directory", options_.ca_path, [&](error_code& ec) { ctx->add_verify_path(options_.ca_path, ec); });
        load("client certificate", options_.client_certificate_file,
             [&](error_code& ec) { ctx->use_certificate_chain_file(options_.client_certificate_file, ec); });
        load("client private key", options_.client_private_key_file, [&](error_code& ec) {
            ctx->use_private_key_file(options_.client_private_key_file, asio::ssl::context::pem, ec);
        });
        ctx->set_verify_mode(options_.insecure_disable_verification ? asio::ssl::verify_none
                                                                    : asio::ssl::verify_peer);
        if (!tls_error_.code) tls_ = std::move(ctx);
    });
    if (!tls_) return tls_error_;
    return tls_.get();
}

connector::~connector() = default;

asio::awaitable<result<std::unique_ptr<byte_stream>>> connector::connect(asio::any_io_executor ex, const origin& where,
                                                                         steady_time deadline) const {
    using namespace asio::experimental::awaitable_operators;
    const std::string target = where.to_string();

    // Resolution has no timeout of its own: race it against the deadline.
    tcp::resolver resolver(ex);
    asio::steady_timer timer(ex, deadline);
    auto raced = co_await (resolver.async_resolve(where.host, std::to_string(where.port), nothrow) ||
                           timer.async_wait(nothrow));
    if (raced.index() == 1) {
        auto [ec] = std::get<1>(raced);
        if (ec == asio::error::operation_aborted) co_return make(errc::cancelled, "cancelled while resolving " + target);
        co_return make(errc::timeout, "timed out resolving " + target);
    }
    auto [rec, endpoints] = std::get<0>(std::move(raced));
    if (rec) {
        if (rec == asio::error::operation_aborted) co_return make(errc::cancelled, "cancelled while resolving " + target);
        // A name that does not exist stays so: no retry. Other failures (a DNS server timing out) may pass.
        const errc code = rec == asio::error::host_not_found ? errc::host_not_found : errc::resolve_failed;
        co_return make(code, "cannot resolve " + target + ": " + rec.message());
    }

    beast::tcp_stream tcp(ex);
    tcp.expires_at(deadline);
    auto [cec, ep] = co_await tcp.async_connect(endpoints, nothrow);
    if (cec) {
        auto code = classify_io_error(cec, errc::connect_failed);
        if (code == errc::connection_closed) code = errc::connect_failed;
        co_return make(static_cast<errc>(code.value()), "cannot connect to " + target + ": " + cec.message());
    }
    error_code ignored;
    tcp.socket().set_option(tcp::no_delay(true), ignored);

    if (!where.tls) {
        tcp.expires_never();
        co_return std::unique_ptr<byte_stream>(std::make_unique<tcp_byte_stream>(std::move(tcp)));
    }

    auto ctx = tls_context();
    if (!ctx) co_return ctx.error();
    auto tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(std::move(tcp), **ctx);
    if (!is_ip_literal(where.host) && !::SSL_set_tlsext_host_name(tls->native_handle(), where.host.c_str()))
        co_return make(errc::tls_handshake_failed, "cannot set TLS server name for " + target);
    if (!options_.insecure_disable_verification)
        tls->set_verify_callback(asio::ssl::host_name_verification(where.host));
    auto [hec] = co_await tls->async_handshake(asio::ssl::stream_base::client, nothrow);
    if (hec) {
        auto code = classify_io_error(hec, errc::tls_handshake_failed);
        if (code == errc::connection_closed) code = errc::tls_handshake_failed;
        // A certificate that fails verification fails again: no retry.
        if (hec.category() == asio::error::get_ssl_category() &&
            ERR_GET_REASON(static_cast<unsigned long>(hec.value())) == SSL_R_CERTIFICATE_VERIFY_FAILED)
            code = errc::certificate_rejected;
        co_return make(static_cast<errc>(code.value()), "TLS handshake with " + target + " failed: " + describe(hec));
    }
    beast::get_lowest_layer(*tls).expires_never();
    co_return std::unique_ptr<byte_stream>(std::make_unique<tls_byte_stream>(std::move(tls)));
}

}  // namespace netbox::detail
