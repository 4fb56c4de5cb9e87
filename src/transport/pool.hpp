// Keep-alive connection pool for one origin: at most `max_connections` open, idle ones reused
// most-recent-first after a liveness check, waits for a free connection bounded by a deadline.
// Thread-safe: any number of coroutines on any executors may acquire and release concurrently.
#pragma once

#include "client/url.hpp"
#include "transport/stream.hpp"

#include <netbox/options.hpp>
#include <netbox/result.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <vector>

namespace netbox::detail {

struct pooled_connection {
    std::unique_ptr<byte_stream> stream;
    boost::beast::flat_buffer buffer;  ///< bytes read past the last response (normally empty)
    steady_time idle_since{};
    std::size_t uses = 0;              ///< exchanges completed on this connection
};

class connection_pool;

/// Opens a connection to the pool's origin, bounded by a deadline (connector::connect in
/// production, scripted streams in tests).
using connect_fn = std::function<boost::asio::awaitable<result<std::unique_ptr<byte_stream>>>(
    boost::asio::any_io_executor, const origin&, steady_time)>;

/// A checked-out connection. Destroying it without give_back() closes the connection and frees
/// its slot: any path that does not know the connection is healthy loses it, never reuses it.
class lease {
public:
    lease() = default;
    lease(std::shared_ptr<connection_pool> pool, std::unique_ptr<pooled_connection> c);
    lease(lease&&) noexcept = default;
    lease& operator=(lease&& other) noexcept;
    ~lease();

    pooled_connection& operator*() const { return *conn_; }
    pooled_connection* operator->() const { return conn_.get(); }
    bool reused() const { return conn_ && conn_->uses > 0; }

    /// Returns the connection for reuse when `reusable`, else closes it. Either way the slot is freed.
    void give_back(bool reusable);

private:
    std::shared_ptr<connection_pool> pool_;
    std::unique_ptr<pooled_connection> conn_;
};

struct pool_stats {
    std::size_t open = 0;    ///< connections counted against the limit (idle + leased + connecting)
    std::size_t idle = 0;
    std::size_t opened = 0;  ///< connections opened since the pool was made
    std::size_t waiting = 0; ///< coroutines waiting for a free slot
};

class connection_pool : public std::enable_shared_from_this<connection_pool> {
public:
    /// Connections are opened on `executor` (the client's), whichever coroutine asks for them,
    /// so a connection outlives the executor of the call that opened it.
    connection_pool(boost::asio::any_io_executor executor, origin where, connect_fn connect, pool_options options);
    ~connection_pool();

    /// An idle connection that is still alive, or a new one when below the limit, or the first
    /// that frees up before `wait_deadline` (errc::pool_timeout after it). Opening a connection
    /// takes at most `connect_timeout` from when it starts, and never passes `wait_deadline`.
    /// Cancellation ends it with errc::cancelled; it never throws for it.
    boost::asio::awaitable<result<lease>> acquire(steady_time wait_deadline, std::chrono::milliseconds connect_timeout);

    /// Closes idle connections (leased ones close when given back).
    void close_idle();
    pool_stats stats() const;

private:
    friend class lease;
    struct waiter;

    void release(std::unique_ptr<pooled_connection> c, bool reusable);
    void wake_one_locked();

    const boost::asio::any_io_executor executor_;
    const origin where_;
    const connect_fn connect_;
    pool_options options_;

    mutable std::mutex mutex_;
    std::vector<std::unique_ptr<pooled_connection>> idle_;  // back = most recently used
    std::list<std::shared_ptr<waiter>> waiters_;
    std::size_t open_ = 0;
    std::size_t opened_ = 0;
};

}  // namespace netbox::detail
