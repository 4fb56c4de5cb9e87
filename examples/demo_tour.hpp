// netbox-cpp demo: the tour of the client that netbox-demo runs (demo.cpp), as a function, so that
// a test can run it against a server of its own (demo_tour_test.cpp).
//
// The tour reads what the server has and writes only objects of its own, named
// "netbox-cpp-demo-<random>". Every one of them is deleted again, newest first, also when a step
// fails: in front of a real NetBox it leaves the data as it found it.
#pragma once

#include <netbox/options.hpp>

#include <boost/asio/awaitable.hpp>

#include <filesystem>
#include <iostream>
#include <stdexcept>

namespace netbox_demo {

struct tour_settings {
    /// True when the server is the simulator that netbox-demo started itself. Its data set is
    /// known, so the tour also checks what the answers hold (site ber-dc1, the device count, ...).
    /// False in front of any other server, whose data the tour only reads to find what it needs;
    /// a step whose data is missing there is skipped with a message.
    bool known_data = false;
    /// Where the rack elevation SVG is written.
    std::filesystem::path output_dir = std::filesystem::temp_directory_path();
    /// Where the tour says what it does.
    std::ostream* out = &std::cout;
};

/// A step did not do what it must.
class tour_failure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Runs the tour with a client made from `options`, on the executor of the calling coroutine.
/// Throws tour_failure, or netbox::api_error for a call that failed, once the objects created so
/// far are deleted.
boost::asio::awaitable<void> run_tour(netbox::client_options options, tour_settings settings);

}  // namespace netbox_demo
