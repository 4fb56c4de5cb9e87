// Example: the coroutine client in a few lines. One GET of a list page, one GET of a single
// object with the non-throwing form and a per-call timeout.
//
// Uses NETBOX_URL and NETBOX_TOKEN when both are set, the built-in simulator otherwise.
#include "target.hpp"

#include <netbox/client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <exception>
#include <iostream>

boost::asio::awaitable<void> show_devices(netbox::client client) {
    // A non-2xx answer is a response too: check ok() (or status) yourself.
    netbox::query_params query{{"limit", "3"}, {"ordering", "name"}};
    netbox::response page = co_await client.request(netbox::http_method::get, "/api/dcim/devices/", query);
    if (!page.ok()) {
        std::cout << "HTTP " << page.status << "\n";
        co_return;
    }
    boost::json::value body = page.json();
    std::cout << body.at("count") << " devices, the first ones:\n";
    for (const auto& device : body.at("results").as_array())
        std::cout << "  #" << device.at("id") << " " << device.at("name").as_string().c_str() << "\n";

    // try_request(): no exception, a netbox::result<response>. Per-call options override the
    // client's for this call only.
    netbox::request_options call;
    call.overall_timeout = std::chrono::seconds(5);
    netbox::result<netbox::response> one =
        co_await client.try_request(netbox::http_method::get, "/api/dcim/devices/1/", {}, {}, call);
    if (one)
        std::cout << "GET /api/dcim/devices/1/ -> HTTP " << one->status << " (API " << one->api_version() << ")\n";
    else
        std::cout << "GET /api/dcim/devices/1/ failed: " << one.error().what() << "\n";
}

int main() {
    try {
        netbox_examples::target target = netbox_examples::choose_target();

        boost::asio::io_context ioc;
        netbox::client_options options;
        options.base_url = target.base_url;
        options.token = target.token;
        netbox::client client(ioc.get_executor(), options);
        boost::asio::co_spawn(ioc, show_devices(client), [](std::exception_ptr e) {
            if (e) std::rethrow_exception(e);  // leaves ioc.run() with the exception
        });
        ioc.run();
        return 0;
    } catch (const netbox::api_error& e) {
        std::cerr << "netbox error: " << e.what() << "\n";
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
    }
    return 1;
}
