// Example: reading NetBox through the dynamic facade, the way pynetbox users do, as coroutines.
// Counts, filters with lookups, a streamed scan with pages fetched concurrently and in order, one
// object by id and by filter, a foreign key's full object, and an endpoint's choices.
//
// It only reads, so it runs against NETBOX_URL/NETBOX_TOKEN when both are set, the built-in
// simulator otherwise.
#include "target.hpp"

#include <netbox/dynamic.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <iostream>
#include <map>
#include <string>

namespace {

boost::asio::awaitable<void> inventory(netbox::api nb) {
    // How many, without fetching a row.
    // (Filters go into named variables first: GCC 12 mishandles braced lists inside co_await.)
    const std::size_t devices = co_await nb.dcim.devices.count();
    netbox::filters active_only{{"status", "active"}};
    const std::size_t active = co_await nb.dcim.devices.count(active_only);
    std::cout << devices << " devices, " << active << " active\n";

    // A scan: records arrive as their pages do, up to 4 pages in flight, in page order.
    netbox::list_options scan;
    scan.concurrency = 4;
    scan.limit = 250;
    netbox::filters in_use{{"status", {"active", "planned"}}};
    netbox::record_stream stream = nb.dcim.devices.filter(in_use, scan).stream();
    std::map<std::string, std::size_t> per_site;
    while (std::optional<netbox::record> device = co_await stream.next()) {
        if (std::optional<netbox::record> site = device->get_record("site"))
            ++per_site[std::string(site->display())];
    }
    std::cout << per_site.size() << " sites have active or planned devices; "
              << stream.report().pages << " pages, consistent: " << std::boolalpha
              << stream.report().consistent() << "\n";

    // Lookups, null and free text are filters like any other.
    netbox::list_options brief;
    brief.brief = true;
    netbox::filters no_name_no_tenant{{"name__empty", true}, {"tenant", nullptr}};
    std::vector<netbox::record> unnamed = co_await nb.dcim.devices.filter(no_name_no_tenant, brief).collect();
    std::cout << unnamed.size() << " devices without a name and tenant\n";

    // One object: by id (nullopt on 404), or the one object a filter matches.
    std::optional<netbox::record> first = co_await nb.dcim.devices.get(1);
    if (first) {
        std::cout << "device 1 is " << first->display() << ", status "
                  << first->get_choice("status").value_or("?") << "\n";
        // The nested site is a brief object; full_details() fetches it, once per api and URL.
        if (std::optional<netbox::record> site = first->get_record("site")) {
            netbox::record full = co_await site->full_details();
            std::cout << "  its site " << full.display() << " has " << full["device_count"] << " devices\n";
        }
    }
    netbox::filters by_slug{{"slug", "does-not-exist"}};
    std::optional<netbox::record> by_name = co_await nb.dcim.sites.get(by_slug);
    std::cout << "site 'does-not-exist': " << (by_name ? "found" : "none") << "\n";

    // Choices from OPTIONS, memoized per api.
    netbox::choice_map choices = co_await nb.dcim.devices.choices();
    std::cout << "device status choices:";
    for (const netbox::choice& c : choices["status"])
        std::cout << " " << c.value.as_string().c_str();
    std::cout << "\n";
}

}  // namespace

int main() {
    try {
        netbox_examples::target target = netbox_examples::choose_target();
        boost::asio::io_context ioc;
        netbox::api nb(ioc.get_executor(), target.base_url, target.token);
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
