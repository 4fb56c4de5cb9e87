#include "transport/pool.hpp"

#include <netbox/error.hpp>

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/cancellation_state.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace netbox::detail {
namespace asio = boost::asio;
using boost::system::error_code;

// A coroutine waiting for a slot. `timer` expires at the wait deadline; release() cancels it to
// wake the waiter early. Both the arming of the wait and the cancel happen under the pool mutex,
// so a wake-up can never fall between "decided to wait" and "started waiting".
struct connection_pool::waiter {
    explicit waiter(asio::any_io_executor ex, steady_time deadline) : timer(ex, deadline) {}
    asio::steady_timer timer;
    bool notified = false;
};

lease::lease(std::shared_ptr<connection_pool> pool, std::unique_ptr<pooled_connection> c)
    : pool_(std::move(pool)), conn_(std::move(c)) {}

lease& lease::operator=(lease&& other) noexcept {
    if (this != &other) {
        if (conn_) give_back(false);
        pool_ = std::move(other.pool_);
        conn_ = std::move(other.conn_);
    }
    return *this;
}

lease::~lease() {
    if (conn_) give_back(false);
}

void lease::give_back(bool reusable) {
    if (!conn_) return;
    pool_->release(std::move(conn_), reusable);
    pool_.reset();
}

connection_pool::connection_pool(asio::any_io_executor executor, origin where, connect_fn connect,
                                 pool_options options)
    : executor_(std::move(executor)), where_(std::move(where)), connect_(std::move(connect)), options_(options) {
    if (options_.max_connections == 0) options_.max_connections = 1;
}

connection_pool::~connection_pool() { close_idle(); }

asio::awaitable<result<lease>> connection_pool::acquire(steady_time wait_deadline,
                                                       std::chrono::milliseconds connect_timeout) {
    auto ex = co_await asio::this_coro::executor;
    auto cancelled = [](const asio::cancellation_state& cs) { return cs.cancelled() != asio::cancellation_type::none; };
    for (;;) {
        std::shared_ptr<waiter> w;
        {
            std::unique_lock lock(mutex_);
            const auto now = std::chrono::steady_clock::now();
            while (!idle_.empty()) {
                auto c = std::move(idle_.back());
                idle_.pop_back();
                if (now - c->idle_since < options_.idle_timeout && !c->stream->peer_closed())
                    co_return lease(shared_from_this(), std::move(c));
                c->stream->close();  // expired or closed by the server while idle
                --open_;
            }
            if (open_ < options_.max_connections) {
                ++open_;
                ++opened_;
                lock.unlock();
                // The slot is taken: give it back on every way out that yields no connection,
                // an exception included.
                struct slot_guard {
                    connection_pool* pool;
                    ~slot_guard() {
                        if (!pool) return;
                        std::lock_guard relock(pool->mutex_);
                        --pool->open_;
                        pool->wake_one_locked();
                    }
                } slot{this};
                const auto connect_deadline =
                    std::min(wait_deadline, deadline_after(std::chrono::steady_clock::now(), connect_timeout));
                auto stream = co_await connect_(executor_, where_, connect_deadline);
                if (!stream) co_return stream.error();
                slot.pool = nullptr;
                auto c = std::make_unique<pooled_connection>();
                c->stream = std::move(*stream);
                co_return lease(shared_from_this(), std::move(c));
            }
            w = std::make_shared<waiter>(ex, wait_deadline);
            waiters_.push_back(w);
        }

        // A named initiation, not a lambda temporary inside the co_await expression: with the
        // temporary, GCC 12's coroutine code released the captured waiter once too often when the
        // loop went round again (valgrind: waiter freed, then read at `w->notified`; heap
        // corruption with more concurrent requests than max_connections).
        auto arm = [this, w](auto handler) {
            std::lock_guard lock(mutex_);
            if (w->notified)
                asio::post(w->timer.get_executor(), [h = std::move(handler)]() mutable { std::move(h)(error_code{}); });
            else
                w->timer.async_wait(std::move(handler));
        };
        auto token = asio::as_tuple(asio::use_awaitable);
        auto [ec] = co_await asio::async_initiate<decltype(token), void(error_code)>(arm, token);

        const bool was_cancelled = cancelled(co_await asio::this_coro::cancellation_state);
        std::lock_guard lock(mutex_);
        if (w->notified && !was_cancelled) continue;  // a slot or an idle connection freed up: look again
        if (w->notified)
            wake_one_locked();  // the wake-up was meant for someone: pass it on
        else
            waiters_.remove(w);
        if (was_cancelled || ec == asio::error::operation_aborted)
            co_return make_error(errc::cancelled, "cancelled while waiting for a free connection to " + where_.to_string());
        co_return make_error(errc::pool_timeout, "no connection to " + where_.to_string() +
                                                     " became free before the deadline (" +
                                                     std::to_string(options_.max_connections) + " in use)");
    }
}

void connection_pool::release(std::unique_ptr<pooled_connection> c, bool reusable) {
    std::lock_guard lock(mutex_);
    if (reusable) {
        ++c->uses;
        c->idle_since = std::chrono::steady_clock::now();
        idle_.push_back(std::move(c));
    } else {
        c->stream->close();
        --open_;
    }
    wake_one_locked();
}

void connection_pool::wake_one_locked() {
    if (waiters_.empty()) return;
    auto w = std::move(waiters_.front());
    waiters_.pop_front();
    w->notified = true;
    w->timer.cancel();
}

void connection_pool::close_idle() {
    std::lock_guard lock(mutex_);
    for (auto& c : idle_) c->stream->close();
    open_ -= idle_.size();
    idle_.clear();
}

pool_stats connection_pool::stats() const {
    std::lock_guard lock(mutex_);
    return {open_, idle_.size(), opened_, waiters_.size()};
}

}  // namespace netbox::detail
