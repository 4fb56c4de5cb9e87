// Helpers shared by the component tests: the real netbox::client against tests/support/test_server.
#pragma once

#include "support/test_certs.hpp"
#include "support/test_server.hpp"

#include <netbox/client.hpp>
#include <netbox/error.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace netbox::component {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using std::chrono::milliseconds;
using test::fault;
using test::json_reply;
using test::received_request;
using test::reply;
using test::server_options;
using test::test_server;

/// How long any single client step may take before the test gives up (a hang is a failure, not a
/// stuck test run). Generous: the machine may be loaded.
constexpr std::chrono::seconds step_limit{30};

/// The delays the retry policy chose, recorded by a sleeper that waits none of them.
class recorded_waits {
public:
    std::function<milliseconds(milliseconds)> sleeper() const {
        return [state = state_](milliseconds chosen) {
            std::lock_guard lock(state->mutex);
            state->waits.push_back(chosen);
            return milliseconds{0};
        };
    }
    std::vector<milliseconds> get() const {
        std::lock_guard lock(state_->mutex);
        return state_->waits;
    }

private:
    struct state {
        std::mutex mutex;
        std::vector<milliseconds> waits;
    };
    std::shared_ptr<state> state_ = std::make_shared<state>();
};

/// Options for a client of `url`: no real backoff waits, finite timeouts well above what any
/// healthy exchange with the in-process server needs.
inline client_options options_for(const std::string& url) {
    client_options o;
    o.base_url = url;
    o.retry.sleeper = [](milliseconds) { return milliseconds{0}; };
    o.timeouts.connect = 10s;
    o.timeouts.attempt = 15s;
    o.timeouts.overall = 25s;
    return o;
}

/// Runs `io` on this thread until `done()` is true; throws after `limit`.
template <class Done>
void drive_until(asio::io_context& io, Done done, std::chrono::steady_clock::duration limit = step_limit) {
    const auto give_up = std::chrono::steady_clock::now() + limit;
    io.restart();
    while (!done()) {
        if (std::chrono::steady_clock::now() > give_up) throw std::runtime_error("client step did not finish in time");
        io.run_one_for(20ms);
        if (io.stopped()) io.restart();
    }
}

template <class T>
bool is_ready(const std::future<T>& f) {
    return f.wait_for(0s) == std::future_status::ready;
}

/// Runs `op` on `io` (on this thread) and returns its value, or rethrows what it threw.
template <class T>
T run(asio::io_context& io, asio::awaitable<T> op) {
    auto f = asio::co_spawn(io, std::move(op), asio::use_future);
    drive_until(io, [&] { return is_ready(f); });
    return f.get();
}

inline std::size_t count_method(const test_server& server, std::string_view method) {
    std::size_t n = 0;
    for (const auto& r : server.requests()) n += r.method == method;
    return n;
}

/// Base fixture: one io_context per test, declared first so it outlives every client and socket.
class component_test : public ::testing::Test {
protected:
    template <class T>
    T run(asio::awaitable<T> op) {
        return component::run(io, std::move(op));
    }

    asio::io_context io;
};

}  // namespace netbox::component

/// Expects a failed result<T> whose error has code `code` (an errc), printing what() otherwise.
#define EXPECT_NETBOX_ERROR(res, errc_value)                                                          \
    do {                                                                                              \
        const auto& res_ = (res);                                                                     \
        if (res_.has_value()) {                                                                       \
            ADD_FAILURE() << "expected error " << ::netbox::make_error_code(errc_value).message()    \
                          << ", got a value";                                                         \
        } else {                                                                                      \
            EXPECT_EQ(res_.error().code, ::netbox::make_error_code(errc_value)) << res_.error().what(); \
        }                                                                                             \
    } while (false)
