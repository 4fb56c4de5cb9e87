// Example: the typed client, pinned to NetBox 4.5. Generated structs for filters, answers and
// requests; requests checked against the schema's rules before anything is sent; a streamed scan.
//
// It only reads (the refused write never leaves the process), so it runs against
// NETBOX_URL/NETBOX_TOKEN when both are set, the built-in simulator otherwise.
#include "target.hpp"

#include <netbox/typed/api.hpp>
#include <netbox/v4_5/api.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <iostream>
#include <map>
#include <string>

namespace {

namespace v45 = netbox::v4_5;

boost::asio::awaitable<void> inventory(netbox::typed_api<v45::version> nb) {
    // One page: filters and options are members of the list's params struct.
    // (The struct goes into a named variable first: GCC 12 mishandles string literals in co_await.)
    v45::dcim::devices_params active{.status = {"active"}, .limit = 5};
    netbox::page<v45::dcim::device_with_config_context> page = co_await nb.dcim.devices.list(active);
    std::cout << page.count << " active devices; the first " << page.results.size() << ":\n";
    for (const auto& device : page.results)
        std::cout << "  " << device.name.value_or("(unnamed)") << " at " << device.site.name << "\n";

    // Lookups fold into one member per field: name__ic, id__gte, …
    v45::dcim::devices_params lookups{.id = netbox::gte(10), .name = netbox::ic("sw")};
    std::cout << co_await nb.dcim.devices.count(lookups) << " devices from id 10 with 'sw' in the name\n";

    // Every page, streamed in page order through the dynamic facade's pagination.
    netbox::list_options scan;
    scan.concurrency = 2;
    scan.limit = 500;
    auto stream = nb.dcim.devices.stream(v45::dcim::devices_params(), scan);
    std::map<std::string, std::size_t> per_status;
    while (auto batch = co_await stream.next_page())
        for (const auto& device : *batch)
            ++per_status[device.status ? device.status->raw() : "?"];
    for (const auto& [status, n] : per_status) std::cout << "  " << status << ": " << n << "\n";

    // A request that breaks the schema's rules is refused before it is sent, naming each field.
    v45::dcim::writable_site_request bad{.name = "", .slug = "not a slug"};
    auto refused = co_await nb.dcim.sites.try_create(bad);
    if (!refused) std::cout << "refused: " << refused.error().message << "\n";

    // One object by id; empty when there is none.
    std::optional<v45::dcim::device_with_config_context> first = co_await nb.dcim.devices.get(1);
    if (first) std::cout << "device 1 is " << first->display << "\n";
}

}  // namespace

int main() {
    try {
        netbox_examples::target target = netbox_examples::choose_target();
        boost::asio::io_context ioc;
        netbox::typed_options options;
        // A real NetBox may run another release line: report it instead of failing.
        if (target.real()) options.on_version_mismatch = netbox::version_policy::warn;
        netbox::typed_api<v45::version> nb(ioc.get_executor(), target.base_url, target.token, options);
        boost::asio::co_spawn(ioc, inventory(nb), [](std::exception_ptr e) {
            if (e) std::rethrow_exception(e);
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
