// Self-test of the test servers (tests/support), using raw Beast clients rather than netbox-cpp's.
#include "support/shared_dir.hpp"
#include "support/test_certs.hpp"
#include "support/test_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using tls_stream = ssl::stream<beast::tcp_stream>;
using boost::system::error_code;
using namespace netbox::test;
using namespace std::chrono_literals;

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

/// Runs one client step on `io`, for at most 10 s, and returns its result.
template <class T>
T run(asio::io_context& io, asio::awaitable<T> step)
{
    auto result = asio::co_spawn(io, std::move(step), asio::use_future);
    io.restart();
    io.run_for(10s);
    if (result.wait_for(0s) != std::future_status::ready)
        throw std::runtime_error("client step did not finish within 10 s");
    return result.get();
}

/// Polls `condition` for up to 5 s.
template <class Condition>
bool eventually(Condition condition)
{
    for (auto deadline = std::chrono::steady_clock::now() + 5s; std::chrono::steady_clock::now() < deadline;) {
        if (condition())
            return true;
        std::this_thread::sleep_for(1ms);
    }
    return condition();
}

asio::awaitable<void> connect(beast::tcp_stream& stream, std::uint16_t port)
{
    co_await stream.async_connect(tcp::endpoint(asio::ip::address_v4::loopback(), port), asio::use_awaitable);
}

/// TCP connect, then a TLS handshake with SNI and verification of the chain and of `host`.
asio::awaitable<error_code> connect(tls_stream& stream, std::uint16_t port, std::string host)
{
    co_await connect(stream.next_layer(), port);
    SSL_set_tlsext_host_name(stream.native_handle(), host.c_str());
    stream.set_verify_callback(ssl::host_name_verification(host));
    auto [ec] = co_await stream.async_handshake(ssl::stream_base::client, use_tuple);
    co_return ec;
}

/// Trusts the test CA only.
ssl::context client_context()
{
    ssl::context context(ssl::context::tls_client);
    context.load_verify_file(pki().ca_file.string());
    context.set_verify_mode(ssl::verify_peer);
    return context;
}

struct exchange_result {
    error_code error;
    http::response<http::string_body> response;
};

template <class Stream>
asio::awaitable<exchange_result> exchange(Stream& stream, http::verb method, std::string target,
                                          std::string body = {})
{
    http::request<http::string_body> request(method, target, 11);
    request.set(http::field::host, "localhost");
    request.set("X-Test", "selftest");
    request.body() = std::move(body);
    request.prepare_payload();

    exchange_result result;
    if (auto [ec, n] = co_await http::async_write(stream, request, use_tuple); ec) {
        result.error = ec;
        co_return result;
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.skip(method == http::verb::head);
    auto [ec, n] = co_await http::async_read(stream, buffer, parser, use_tuple);
    result.error = ec;
    result.response = parser.release();
    co_return result;
}

/// Reads until the server closes the connection; returns how the read ended.
template <class Stream>
asio::awaitable<error_code> wait_for_close(Stream& stream)
{
    char byte;
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(&byte, 1), use_tuple);
    co_return ec;
}

reply text_reply(std::string body)
{
    reply r;
    r.headers = {{"Content-Type", "text/plain"}};
    r.body = std::move(body);
    return r;
}

reply echo_target(const received_request& r)
{
    return text_reply(r.target);
}

TEST(test_server, keeps_a_plain_connection_alive)
{
    test_server server(echo_target);
    asio::io_context io;
    beast::tcp_stream stream(io);
    run(io, connect(stream, server.port()));

    const exchange_result first = run(io, exchange(stream, http::verb::get, "/api/first/"));
    const exchange_result second = run(io, exchange(stream, http::verb::get, "/api/second/"));

    ASSERT_FALSE(first.error) << first.error.message();
    ASSERT_FALSE(second.error) << second.error.message();
    EXPECT_EQ(first.response.result_int(), 200);
    EXPECT_EQ(first.response.reason(), "OK");
    EXPECT_EQ(first.response.body(), "/api/first/");
    EXPECT_EQ(second.response.body(), "/api/second/");
    EXPECT_TRUE(second.response.keep_alive());
    EXPECT_EQ(server.connections_accepted(), 1u);
    EXPECT_EQ(server.url(), "http://127.0.0.1:" + std::to_string(server.port()));
}

TEST(test_server, records_requests)
{
    test_server server([](const received_request&) { return json_reply(201, R"({"id":1})", {{"X-Extra", "1"}}); });
    asio::io_context io;
    beast::tcp_stream stream(io);
    run(io, connect(stream, server.port()));

    const exchange_result result =
        run(io, exchange(stream, http::verb::post, "/api/dcim/sites/?limit=5", R"({"name":"a"})"));

    ASSERT_FALSE(result.error) << result.error.message();
    EXPECT_EQ(result.response.result_int(), 201);
    EXPECT_EQ(result.response[http::field::content_type], "application/json");
    EXPECT_EQ(result.response["X-Extra"], "1");
    EXPECT_EQ(result.response.body(), R"({"id":1})");
    const std::vector<received_request> requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].method, "POST");
    EXPECT_EQ(requests[0].target, "/api/dcim/sites/?limit=5");
    EXPECT_EQ(requests[0].body, R"({"name":"a"})");
    EXPECT_EQ(requests[0].header("x-test"), "selftest");
    EXPECT_EQ(requests[0].header("Content-Length"), "12");
    EXPECT_FALSE(requests[0].has_header("Authorization"));
    EXPECT_EQ(requests[0].connection_index, 0u);
}

TEST(test_server, answers_head_without_a_body)
{
    test_server server(echo_target);
    asio::io_context io;
    beast::tcp_stream stream(io);
    run(io, connect(stream, server.port()));

    const exchange_result head = run(io, exchange(stream, http::verb::head, "/api/"));
    // Had the HEAD answer carried a body, this response would be garbled.
    const exchange_result get = run(io, exchange(stream, http::verb::get, "/api/x/"));

    ASSERT_FALSE(head.error) << head.error.message();
    EXPECT_EQ(head.response[http::field::content_length], "5");
    ASSERT_FALSE(get.error) << get.error.message();
    EXPECT_EQ(get.response.body(), "/api/x/");
}

TEST(test_server, closes_after_each_response_in_connection_close_mode)
{
    test_server server(echo_target, {.connection_close = true});
    asio::io_context io;
    beast::tcp_stream stream(io);
    run(io, connect(stream, server.port()));

    const exchange_result result = run(io, exchange(stream, http::verb::get, "/"));

    ASSERT_FALSE(result.error) << result.error.message();
    EXPECT_FALSE(result.response.keep_alive());
    EXPECT_EQ(run(io, wait_for_close(stream)), asio::error::eof);
}

TEST(test_server, closes_an_idle_connection_silently)
{
    test_server server(echo_target, {.close_idle_after = 100ms});
    asio::io_context io;
    beast::tcp_stream stream(io);
    run(io, connect(stream, server.port()));
    ASSERT_FALSE(run(io, exchange(stream, http::verb::get, "/")).error);

    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(run(io, wait_for_close(stream)), asio::error::eof);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 90ms);
}

TEST(test_server, serves_tls_verified_against_the_test_ca)
{
    test_server server(echo_target, {.tls = true});
    asio::io_context io;
    ssl::context context = client_context();
    tls_stream stream(io, context);

    const error_code handshake = run(io, connect(stream, server.port(), "localhost"));
    ASSERT_FALSE(handshake) << handshake.message();
    const exchange_result first = run(io, exchange(stream, http::verb::get, "/a"));
    const exchange_result second = run(io, exchange(stream, http::verb::get, "/b"));

    ASSERT_FALSE(first.error) << first.error.message();
    ASSERT_FALSE(second.error) << second.error.message();
    EXPECT_EQ(second.response.body(), "/b");
    EXPECT_EQ(server.connections_accepted(), 1u);
    EXPECT_EQ(server.url(), "https://127.0.0.1:" + std::to_string(server.port()));
}

TEST(test_server, wrong_host_certificate_fails_host_name_verification_only)
{
    test_server server(echo_target, {.tls = true, .wrong_host_cert = true});
    asio::io_context io;
    ssl::context context = client_context();
    tls_stream for_localhost(io, context);
    tls_stream for_wrong_example(io, context);

    const error_code failed = run(io, connect(for_localhost, server.port(), "localhost"));
    const error_code passed = run(io, connect(for_wrong_example, server.port(), "wrong.example"));

    EXPECT_NE(failed.message().find("certificate verify failed"), std::string::npos) << failed.message();
    EXPECT_FALSE(passed) << passed.message();
}

TEST(test_server, mutual_tls_requires_the_client_certificate)
{
    test_server server(echo_target, {.tls = true, .require_client_cert = true});
    asio::io_context io;
    ssl::context anonymous = client_context();
    ssl::context with_certificate = client_context();
    with_certificate.use_certificate_chain_file(pki().client_cert_file.string());
    with_certificate.use_private_key_file(pki().client_key_file.string(), ssl::context::pem);
    tls_stream refused(io, anonymous);
    tls_stream accepted(io, with_certificate);

    // With TLS 1.3 the client learns of the refusal after its handshake, on the first read.
    const error_code handshake = run(io, connect(refused, server.port(), "localhost"));
    EXPECT_TRUE(handshake || run(io, exchange(refused, http::verb::get, "/")).error);

    ASSERT_FALSE(run(io, connect(accepted, server.port(), "localhost")));
    const exchange_result result = run(io, exchange(accepted, http::verb::get, "/mtls"));
    ASSERT_FALSE(result.error) << result.error.message();
    EXPECT_EQ(result.response.body(), "/mtls");
}

TEST(test_server, truncated_body_is_a_partial_message)
{
    test_server server([](const received_request&) {
        reply r = text_reply("0123456789");
        r.fault = fault::truncate_body;
        return r;
    });
    asio::io_context io;
    beast::tcp_stream stream(io);
    run(io, connect(stream, server.port()));

    const exchange_result result = run(io, exchange(stream, http::verb::get, "/"));

    EXPECT_EQ(result.error, http::error::partial_message);
}

TEST(test_server, reset_fault_resets_the_connection)
{
    test_server server([](const received_request&) {
        reply r;
        r.fault = fault::reset;
        return r;
    });
    asio::io_context io;
    beast::tcp_stream stream(io);
    run(io, connect(stream, server.port()));

    EXPECT_EQ(run(io, exchange(stream, http::verb::get, "/")).error, asio::error::connection_reset);
}

TEST(test_server, stop_ends_a_response_hanging_mid_body)
{
    test_server server([](const received_request&) {
        reply r = text_reply("0123456789");
        r.fault = fault::hang_mid_body;
        return r;
    });
    asio::io_context io;
    beast::tcp_stream stream(io);
    run(io, connect(stream, server.port()));

    std::thread stopper([&] {
        std::this_thread::sleep_for(200ms);
        server.stop();
    });
    const exchange_result result = run(io, exchange(stream, http::verb::get, "/"));
    stopper.join();

    EXPECT_EQ(result.error, http::error::partial_message);
    EXPECT_EQ(server.requests().size(), 1u);
}

TEST(test_server, destructor_does_not_wait_for_hanging_connections)
{
    asio::io_context io;
    beast::tcp_stream handshake_never_answered(io);
    beast::tcp_stream response_never_sent(io);
    {
        test_server tls_hang(echo_target, {.tls = true, .hang_tls_handshake = true});
        test_server http_hang([](const received_request&) {
            reply r;
            r.fault = fault::hang_before_response;
            return r;
        });
        run(io, connect(handshake_never_answered, tls_hang.port()));
        run(io, connect(response_never_sent, http_hang.port()));
        const std::string request = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
        asio::write(response_never_sent.socket(), asio::buffer(request));
        // Closing a connection not yet accepted, or with unread bytes, would send RST rather than FIN.
        ASSERT_TRUE(eventually([&] { return tls_hang.connections_accepted() == 1; }));
        ASSERT_TRUE(eventually([&] { return http_hang.requests().size() == 1; }));
    }
    EXPECT_EQ(run(io, wait_for_close(handshake_never_answered)), asio::error::eof);
    EXPECT_EQ(run(io, wait_for_close(response_never_sent)), asio::error::eof);
}

TEST(test_server, writes_raw_bytes_and_survives_a_throwing_handler)
{
    test_server server([](const received_request& r) -> reply {
        if (r.target == "/throw")
            throw std::runtime_error("boom");
        reply chunked;
        chunked.raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
        return chunked;
    });
    asio::io_context io;
    beast::tcp_stream stream(io);
    run(io, connect(stream, server.port()));

    const exchange_result raw = run(io, exchange(stream, http::verb::get, "/raw"));
    const exchange_result thrown = run(io, exchange(stream, http::verb::get, "/throw"));

    ASSERT_FALSE(raw.error) << raw.error.message();
    EXPECT_EQ(raw.response.body(), "hello");
    ASSERT_FALSE(thrown.error) << thrown.error.message();
    EXPECT_EQ(thrown.response.result_int(), 500);
    EXPECT_EQ(thrown.response.body(), "test handler threw: boom");
}

TEST(test_pki, writes_its_files_once)
{
    EXPECT_EQ(&pki(), &pki());
    EXPECT_EQ(read_file(pki().ca_file), pki().ca_pem);
    EXPECT_EQ(read_file(pki().client_cert_file), pki().client_cert_pem);
    EXPECT_EQ(read_file(pki().client_key_file), pki().client_key_pem);
    EXPECT_THROW(read_file(pki().dir / "absent.pem"), std::runtime_error);
}

TEST(shared_dir, reports_a_missing_part)
{
    EXPECT_NE(shared_missing_reason("no-such-part-of-shared"), "");
}

TEST(shared_dir, require_macro_yields_the_path_or_skips)
{
    NETBOX_REQUIRE_SHARED(dir, ".");
    EXPECT_TRUE(std::filesystem::is_directory(dir));
}

}  // namespace
