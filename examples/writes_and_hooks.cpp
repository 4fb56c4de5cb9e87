// Example: writing, uploading and watching. Provisions a token with a user name and password,
// sends JSON and multipart/form-data bodies, reads NetBox's validation errors, and shows the
// request hook, the response hook and the event observer.
//
// It writes, so it only runs against the built-in simulator; with NETBOX_URL set it says so and
// exits 0.
#include "target.hpp"

#include <netbox/client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <exception>
#include <iostream>
#include <string>

namespace {

// A 1x1 transparent PNG.
const unsigned char tiny_png[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
    0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00,
    0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d,
    0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

boost::asio::awaitable<int> run(netbox::client client) {
    int failures = 0;

    // 1. No token yet: get one with a user name and password. adopt (the default) makes this
    //    client use it from now on.
    netbox::token_request token_options;
    token_options.description = "writes_and_hooks example";
    netbox::token_grant grant = co_await client.create_token("admin", "admin", token_options);
    std::cout << "token #" << grant.id << " provisioned (" << (grant.version == netbox::token_version::v2 ? "v2" : "v1")
              << ")\n";

    // 2. A JSON body. NetBox answers 400 with per-field messages; request() returns that answer and
    //    check_status() takes it apart.
    boost::json::object device{{"name", "lab-leaf-09"}, {"site", 3}};
    netbox::response rejected =
        co_await client.request(netbox::http_method::post, "/api/dcim/devices/", {}, boost::json::value(device));
    if (netbox::result<void> checked = rejected.check_status(); checked.has_error()) {
        std::cout << "POST /api/dcim/devices/ -> HTTP " << rejected.status << "\n";
        for (const netbox::field_error& f : checked.error().field_errors)
            std::cout << "  " << f.field << ": " << f.messages.at(0) << "\n";
    } else {
        ++failures;
    }

    device["device_type"] = 2;
    device["role"] = 2;
    netbox::response created =
        co_await client.request(netbox::http_method::post, "/api/dcim/devices/", {}, boost::json::value(device));
    created.raise_for_status();  // throws api_error unless 2xx
    const std::int64_t device_id = created.json().at("id").as_int64();
    std::cout << "POST /api/dcim/devices/ -> HTTP " << created.status << ", id " << device_id << "\n";

    // 3. multipart/form-data: an image attachment. Text fields and file parts go out in order.
    netbox::multipart_form form;
    form.add_field("object_type", "dcim.device")
        .add_field("object_id", std::to_string(device_id))
        .add_field("name", "front panel")
        .add_file(netbox::file_part::from_bytes("image", "front.png",
                                                std::string(std::begin(tiny_png), std::end(tiny_png))));
    netbox::response uploaded =
        co_await client.request(netbox::http_method::post, "/api/extras/image-attachments/", {}, std::move(form));
    std::cout << "POST /api/extras/image-attachments/ -> HTTP " << uploaded.status;
    if (uploaded.ok()) std::cout << ", " << uploaded.json().at("image").as_string().c_str();
    std::cout << "\n";
    if (!uploaded.ok()) ++failures;

    co_return failures;
}

}  // namespace

int main() {
    netbox_examples::target target = netbox_examples::choose_target();
    if (target.real()) {
        std::cout << "writes_and_hooks writes data, so it only runs against the simulator (unset NETBOX_URL)\n";
        return 0;
    }

    netbox::client_options options;
    options.base_url = target.base_url;  // no token: create_token() provides one
    options.user_agent = "inventory-sync/1.0 netbox-cpp";
    options.default_headers.set("Accept-Language", "en-US");
    options.timeouts.attempt = std::chrono::seconds(10);
    options.retry.max_attempts = 4;
    options.pool.max_connections = 2;

    // Runs before every attempt. It sees the request without Authorization and may add headers.
    options.on_request = [](netbox::outgoing_request& req) {
        req.headers.set("X-Correlation-ID", "example-42");
        std::cout << "  -> " << netbox::to_string(req.method) << " " << req.url << " (attempt " << req.attempt << ")\n";
    };
    // Runs after every answer, whatever its status.
    options.on_response = [](const netbox::outgoing_request&, const netbox::response& r) {
        std::cout << "  <- " << r.status << " X-Request-ID " << r.request_id() << "\n";
    };
    // One `request` event per call (plus `attempt` events): metrics and logs without a hook.
    options.observer = [](const netbox::request_event& ev) {
        if (ev.what != netbox::request_event::kind::request) return;
        std::cout << "  [event] " << netbox::to_string(ev.method) << " " << ev.path << " status " << ev.status << ", "
                  << ev.attempt << " attempt(s), " << ev.latency.count() << " us\n";
    };

    try {
        boost::asio::io_context ioc;
        netbox::client client(ioc.get_executor(), options);
        int failures = 0;
        boost::asio::co_spawn(ioc, run(client), [&](std::exception_ptr e, int n) {
            if (e) std::rethrow_exception(e);
            failures = n;
        });
        ioc.run();
        return failures == 0 ? 0 : 1;
    } catch (const netbox::api_error& e) {
        std::cerr << "netbox error: " << e.what() << "\n";
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
    }
    return 1;
}
