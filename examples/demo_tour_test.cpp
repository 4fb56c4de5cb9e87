// The demo's tour in front of a simulator it did not start, as it is in front of a real NetBox:
// unknown data, and whatever it creates it must delete again, also when a step fails half-way.
#include "demo_tour.hpp"

#include <netbox/blocking_client.hpp>
#include <netbox/testing/simulator.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>

#include <exception>
#include <filesystem>
#include <map>
#include <ostream>
#include <sstream>
#include <string>

namespace {

/// The lists the tour writes to, and two it only reads.
const char* const counted_lists[] = {"/api/dcim/sites/",       "/api/extras/tags/", "/api/ipam/ip-addresses/",
                                     "/api/ipam/prefixes/", "/api/dcim/devices/"};

class demo_tour : public ::testing::Test {
protected:
    demo_tour() : server(server_options()) {}

    static netbox::testing::simulator_options server_options() {
        netbox::testing::simulator_options options;
        options.devices = 300;
        options.seed = 7;  // another data set than the one netbox-demo knows
        return options;
    }

    netbox::client_options client_options() const {
        netbox::client_options options;
        options.base_url = server.url();
        options.token = server.token();
        return options;
    }

    /// The object count of every list in counted_lists.
    std::map<std::string, std::int64_t> counts() const {
        netbox::blocking_client netbox_api(client_options());
        std::map<std::string, std::int64_t> result;
        for (const char* path : counted_lists) {
            netbox::response page = netbox_api.request(netbox::http_method::get, path, {{"limit", "1"}});
            result[path] = page.json().at("count").to_number<std::int64_t>();
        }
        return result;
    }

    /// Runs the tour to its end; what it threw, if anything. What it printed is in `output`.
    std::exception_ptr run_tour(netbox::client_options options) {
        netbox_demo::tour_settings settings;
        settings.output_dir = output_dir;
        settings.out = &output;
        std::exception_ptr failure;
        boost::asio::io_context ioc;
        boost::asio::co_spawn(ioc, netbox_demo::run_tour(std::move(options), settings),
                              [&](std::exception_ptr e) { failure = e; });
        ioc.run();
        return failure;
    }

    static std::string message_of(const std::exception_ptr& failure) {
        try {
            std::rethrow_exception(failure);
        } catch (const std::exception& e) {
            return e.what();
        }
    }

    void TearDown() override { std::filesystem::remove_all(output_dir); }

    netbox::testing::simulator server;
    std::filesystem::path output_dir = std::filesystem::temp_directory_path() /
                                       ("netbox-demo-tour-test-" + std::to_string(server.port()));
    std::ostringstream output;
};

TEST_F(demo_tour, leaves_the_server_as_it_found_it) {
    const auto before = counts();
    server.clear_requests();

    const std::exception_ptr failure = run_tour(client_options());
    ASSERT_FALSE(failure) << message_of(failure) << "\n" << output.str();

    EXPECT_EQ(counts(), before) << output.str();
    // It did write: every object it created, it deleted.
    int posts = 0, deletes = 0;
    for (const netbox::testing::recorded_request& request : server.requests()) {
        posts += request.method == "POST" && request.status == 201;
        deletes += request.method == "DELETE" && request.status == 204;
    }
    EXPECT_EQ(posts, 3) << "a site, a bulk of tags, an IP address";
    EXPECT_EQ(deletes, 3) << "the site, the bulk of tags, the IP address";
    EXPECT_NE(output.str().find("Cleanup: nothing left to delete."), std::string::npos);
    EXPECT_FALSE(std::filesystem::is_empty(output_dir)) << "the rack elevation SVG";
}

/// Where a step fails: the first request of this method whose URL contains this path gets a 500.
struct fault_point {
    const char* name;
    netbox::http_method method;
    const char* path;
    int left_behind;  ///< objects the cleanup must delete
};

void PrintTo(const fault_point& point, std::ostream* out) { *out << point.name; }

class demo_tour_failure : public demo_tour, public ::testing::WithParamInterface<fault_point> {};

TEST_P(demo_tour_failure, deletes_what_it_created_before_the_failure) {
    const fault_point point = GetParam();
    const auto before = counts();

    netbox::client_options options = client_options();
    bool armed = true;
    options.on_request = [&](netbox::outgoing_request& request) {
        if (!armed || request.method != point.method || request.url.find(point.path) == std::string::npos) return;
        armed = false;
        netbox::testing::fault_options faults;
        faults.status_sequence = {500};  // this request; a 500 is never retried
        server.set_faults(faults);
    };
    const std::exception_ptr failure = run_tour(options);

    ASSERT_TRUE(failure) << output.str();
    EXPECT_FALSE(armed) << "the fault point was never reached";
    EXPECT_EQ(counts(), before) << output.str();
    const std::string cleanup = "Cleanup: deleting " + std::to_string(point.left_behind) + " object(s)";
    EXPECT_NE(output.str().find(cleanup), std::string::npos) << output.str();
}

INSTANTIATE_TEST_SUITE_P(
    steps, demo_tour_failure,
    ::testing::Values(fault_point{"patch_site", netbox::http_method::patch, "/api/dcim/sites/", 1},
                      fault_point{"bulk_delete_tags", netbox::http_method::delete_, "/api/extras/tags/", 3},
                      fault_point{"release_ip_address", netbox::http_method::delete_, "/api/ipam/ip-addresses/", 1}),
    [](const ::testing::TestParamInfo<fault_point>& info) { return std::string(info.param.name); });

/// The server commits the site but its answer is lost (a reset after processing): the client
/// reports maybe_committed and never learns the id. The cleanup still finds the site by the
/// run's unique name and deletes it.
TEST_F(demo_tour, deletes_an_object_whose_create_answer_was_lost) {
    const auto before = counts();

    netbox::client_options options = client_options();
    bool armed = true;
    options.on_request = [&](netbox::outgoing_request& request) {
        if (!armed || request.method != netbox::http_method::post || !request.url.ends_with("/api/dcim/sites/")) return;
        armed = false;
        netbox::testing::fault_options faults;
        faults.connection_fault = netbox::testing::fault_options::break_kind::reset_before_headers;
        faults.connection_fault_count = 1;
        server.set_faults(faults);
    };
    const std::exception_ptr failure = run_tour(options);

    ASSERT_TRUE(failure) << output.str();
    EXPECT_NE(message_of(failure).find("may have reached the server"), std::string::npos) << message_of(failure);
    EXPECT_EQ(counts(), before) << output.str();
    EXPECT_NE(output.str().find("deleted untracked"), std::string::npos) << output.str();
}

}  // namespace
