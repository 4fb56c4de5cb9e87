// read_response over scripted streams as pipelining uses it: several answers back to back in the
// same bytes, read one at a time, each split every way.
#include "support/scripted_stream.hpp"
#include "transport/exchange.hpp"

#include <netbox/error.hpp>

#include <gtest/gtest.h>

namespace netbox {
namespace {

using detail::exchange_limits;
using detail::exchange_result;
using test::scripted_stream;
using test::split_every;

std::string answer(std::string_view body, std::string_view extra = "") {
    return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + std::string(extra) + "\r\n" +
           std::string(body);
}

/// Reads `n` answers from `s` as pipelining does: more expected until the last.
std::vector<exchange_result> read_answers(scripted_stream& s, std::size_t n) {
    return test::run_sync([&]() -> boost::asio::awaitable<std::vector<exchange_result>> {
        boost::beast::flat_buffer buffer;
        const exchange_limits limits;
        std::vector<exchange_result> out;
        for (std::size_t i = 0; i < n; ++i) {
            const bool more = i + 1 < n;
            out.push_back(co_await detail::read_response(s, buffer, false, limits, more));
        }
        co_return out;
    }());
}

TEST(exchange_pipelined, answers_back_to_back_are_read_one_by_one_in_every_split) {
    const std::string bytes = answer("first") + answer("second") + answer("third");
    for (std::size_t n : {1u, 5u, 17u, 64u, 4096u}) {
        SCOPED_TRACE(n);
        scripted_stream s(split_every(bytes, n));
        const auto r = read_answers(s, 3);
        ASSERT_EQ(r.size(), 3u);
        EXPECT_EQ(r[0].body, "first");
        EXPECT_EQ(r[1].body, "second");
        EXPECT_EQ(r[2].body, "third");
        for (const auto& one : r) {
            EXPECT_FALSE(one.error) << one.error_text;
            EXPECT_TRUE(one.reusable);  // the bytes of the next answer are not unsolicited
            EXPECT_EQ(one.bytes_sent, 0u);
        }
        std::size_t received = 0;
        for (const auto& one : r) received += one.bytes_received;
        EXPECT_EQ(received, bytes.size());
    }
}

TEST(exchange_pipelined, bytes_after_the_last_expected_answer_still_prevent_reuse) {
    scripted_stream s({answer("one") + answer("two") + "HTTP/1.1 200 OK\r\n"});
    const auto r = read_answers(s, 2);
    EXPECT_TRUE(r[0].reusable);
    EXPECT_FALSE(r[1].reusable);
}

TEST(exchange_pipelined, connection_close_on_an_answer_makes_it_the_last) {
    scripted_stream s({answer("one", "Connection: close\r\n")});
    const auto r = read_answers(s, 2);
    EXPECT_FALSE(r[0].error);
    EXPECT_EQ(r[0].body, "one");
    EXPECT_FALSE(r[0].reusable);
    // Nothing more comes: the next answer never began.
    EXPECT_EQ(r[1].error, make_error_code(errc::connection_closed));
    EXPECT_FALSE(r[1].response_started());
}

TEST(exchange_pipelined, an_answer_cut_short_says_it_began) {
    const std::string second = answer("0123456789");
    scripted_stream s({answer("one") + second.substr(0, second.size() - 4)});
    const auto r = read_answers(s, 3);
    EXPECT_FALSE(r[0].error);
    EXPECT_EQ(r[1].error, make_error_code(errc::truncated_body));
    EXPECT_TRUE(r[1].response_started());
}

}  // namespace
}  // namespace netbox
