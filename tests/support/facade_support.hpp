// Helpers of the dynamic facade's tests: a simulator, an api pointed at it, and a way to run
// coroutines on the test's thread with a time limit.
#pragma once

#include "component/component_support.hpp"

#include <netbox/dynamic.hpp>
#include <netbox/testing/simulator.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace netbox::facade_test {

using component::run;
using component::step_limit;

/// Simulator options for facade tests: a small data set unless a test says otherwise.
inline testing::simulator_options small_simulator(std::string version = "4.5", std::size_t devices = 60) {
    testing::simulator_options o;
    o.version = std::move(version);
    o.devices = devices;
    return o;
}

/// One simulator and one api on it per test. The io_context is declared first so it outlives
/// everything that uses it.
class facade_test : public ::testing::Test {
protected:
    /// Starts the simulator and makes `nb`; call again to restart with other options.
    void start(testing::simulator_options sim = small_simulator(), api_options options = {}) {
        nb.reset();
        server = std::make_unique<testing::simulator>(std::move(sim));
        client_options c = component::options_for(server->url());
        c.token = server->token();
        nb = std::make_unique<api>(client(io.get_executor(), std::move(c)), std::move(options));
    }

    void SetUp() override { start(); }

    template <class T>
    T run(boost::asio::awaitable<T> op) {
        return component::run(io, std::move(op));
    }

    /// The simulator's request log without the GET /api/ version probe.
    std::vector<testing::recorded_request> requests() const {
        std::vector<testing::recorded_request> out;
        for (auto& r : server->requests())
            if (!(r.method == "GET" && r.path == "/api/"))
                out.push_back(std::move(r));
        return out;
    }

    boost::asio::io_context io;
    std::unique_ptr<testing::simulator> server;
    std::unique_ptr<api> nb;
};

}  // namespace netbox::facade_test
