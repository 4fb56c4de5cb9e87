// Example: the blocking twin of the dynamic facade, for scripts. Same calls, no co_await: each
// one runs the asynchronous path on this thread.
//
// It only reads, so it runs against NETBOX_URL/NETBOX_TOKEN when both are set, the built-in
// simulator otherwise.
#include "target.hpp"

#include <netbox/dynamic.hpp>

#include <exception>
#include <iostream>

int main() {
    try {
        netbox_examples::target target = netbox_examples::choose_target();
        netbox::blocking_api nb(target.base_url, target.token);

        std::cout << "NetBox " << nb.version() << ", " << nb.dcim.sites.count() << " sites\n";

        // Iterating a record set streams it page by page.
        std::size_t with_tenant = 0;
        for (const netbox::record& site : nb.dcim.sites.all())
            with_tenant += !site["tenant"].is_null();
        std::cout << with_tenant << " sites have a tenant\n";

        // Detail endpoints and anything else asynchronous: run().
        if (std::optional<netbox::record> rack = nb.dcim.racks.get(1)) {
            std::string svg = nb.run(rack->elevation().svg());
            std::cout << "rack " << rack->display() << ": elevation drawing of " << svg.size() << " bytes\n";
        }
        return 0;
    } catch (const netbox::api_error& e) {
        std::cerr << "netbox error: " << e.what() << "\n";
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
    }
    return 1;
}
