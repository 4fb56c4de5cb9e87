// netbox-cpp examples: where an example sends its requests. A real NetBox when both NETBOX_URL and
// NETBOX_TOKEN are set in the environment; otherwise the NetBox simulator of netbox::testing
// (docs/simulator.md), started in-process on a free loopback port, so that every example runs
// without a server.
#pragma once

#include <netbox/testing/simulator.hpp>

#include <cstddef>
#include <memory>
#include <string>

namespace netbox_examples {

/// What the built-in simulator serves.
inline constexpr const char* simulator_version = "4.5";
inline constexpr std::size_t simulator_devices = 3000;

struct target {
    std::string base_url;
    std::string token;
    /// The simulator serving base_url; null in front of a real NetBox. An example may inspect it or
    /// inject faults (set_faults()).
    std::unique_ptr<netbox::testing::simulator> simulator;

    /// True for NETBOX_URL/NETBOX_TOKEN.
    bool real() const { return simulator == nullptr; }
};

/// Reads NETBOX_URL and NETBOX_TOKEN, or starts the simulator. Throws std::exception when the
/// simulator cannot start.
target choose_target();

}  // namespace netbox_examples
