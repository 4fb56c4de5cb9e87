#include "support/test_server.hpp"

#include "support/test_certs.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <exception>
#include <mutex>
#include <thread>

namespace netbox::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using tls_stream = ssl::stream<beast::tcp_stream>;

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

const std::string* find_header(const header_fields& fields, std::string_view name)
{
    auto it = std::find_if(fields.begin(), fields.end(),
                           [&](const auto& field) { return beast::iequals(field.first, name); });
    return it == fields.end() ? nullptr : &it->second;
}

/// 1xx, 204 and 304 responses have no body and so no Content-Length of their own.
bool may_have_body(int status)
{
    return status >= 200 && status != 204 && status != 304;
}

/// Status line and header block of `r`, ending with the empty line. The body is not included.
std::string render_head(const reply& r, bool keep_alive)
{
    std::string head = "HTTP/1.1 " + std::to_string(r.status) + ' '
                       + std::string(http::obsolete_reason(http::int_to_status(r.status))) + "\r\n";
    for (const auto& [name, value] : r.headers)
        head += name + ": " + value + "\r\n";
    const bool framed = find_header(r.headers, "Content-Length") || find_header(r.headers, "Transfer-Encoding");
    if (!framed && may_have_body(r.status))
        head += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
    if (!keep_alive)
        head += "Connection: close\r\n";
    return head + "\r\n";
}

received_request to_received(const http::request<http::string_body>& request, std::size_t connection_index)
{
    received_request r;
    r.method = std::string(request.method_string());
    r.target = std::string(request.target());
    r.body = request.body();
    for (const auto& field : request)
        r.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    r.connection_index = connection_index;
    return r;
}

asio::awaitable<void> sleep_for(std::chrono::milliseconds duration)
{
    asio::steady_timer timer(co_await asio::this_coro::executor, duration);
    co_await timer.async_wait(use_tuple);
}

/// Returns only when the io_context is destroyed, which destroys this coroutine (see stop()).
asio::awaitable<void> wait_forever()
{
    asio::steady_timer timer(co_await asio::this_coro::executor, asio::steady_timer::time_point::max());
    co_await timer.async_wait(use_tuple);
}

template <class Stream>
asio::awaitable<bool> write_all(Stream& stream, const std::string& bytes)
{
    auto [ec, written] = co_await asio::async_write(stream, asio::buffer(bytes), use_tuple);
    co_return !ec;
}

/// FIN after everything written.
asio::awaitable<void> close_gracefully(beast::tcp_stream& stream)
{
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.close();
    co_return;
}

/// close_notify, waiting briefly for the client's, then FIN.
asio::awaitable<void> close_gracefully(tls_stream& stream)
{
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(1));
    co_await stream.async_shutdown(use_tuple);
    co_await close_gracefully(stream.next_layer());
}

/// TCP RST instead of FIN.
void reset(beast::tcp_stream& stream)
{
    boost::system::error_code ignored;
    stream.socket().set_option(tcp::socket::linger(true, 0), ignored);
    stream.close();
}

ssl::context make_tls_context(const server_options& options)
{
    const test_pki& p = pki();
    ssl::context context(ssl::context::tls_server);
    context.use_certificate_chain(asio::buffer(options.wrong_host_cert ? p.wrong_host_cert_pem : p.server_cert_pem));
    context.use_private_key(asio::buffer(options.wrong_host_cert ? p.wrong_host_key_pem : p.server_key_pem),
                            ssl::context::pem);
    if (options.require_client_cert) {
        context.add_certificate_authority(asio::buffer(p.ca_pem));
        context.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    }
    return context;
}

/// Completion of the server's coroutines: they handle their own errors, so anything else is a bug here.
void report_exception(std::exception_ptr e)
{
    try {
        if (e)
            std::rethrow_exception(e);
    } catch (const std::exception& x) {
        std::fprintf(stderr, "netbox::test::test_server: %s\n", x.what());
    }
}

}  // namespace

std::string received_request::header(std::string_view name) const
{
    const std::string* value = find_header(headers, name);
    return value ? *value : std::string();
}

bool received_request::has_header(std::string_view name) const
{
    return find_header(headers, name) != nullptr;
}

reply json_reply(int status, std::string body, header_fields extra_headers)
{
    reply r;
    r.status = status;
    r.body = std::move(body);
    r.headers.emplace_back("Content-Type", "application/json");
    r.headers.insert(r.headers.end(), extra_headers.begin(), extra_headers.end());
    return r;
}

struct test_server::impl {
    // Declaration order matters: `io` is destroyed (with every connection) before the state it uses.
    handler handle;
    server_options options;
    mutable std::mutex mutex;
    std::vector<received_request> requests;  // guarded by mutex
    std::atomic<std::size_t> connections{0};
    std::optional<ssl::context> tls;
    std::optional<asio::io_context> io;
    std::uint16_t port = 0;
    std::thread thread;

    impl(handler h, server_options o) : handle(std::move(h)), options(o)
    {
        if (options.tls)
            tls.emplace(make_tls_context(options));
        io.emplace();
        tcp::acceptor acceptor(*io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
        port = acceptor.local_endpoint().port();
        asio::co_spawn(*io, accept_loop(std::move(acceptor)), report_exception);
        thread = std::thread([this] { io->run(); });
    }

    void stop()
    {
        if (!io)
            return;
        io->stop();
        if (thread.joinable())
            thread.join();
        // Destroying the io_context destroys every suspended coroutine, and with them the
        // acceptor and every connection, whatever they were waiting for.
        io.reset();
    }

    asio::awaitable<void> accept_loop(tcp::acceptor acceptor)
    {
        for (;;) {
            auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
            if (ec)
                co_return;
            asio::co_spawn(acceptor.get_executor(), serve(std::move(socket), connections++), report_exception);
        }
    }

    asio::awaitable<void> serve(tcp::socket socket, std::size_t connection_index)
    {
        beast::tcp_stream stream(std::move(socket));
        if (options.hang_tls_handshake) {
            co_await wait_forever();
        } else if (!tls) {
            co_await serve_http(stream, connection_index);
        } else {
            tls_stream secure(std::move(stream), *tls);
            auto [ec] = co_await secure.async_handshake(ssl::stream_base::server, use_tuple);
            if (!ec)
                co_await serve_http(secure, connection_index);
        }
    }

    /// Requests and replies on one connection until either side closes it.
    template <class Stream>
    asio::awaitable<void> serve_http(Stream& stream, std::size_t connection_index)
    {
        beast::tcp_stream& tcp = beast::get_lowest_layer(stream);
        beast::flat_buffer buffer;
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.header_limit(64 * 1024);
            parser.body_limit(64 * 1024 * 1024);
            if (options.close_idle_after.count() > 0)
                tcp.expires_after(options.close_idle_after);  // on expiry the socket is closed, silently
            auto [ec, read] = co_await http::async_read(stream, buffer, parser, use_tuple);
            tcp.expires_never();
            if (ec)
                co_return;  // the client closed, sent something that is not HTTP, or stayed idle too long

            const http::request<http::string_body>& request = parser.get();
            const reply r = answer(record(to_received(request, connection_index)));
            if (r.delay.count() > 0)
                co_await sleep_for(r.delay);
            const bool keep_alive = request.keep_alive() && !r.close && !options.connection_close;

            switch (r.fault) {
            case fault::none:
                break;
            case fault::close_before_response:
                co_await close_gracefully(stream);
                co_return;
            case fault::hang_before_response:
                co_await wait_forever();
                co_return;
            case fault::reset:
                reset(tcp);
                co_return;
            case fault::truncate_body:
            case fault::hang_mid_body:
                if (!co_await write_all(stream, render_head(r, keep_alive) + r.body.substr(0, r.body.size() / 2)))
                    co_return;
                if (r.fault == fault::hang_mid_body)
                    co_await wait_forever();
                co_await close_gracefully(stream);
                co_return;
            }

            const bool head = request.method() == http::verb::head;
            const std::string bytes = r.raw ? *r.raw : render_head(r, keep_alive) + (head ? "" : r.body);
            if (!co_await write_all(stream, bytes))
                co_return;
            if (!keep_alive) {
                co_await close_gracefully(stream);
                co_return;
            }
        }
    }

    received_request record(received_request r)
    {
        std::lock_guard lock(mutex);
        requests.push_back(r);
        return r;
    }

    /// The handler's reply; a handler that throws gets a 500 carrying the exception's message.
    reply answer(const received_request& r)
    {
        try {
            return handle(r);
        } catch (const std::exception& e) {
            reply failure;
            failure.status = 500;
            failure.body = std::string("test handler threw: ") + e.what();
            return failure;
        }
    }
};

test_server::test_server(handler h, server_options options)
    : impl_(std::make_unique<impl>(std::move(h), options))
{
}

test_server::~test_server()
{
    stop();
}

std::uint16_t test_server::port() const
{
    return impl_->port;
}

std::string test_server::url() const
{
    return (impl_->options.tls ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port());
}

std::vector<received_request> test_server::requests() const
{
    std::lock_guard lock(impl_->mutex);
    return impl_->requests;
}

std::size_t test_server::connections_accepted() const
{
    return impl_->connections.load();
}

void test_server::stop()
{
    impl_->stop();
}

}  // namespace netbox::test
