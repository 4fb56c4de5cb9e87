// Example: the blocking client, for scripts and tools that do not want coroutines. It runs the
// same asynchronous code on the calling thread; there is no hidden thread.
//
// Uses NETBOX_URL and NETBOX_TOKEN when both are set, the built-in simulator otherwise.
#include "target.hpp"

#include <netbox/blocking_client.hpp>

#include <chrono>
#include <iostream>

int main() {
    netbox_examples::target target = netbox_examples::choose_target();

    netbox::client_options options;
    options.base_url = target.base_url;
    options.token = target.token;
    options.timeouts.connect = std::chrono::seconds(3);
    options.timeouts.overall = std::chrono::seconds(20);
    netbox::blocking_client netbox_api(std::move(options));

    // probe_connection() does not throw for server faults: it reports them.
    netbox::probe_result probe = netbox_api.probe_connection();
    if (!probe.reachable || !probe.authenticated) {
        std::cerr << "cannot use the server: status " << probe.status << " " << probe.error << "\n";
        return 1;
    }

    try {
        boost::json::value status = netbox_api.status();
        std::cout << "NetBox " << status.at("netbox-version").as_string().c_str() << ", REST API "
                  << netbox_api.version() << "\n";

        netbox::response devices = netbox_api.request(netbox::http_method::get, "/api/dcim/devices/", {{"limit", "1"}});
        std::cout << "GET /api/dcim/devices/ -> HTTP " << devices.status << ", " << devices.json().at("count")
                  << " devices\n";
    } catch (const netbox::api_error& e) {
        // e.what() is our one-line summary; e.info() holds status, NetBox's detail, request id, ...
        std::cerr << "failed: " << e.what() << "\n";
        return 1;
    }

    // The non-throwing form of the same kind of call.
    netbox::result<netbox::response> missing =
        netbox_api.try_request(netbox::http_method::get, "/api/dcim/devices/999999/");
    if (missing.has_error()) {
        std::cerr << "failed: " << missing.error().what() << "\n";
        return 1;
    }
    std::cout << "GET /api/dcim/devices/999999/ -> HTTP " << missing->status << "\n";
    return 0;
}
