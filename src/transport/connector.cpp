#include "transport/connector.hpp"

#include <netbox/error.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
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

/// Name resolution runs getaddrinfo on a thread of Asio's and cannot be interrupted. The caller
/// waits for its result or its deadline (or cancellation), whichever comes first; a late result
/// is dropped by the operation, which owns the resolver until then.
asio::awaitable<std::pair<error_code, tcp::resolver::results_type>> resolve(asio::any_io_executor ex,
                                                                             const origin& where,
                                                                             steady_time deadline) {
    struct pending {
        explicit pending(const asio::any_io_executor& ex, steady_time deadline) : resolver(ex), wake(ex, deadline) {}
        tcp::resolver resolver;
        asio::steady_timer wake;
        std::mutex mutex;
        bool done = false;
        error_code ec;
        tcp::resolver::results_type results;
    };
    auto p = std::make_shared<pending>(ex, deadline);
    p->resolver.async_resolve(where.host, std::to_string(where.port),
                              [p](error_code ec, tcp::resolver::results_type results) {
                                  std::lock_guard lock(p->mutex);
                                  p->done = true;
                                  p->ec = ec;
                                  p->results = std::move(results);
                                  p->wake.cancel();
                              });
    // Armed under the mutex, so the result cannot slip in between "not done" and "waiting".
    auto arm = [p](auto handler) {
        std::lock_guard lock(p->mutex);
        if (p->done)
            asio::post(p->wake.get_executor(), [h = std::move(handler)]() mutable { std::move(h)(error_code{}); });
        else
            p->wake.async_wait(std::move(handler));
    };
    auto token = asio::as_tuple(asio::use_awaitable);
    auto [wait_ec] = co_await asio::async_initiate<decltype(token), void(error_code)>(arm, token);

    std::unique_lock lock(p->mutex);
    if (p->done) co_return std::pair{p->ec, std::move(p->results)};
    lock.unlock();
    p->resolver.cancel();
    const error_code why = wait_ec == asio::error::operation_aborted ? errc::cancelled : errc::timeout;
    co_return std::pair{why, tcp::resolver::results_type{}};
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
                tls_error_ = make_error(errc::invalid_argument,
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
    const std::string target = where.to_string();

    auto [rec, endpoints] = co_await resolve(ex, where, deadline);
    if (rec == errc::timeout) co_return make_error(errc::timeout, "timed out resolving " + target);
    if (rec == errc::cancelled || rec == asio::error::operation_aborted)
        co_return make_error(errc::cancelled, "cancelled while resolving " + target);
    if (rec) {
        // A name that does not exist stays so: no retry. Other failures (a DNS server timing out) may pass.
        const errc code = rec == asio::error::host_not_found ? errc::host_not_found : errc::resolve_failed;
        co_return make_error(code, "cannot resolve " + target + ": " + rec.message());
    }

    beast::tcp_stream tcp(ex);
    tcp.expires_at(deadline);
    auto [cec, ep] = co_await tcp.async_connect(endpoints, nothrow);
    if (cec) {
        auto code = classify_io_error(cec, errc::connect_failed);
        if (code == errc::connection_closed) code = errc::connect_failed;
        co_return make_error(static_cast<errc>(code.value()), "cannot connect to " + target + ": " + cec.message());
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
        co_return make_error(errc::tls_handshake_failed, "cannot set TLS server name for " + target);
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
        co_return make_error(static_cast<errc>(code.value()), "TLS handshake with " + target + " failed: " + describe(hec));
    }
    beast::get_lowest_layer(*tls).expires_never();
    co_return std::unique_ptr<byte_stream>(std::make_unique<tls_byte_stream>(std::move(tls)));
}

}  // namespace netbox::detail
