// The HTTP exchange over scripted byte streams: whole, split and byte-by-byte responses, and an
// injected failure at every read.
#include "support/scripted_stream.hpp"
#include "transport/exchange.hpp"

#include <netbox/error.hpp>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <gtest/gtest.h>

namespace netbox {
namespace {

using detail::exchange_limits;
using detail::exchange_result;
using test::scripted_stream;
using test::split_every;

const std::string request_bytes = "GET /api/ HTTP/1.1\r\nHost: x\r\n\r\n";

const std::string ok_response =
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nAPI-Version: 4.5\r\nContent-Length: 13\r\n\r\n"
    "{\"count\": 42}";

exchange_result exchange(scripted_stream& s, bool head = false, exchange_limits limits = {}) {
    boost::beast::flat_buffer buffer;
    return test::run_sync(detail::run_exchange(s, buffer, request_bytes, head, limits));
}

TEST(exchange, reads_a_complete_response_and_keeps_the_connection) {
    scripted_stream s({ok_response});
    auto r = exchange(s);
    ASSERT_FALSE(r.error) << r.error_text;
    EXPECT_EQ(s.written, request_bytes);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "{\"count\": 42}");
    EXPECT_EQ(r.headers.get("api-version"), "4.5");
    EXPECT_TRUE(r.reusable);
    EXPECT_TRUE(r.request_written());
    EXPECT_TRUE(r.response_started());
    EXPECT_EQ(r.bytes_sent, request_bytes.size());
    EXPECT_EQ(r.bytes_received, ok_response.size());
}

TEST(exchange, gives_the_same_result_for_every_split_of_the_response) {
    for (std::size_t n : {1u, 2u, 3u, 7u, 16u, 64u}) {
        scripted_stream s(split_every(ok_response, n));
        auto r = exchange(s);
        ASSERT_FALSE(r.error) << "split " << n << ": " << r.error_text;
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.body, "{\"count\": 42}") << "split " << n;
        EXPECT_TRUE(r.reusable);
    }
}

TEST(exchange, decodes_chunked_transfer_encoding) {
    const std::string chunked =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
    scripted_stream s(split_every(chunked, 4));
    auto r = exchange(s);
    ASSERT_FALSE(r.error) << r.error_text;
    EXPECT_EQ(r.body, "hello world");
    EXPECT_TRUE(r.reusable);
}

TEST(exchange, connection_close_makes_the_connection_unusable) {
    scripted_stream s({"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"});
    auto r = exchange(s);
    ASSERT_FALSE(r.error);
    EXPECT_EQ(r.body, "ok");
    EXPECT_FALSE(r.reusable);
}

TEST(exchange, http10_without_keep_alive_is_not_reused) {
    scripted_stream s({"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok"});
    auto r = exchange(s);
    ASSERT_FALSE(r.error);
    EXPECT_FALSE(r.reusable);
}

TEST(exchange, body_delimited_by_end_of_connection_is_complete) {
    scripted_stream s({"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nall of ", "it"});
    auto r = exchange(s);
    ASSERT_FALSE(r.error) << r.error_text;
    EXPECT_EQ(r.body, "all of it");
    EXPECT_FALSE(r.reusable);
}

TEST(exchange, truncated_body_is_reported_as_such) {
    scripted_stream s({"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part"});
    auto r = exchange(s);
    EXPECT_EQ(r.error, errc::truncated_body);
    EXPECT_TRUE(r.response_started());
    EXPECT_FALSE(r.reusable);
}

TEST(exchange, truncated_by_tls_stream_truncation_is_reported_as_truncated_body) {
    scripted_stream s({"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part"});
    s.end = boost::asio::ssl::error::stream_truncated;
    auto r = exchange(s);
    EXPECT_EQ(r.error, errc::truncated_body);
}

TEST(exchange, close_before_any_response_byte_says_nothing_arrived) {
    scripted_stream s;
    auto r = exchange(s);
    EXPECT_EQ(r.error, errc::connection_closed);
    EXPECT_TRUE(r.request_written());
    EXPECT_FALSE(r.response_started());
}

TEST(exchange, reset_in_the_middle_of_the_header_is_connection_closed) {
    scripted_stream s({"HTTP/1.1 200 OK\r\nContent-"});
    s.end = boost::asio::error::connection_reset;
    auto r = exchange(s);
    EXPECT_EQ(r.error, errc::connection_closed);
    EXPECT_TRUE(r.response_started());
}

TEST(exchange, write_failure_before_any_byte_says_nothing_was_written) {
    scripted_stream s({ok_response});
    s.fail_write_after = 0;
    s.write_error = boost::asio::error::broken_pipe;
    auto r = exchange(s);
    EXPECT_EQ(r.error, errc::connection_closed);
    EXPECT_FALSE(r.request_written());
    EXPECT_EQ(s.reads, 0u);
}

TEST(exchange, partial_write_failure_says_bytes_were_written) {
    scripted_stream s({ok_response});
    s.fail_write_after = 5;
    s.write_error = boost::asio::error::connection_reset;
    auto r = exchange(s);
    EXPECT_EQ(r.error, errc::connection_closed);
    EXPECT_TRUE(r.request_written());
}

TEST(exchange, an_injected_failure_at_every_read_is_reported_and_never_reusable) {
    const auto pieces = split_every(ok_response, 5);
    for (std::size_t k = 0; k < pieces.size(); ++k) {
        for (auto ec : {boost::system::error_code(boost::asio::error::connection_reset),
                        boost::system::error_code(boost::beast::error::timeout),
                        boost::system::error_code(boost::asio::error::operation_aborted)}) {
            scripted_stream s(pieces);
            s.fail_read_at = k;
            s.read_error = ec;
            auto r = exchange(s);
            ASSERT_TRUE(r.error) << "read " << k;
            EXPECT_FALSE(r.reusable);
            EXPECT_EQ(r.response_started(), k > 0) << "read " << k;
            if (ec == boost::beast::error::timeout) EXPECT_EQ(r.error, errc::timeout);
            if (ec == boost::asio::error::operation_aborted) EXPECT_EQ(r.error, errc::cancelled);
            if (ec == boost::asio::error::connection_reset)
                EXPECT_TRUE(r.error == errc::connection_closed || r.error == errc::truncated_body) << r.error_text;
        }
    }
}

TEST(exchange, body_over_the_limit_is_refused) {
    std::string big = "HTTP/1.1 200 OK\r\nContent-Length: 2048\r\n\r\n" + std::string(2048, 'x');
    scripted_stream s(split_every(big, 512));
    exchange_limits limits;
    limits.max_body = 1024;
    auto r = exchange(s, false, limits);
    EXPECT_EQ(r.error, errc::body_too_large);
    EXPECT_FALSE(r.reusable);
}

TEST(exchange, chunked_body_over_the_limit_is_refused) {
    std::string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 8; ++i) chunked += "100\r\n" + std::string(256, 'y') + "\r\n";
    chunked += "0\r\n\r\n";
    scripted_stream s({chunked});
    exchange_limits limits;
    limits.max_body = 1000;
    EXPECT_EQ(exchange(s, false, limits).error, errc::body_too_large);
}

TEST(exchange, malformed_status_line_is_a_protocol_error) {
    scripted_stream s({"HTPP/1.1 200 OK\r\n\r\n"});
    auto r = exchange(s);
    EXPECT_EQ(r.error, errc::protocol_error);
}

TEST(exchange, interim_100_continue_is_skipped) {
    scripted_stream s({"HTTP/1.1 100 Continue\r\n\r\n", ok_response});
    auto r = exchange(s);
    ASSERT_FALSE(r.error) << r.error_text;
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "{\"count\": 42}");
}

TEST(exchange, head_response_has_no_body_despite_content_length) {
    scripted_stream s({"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n"});
    auto r = exchange(s, true);
    ASSERT_FALSE(r.error) << r.error_text;
    EXPECT_TRUE(r.body.empty());
    EXPECT_TRUE(r.reusable);
}

TEST(exchange, unsolicited_bytes_after_the_response_prevent_reuse) {
    scripted_stream s({ok_response + "HTTP/1.1 200 OK\r\n"});
    auto r = exchange(s);
    ASSERT_FALSE(r.error);
    EXPECT_FALSE(r.reusable);
}

TEST(exchange, status_and_repeated_headers_are_kept_in_order) {
    scripted_stream s({"HTTP/1.1 404 Not Found\r\nVary: a\r\nVary: b\r\nContent-Length: 0\r\n\r\n"});
    auto r = exchange(s);
    ASSERT_FALSE(r.error);
    EXPECT_EQ(r.status, 404);
    std::vector<std::string> vary;
    for (const auto& [k, v] : r.headers)
        if (k == "Vary") vary.push_back(v);
    EXPECT_EQ(vary, (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace netbox
