#include "sim/faults.hpp"

#include <algorithm>
#include <utility>

namespace netbox::sim {

fault_injector::fault_injector(testing::fault_options options, std::uint64_t seed)
    : options_(std::move(options)), random_(seed)
{
}

void fault_injector::set(testing::fault_options options)
{
    std::lock_guard lock(mutex_);
    options_ = std::move(options);
    sequence_position_ = 0;
}

fault_plan fault_injector::next()
{
    std::lock_guard lock(mutex_);
    fault_plan plan;
    plan.latency = options_.latency;
    plan.latency_per_object = options_.latency_per_object;
    plan.slow_body_interval = options_.slow_body_interval;

    if (sequence_position_ < options_.status_sequence.size()) {
        plan.status = options_.status_sequence[sequence_position_++];
    } else if (options_.status_ratio > 0.0) {
        std::bernoulli_distribution hit(std::min(options_.status_ratio, 1.0));
        if (hit(random_))
            plan.status = options_.ratio_status;
    }
    if (plan.status == 429 || plan.status == 503)
        plan.retry_after_seconds = options_.retry_after_seconds;

    if (options_.connection_fault_count > 0) {
        plan.connection = options_.connection_fault;
        --options_.connection_fault_count;
    }
    return plan;
}

}  // namespace netbox::sim
