// A byte_stream that plays a script: what each read returns, where writes fail. No sockets.
#pragma once

#include "transport/stream.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace netbox::test {

class scripted_stream final : public detail::byte_stream {
public:
    /// Each read_some returns the next chunk (cut to the caller's buffer size); once the chunks
    /// run out, reads fail with `end` (EOF by default).
    explicit scripted_stream(std::vector<std::string> chunks = {});

    boost::asio::awaitable<detail::io_result> read_some(boost::asio::mutable_buffer buffer) override;
    boost::asio::awaitable<detail::io_result> write(boost::asio::const_buffer buffer) override;
    void expires_at(detail::steady_time deadline) override { deadline_ = deadline; }
    bool peer_closed() override { return peer_closed_; }
    void close() noexcept override {
        closed_ = true;
        if (on_close) on_close();
    }

    // Script
    std::vector<std::string> chunks;
    boost::system::error_code end;                    ///< what reads return after the chunks
    std::optional<std::size_t> fail_read_at;          ///< read call index (0-based) that fails instead
    boost::system::error_code read_error;             ///< the error of that read
    std::optional<std::size_t> fail_write_after;      ///< write fails after this many bytes
    boost::system::error_code write_error;            ///< the error of that write

    // Observations
    std::function<void()> on_close;  ///< outlives the stream, unlike closed_
    std::string written;
    std::size_t reads = 0;
    bool closed_ = false;
    bool peer_closed_ = false;
    detail::steady_time deadline_{};

private:
    std::size_t next_chunk_ = 0;
    std::size_t offset_ = 0;
};

/// Splits `s` into pieces of `n` bytes (the last may be shorter).
std::vector<std::string> split_every(const std::string& s, std::size_t n);

/// Runs an awaitable to completion on a private io_context and returns its value.
template <class T>
T run_sync(boost::asio::awaitable<T> op) {
    boost::asio::io_context io;
    auto f = boost::asio::co_spawn(io, std::move(op), boost::asio::use_future);
    io.run();
    return f.get();
}

}  // namespace netbox::test
