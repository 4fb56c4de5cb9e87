// An in-process HTTP/1.1 keep-alive server for the end-to-end benchmark: 127.0.0.1 on a free
// port, its own io_context on its own thread, answering GET /api/status/ with a NetBox-like
// status document and headers (API-Version, X-Request-ID, ...). Anything else gets a 404.
//
// The answer is serialized once per connection and only the X-Request-ID is stamped per request,
// so the server spends as little as possible of the shared CPU: what the benchmark compares is
// the client side.
#pragma once

#include "bench_payloads.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace netbox::bench {

class keepalive_server {
public:
    keepalive_server()
        : acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}),
          ok_(make_reply("200 OK", status_body())),
          not_found_(make_reply("404 Not Found", R"({"detail":"Not found."})")) {
        port_ = acceptor_.local_endpoint().port();
        boost::asio::co_spawn(io_, accept_loop(), boost::asio::detached);
        thread_ = std::thread([this] { io_.run(); });
    }
    ~keepalive_server() {
        io_.stop();
        thread_.join();
    }
    keepalive_server(const keepalive_server&) = delete;
    keepalive_server& operator=(const keepalive_server&) = delete;

    std::uint16_t port() const { return port_; }
    std::size_t body_size() const { return status_body().size(); }
    std::uint64_t connections() const { return connections_.load(); }
    std::uint64_t requests() const { return requests_.load(); }

private:
    static std::string make_reply(const char* status, const std::string& body) {
        std::string r = std::string("HTTP/1.1 ") + status + "\r\n";
        r += "Server: nginx\r\n";
        r += "Date: Mon, 20 Jan 2025 17:02:11 GMT\r\n";
        r += "Content-Type: application/json\r\n";
        r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
        r += "Connection: keep-alive\r\n";
        r += "Vary: Accept, Cookie, Origin\r\n";
        r += "Allow: GET, HEAD, OPTIONS\r\n";
        r += "API-Version: 4.2\r\n";
        r += "X-Request-ID: 00000000-0000-4000-8000-000000000000\r\n";
        r += "X-Content-Type-Options: nosniff\r\n";
        r += "Referrer-Policy: same-origin\r\n";
        r += "Cross-Origin-Opener-Policy: same-origin\r\n";
        r += "X-Frame-Options: SAMEORIGIN\r\n";
        r += "\r\n";
        r += body;
        return r;
    }

    /// Writes `n` as the last 12 hex digits of the X-Request-ID in `reply`.
    static void stamp_request_id(std::string& reply, std::uint64_t n) {
        static constexpr char digits[] = "0123456789abcdef";
        const auto at = reply.find("X-Request-ID: ") + 14 + 24;  // past "xxxxxxxx-xxxx-xxxx-xxxx-"
        for (int i = 11; i >= 0; --i, n >>= 4) reply[at + static_cast<std::size_t>(i)] = digits[n & 15];
    }

    boost::asio::awaitable<void> accept_loop() {
        namespace asio = boost::asio;
        for (;;) {
            auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
            if (ec) co_return;
            boost::system::error_code ignored;
            socket.set_option(asio::ip::tcp::no_delay(true), ignored);
            ++connections_;
            asio::co_spawn(io_, session(std::move(socket)), asio::detached);
        }
    }

    boost::asio::awaitable<void> session(boost::asio::ip::tcp::socket socket) {
        namespace asio = boost::asio;
        namespace http = boost::beast::http;
        constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
        boost::beast::flat_buffer buffer;
        std::string ok = ok_;
        std::string not_found = not_found_;
        for (;;) {
            http::request_parser<http::empty_body> parser;
            auto [rec, n] = co_await http::async_read(socket, buffer, parser, nothrow);
            if (rec) break;
            const auto& req = parser.get();
            const bool hit = req.method() == http::verb::get && req.target() == "/api/status/";
            std::string& reply = hit ? ok : not_found;
            stamp_request_id(reply, ++requests_);
            auto [wec, written] = co_await asio::async_write(socket, asio::buffer(reply), nothrow);
            if (wec || !req.keep_alive()) break;
        }
        boost::system::error_code ignored;
        socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        socket.close(ignored);
    }

    boost::asio::io_context io_{1};
    boost::asio::ip::tcp::acceptor acceptor_;
    const std::string ok_;
    const std::string not_found_;
    std::uint16_t port_ = 0;
    std::atomic<std::uint64_t> connections_{0};
    std::atomic<std::uint64_t> requests_{0};
    std::thread thread_;
};

}  // namespace netbox::bench
