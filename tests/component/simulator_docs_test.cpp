// The snippets of docs/simulator.md ("Using the simulator in your own tests"), compiled and run as
// a user would write them: public headers only, a blocking client, no Asio in sight.
#include <netbox/blocking_client.hpp>
#include <netbox/testing/simulator.hpp>

#include <gtest/gtest.h>

#include <chrono>

// [docs:first-test]
TEST(my_inventory_tool, lists_active_devices) {
    netbox::testing::simulator_options options;
    options.version = "4.4";  // behave like NetBox 4.4
    options.devices = 20;     // size of the generated data set
    netbox::testing::simulator netbox_server(options);

    netbox::client_options client;
    client.base_url = netbox_server.url();
    client.token = netbox_server.token();
    netbox::blocking_client nb(client);

    auto page = nb.request(netbox::http_method::get, "/api/dcim/devices/", {{"status", "active"}, {"limit", "5"}});
    EXPECT_EQ(page.status, 200);
    EXPECT_LE(page.json().at("results").as_array().size(), 5u);

    // What the server received, in order.
    auto log = netbox_server.requests();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].path, "/api/dcim/devices/");
    EXPECT_EQ(log[0].query, "status=active&limit=5");
}
// [docs:first-test]

// [docs:faults]
TEST(my_inventory_tool, survives_a_flaky_server) {
    netbox::testing::simulator netbox_server;

    netbox::testing::fault_options faults;
    faults.status_sequence = {503, 503};     // the next two requests get 503
    faults.retry_after_seconds = 0;          // no Retry-After header
    faults.latency = std::chrono::milliseconds(20);
    netbox_server.set_faults(faults);

    netbox::client_options client;
    client.base_url = netbox_server.url();
    client.token = netbox_server.token();
    client.retry.base_delay = std::chrono::milliseconds(1);
    netbox::blocking_client nb(client);

    auto status = nb.status();  // retried twice, then answered
    EXPECT_TRUE(status.as_object().contains("netbox-version"));
    EXPECT_EQ(netbox_server.requests().size(), 3u);
}
// [docs:faults]
