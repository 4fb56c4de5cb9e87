// netbox-demo: a tour of the client (demo_tour.cpp), run by scripts/demo.
//
// With NETBOX_URL and NETBOX_TOKEN set it talks to that NetBox, works with whatever data is there,
// and deletes every object it creates. Otherwise it starts the NetBox simulator of netbox::testing
// in-process and talks to that. Optional: NETBOX_CA_FILE (PEM bundle to trust),
// NETBOX_INSECURE_TLS=1 (lab servers only).
//
// Exit status 0 when every step did what it must, 1 otherwise.
#include "demo_tour.hpp"
#include "target.hpp"

#include <netbox/error.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string_view>

int main() {
    try {
        netbox_examples::target target = netbox_examples::choose_target();
        if (target.real())
            std::cout << "netbox-cpp demo against the NetBox at " << target.base_url << " (NETBOX_URL)\n";
        else
            std::cout << "netbox-cpp demo against the built-in NetBox simulator (NetBox "
                      << netbox_examples::simulator_version << ", " << netbox_examples::simulator_devices
                      << " devices) at " << target.base_url << "\n"
                      << "Set NETBOX_URL and NETBOX_TOKEN to run it against a real NetBox.\n";

        netbox::client_options options;
        options.base_url = target.base_url;
        options.token = target.token;
        options.timeouts.connect = std::chrono::seconds(5);
        options.timeouts.overall = std::chrono::seconds(60);
        if (const char* ca = std::getenv("NETBOX_CA_FILE")) options.tls.ca_file = ca;
        if (const char* insecure = std::getenv("NETBOX_INSECURE_TLS"); insecure && std::string_view(insecure) == "1")
            options.tls.insecure_disable_verification = true;

        netbox_demo::tour_settings settings;
        settings.known_data = !target.real();
        settings.output_dir = std::filesystem::temp_directory_path() / "netbox-cpp-demo";

        boost::asio::io_context ioc;
        boost::asio::co_spawn(ioc, netbox_demo::run_tour(options, settings), [](std::exception_ptr e) {
            if (e) std::rethrow_exception(e);  // leaves ioc.run() with the exception
        });
        ioc.run();
        std::cout << "\ndemo finished: OK\n";
        return 0;
    } catch (const netbox_demo::tour_failure& e) {
        std::cerr << "\ndemo FAILED: " << e.what() << "\n";
    } catch (const netbox::api_error& e) {
        std::cerr << "\ndemo FAILED: a call went wrong: " << e.what() << "\n";
    } catch (const std::exception& e) {
        std::cerr << "\ndemo FAILED: " << e.what() << "\n";
    }
    return 1;
}
