// The connection pool with scripted connections: reuse, liveness checks, the limit, bounded
// waits, cancellation of a wait, and slots freed on every path.
#include "support/scripted_stream.hpp"
#include "transport/pool.hpp"

#include <netbox/error.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

namespace netbox {
namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;
using detail::connection_pool;
using detail::lease;
using test::scripted_stream;

struct fake_connector {
    int connects = 0;
    bool fail = false;
    std::vector<scripted_stream*> made;  // valid only while the pool holds the stream
    std::shared_ptr<std::vector<bool>> closed = std::make_shared<std::vector<bool>>();

    detail::connect_fn fn() {
        return [this](asio::any_io_executor, const detail::origin&, detail::steady_time)
                   -> asio::awaitable<result<std::unique_ptr<detail::byte_stream>>> {
            ++connects;
            if (fail) {
                error e;
                e.code = errc::connect_failed;
                co_return e;
            }
            auto s = std::make_unique<scripted_stream>();
            s->on_close = [closed = closed, i = closed->size()] { closed->at(i) = true; };
            closed->push_back(false);
            made.push_back(s.get());
            co_return std::unique_ptr<detail::byte_stream>(std::move(s));
        };
    }
};

/// The pool opens connections on this executor; the fake connector never uses it.
asio::any_io_executor unused_executor() {
    static asio::io_context io;
    return io.get_executor();
}

pool_options opts(std::size_t max, std::chrono::milliseconds idle = 30s) {
    pool_options o;
    o.max_connections = max;
    o.idle_timeout = idle;
    return o;
}

detail::steady_time in(std::chrono::milliseconds d) { return std::chrono::steady_clock::now() + d; }

result<lease> acquire(connection_pool& p, std::chrono::milliseconds wait = 1s) {
    return test::run_sync(p.acquire(in(wait), wait));
}

TEST(pool, reuses_a_connection_given_back_as_reusable) {
    fake_connector fc;
    auto pool = std::make_shared<connection_pool>(unused_executor(), detail::origin{false, "h", 80}, fc.fn(), opts(4));
    {
        auto a = acquire(*pool);
        ASSERT_TRUE(a);
        EXPECT_FALSE(a->reused());
        a->give_back(true);
    }
    auto b = acquire(*pool);
    ASSERT_TRUE(b);
    EXPECT_TRUE(b->reused());
    EXPECT_EQ(fc.connects, 1);
    EXPECT_EQ(pool->stats().opened, 1u);
}

TEST(pool, closes_and_replaces_a_connection_the_server_closed_while_idle) {
    fake_connector fc;
    auto pool = std::make_shared<connection_pool>(unused_executor(), detail::origin{false, "h", 80}, fc.fn(), opts(4));
    acquire(*pool)->give_back(true);
    fc.made.at(0)->peer_closed_ = true;
    auto b = acquire(*pool);
    ASSERT_TRUE(b);
    EXPECT_FALSE(b->reused());
    EXPECT_TRUE(fc.closed->at(0));
    EXPECT_EQ(fc.connects, 2);
    EXPECT_EQ(pool->stats().open, 1u);
}

TEST(pool, does_not_reuse_a_connection_idle_longer_than_the_idle_timeout) {
    fake_connector fc;
    auto pool = std::make_shared<connection_pool>(unused_executor(), detail::origin{false, "h", 80}, fc.fn(), opts(4, 0ms));
    acquire(*pool)->give_back(true);
    auto b = acquire(*pool);
    ASSERT_TRUE(b);
    EXPECT_EQ(fc.connects, 2);
    EXPECT_TRUE(fc.closed->at(0));
}

TEST(pool, a_lease_dropped_without_give_back_closes_its_connection_and_frees_the_slot) {
    fake_connector fc;
    auto pool = std::make_shared<connection_pool>(unused_executor(), detail::origin{false, "h", 80}, fc.fn(), opts(1));
    { auto a = acquire(*pool); ASSERT_TRUE(a); }
    EXPECT_TRUE(fc.closed->at(0));
    EXPECT_EQ(pool->stats().open, 0u);
    EXPECT_TRUE(acquire(*pool, 10ms));
}

TEST(pool, a_failed_connect_frees_its_slot) {
    fake_connector fc;
    fc.fail = true;
    auto pool = std::make_shared<connection_pool>(unused_executor(), detail::origin{false, "h", 80}, fc.fn(), opts(1));
    auto a = acquire(*pool);
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().code, errc::connect_failed);
    EXPECT_EQ(pool->stats().open, 0u);
    fc.fail = false;
    EXPECT_TRUE(acquire(*pool, 10ms));
}

TEST(pool, waiting_for_a_full_pool_ends_at_the_deadline) {
    fake_connector fc;
    auto pool = std::make_shared<connection_pool>(unused_executor(), detail::origin{false, "h", 80}, fc.fn(), opts(1));
    auto held = acquire(*pool);
    ASSERT_TRUE(held);
    auto b = acquire(*pool, 20ms);
    ASSERT_FALSE(b);
    EXPECT_EQ(b.error().code, errc::pool_timeout);
    EXPECT_EQ(pool->stats().waiting, 0u);
}

TEST(pool, a_waiter_gets_the_connection_when_it_is_given_back) {
    fake_connector fc;
    auto pool = std::make_shared<connection_pool>(unused_executor(), detail::origin{false, "h", 80}, fc.fn(), opts(1));
    asio::io_context io;
    auto first = asio::co_spawn(io, pool->acquire(in(5s), 5s), asio::use_future);
    io.run();
    lease held = std::move(first.get().value());

    auto second = asio::co_spawn(io, pool->acquire(in(5s), 5s), asio::use_future);
    io.restart();
    io.run_for(10ms);  // the second acquire is now waiting
    EXPECT_EQ(pool->stats().waiting, 1u);
    held.give_back(true);
    io.restart();
    io.run();
    auto got = second.get();
    ASSERT_TRUE(got) << got.error().what();
    EXPECT_TRUE(got->reused());
    EXPECT_EQ(fc.connects, 1);
}

TEST(pool, a_cancelled_wait_ends_with_cancelled_and_leaves_no_waiter) {
    fake_connector fc;
    auto pool = std::make_shared<connection_pool>(unused_executor(), detail::origin{false, "h", 80}, fc.fn(), opts(1));
    auto held = acquire(*pool);
    ASSERT_TRUE(held);

    asio::io_context io;
    asio::cancellation_signal signal;
    auto waiting = asio::co_spawn(io, pool->acquire(in(5s), 5s),
                                  asio::bind_cancellation_slot(signal.slot(), asio::use_future));
    io.run_for(10ms);
    signal.emit(asio::cancellation_type::terminal);
    io.restart();
    io.run();
    auto r = waiting.get();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::cancelled);
    EXPECT_EQ(pool->stats().waiting, 0u);
}

TEST(pool, never_opens_more_than_the_limit) {
    fake_connector fc;
    auto pool = std::make_shared<connection_pool>(unused_executor(), detail::origin{false, "h", 80}, fc.fn(), opts(3));
    std::vector<lease> held;
    for (int i = 0; i < 3; ++i) held.push_back(std::move(acquire(*pool).value()));
    EXPECT_FALSE(acquire(*pool, 5ms));
    EXPECT_EQ(fc.connects, 3);
    EXPECT_EQ(pool->stats().open, 3u);
}

}  // namespace
}  // namespace netbox
