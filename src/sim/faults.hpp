// Fault injection: turns testing::fault_options into what happens to each request. Thread-safe:
// the server thread draws plans while a test replaces the options.
#pragma once

#include <netbox/testing/simulator.hpp>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>

namespace netbox::sim {

/// What to do with one request.
struct fault_plan {
    std::chrono::milliseconds latency{0};
    std::chrono::microseconds latency_per_object{0};
    int status = 0;  ///< answer this status instead of the real answer; 0: answer normally
    int retry_after_seconds = 0;  ///< with `status` 429 or 503
    testing::fault_options::break_kind connection = testing::fault_options::break_kind::none;
    std::chrono::milliseconds slow_body_interval{0};
};

class fault_injector {
public:
    fault_injector(testing::fault_options options, std::uint64_t seed);

    /// Replaces the options; the status sequence and the connection-fault count start over.
    void set(testing::fault_options options);
    /// The plan for the next request; consumes one entry of the status sequence and one
    /// connection fault.
    fault_plan next();

private:
    std::mutex mutex_;
    testing::fault_options options_;
    std::size_t sequence_position_ = 0;
    std::mt19937_64 random_;
};

}  // namespace netbox::sim
