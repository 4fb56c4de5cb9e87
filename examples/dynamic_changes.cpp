// Example: changing NetBox through the dynamic facade: create, diff-based save, bulk writes in
// batches, allocating the next free IP addresses of a prefix, a branch scope, and delete.
//
// It writes, so it only runs against the built-in simulator; with NETBOX_URL set it says so and
// exits 0.
#include "target.hpp"

#include <netbox/dynamic.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/serialize.hpp>

#include <exception>
#include <iostream>
#include <string>

namespace {

boost::asio::awaitable<void> changes(netbox::api nb) {
    // Create one object; foreign keys by id.
    // (Arguments go into named variables first: GCC 12 mishandles braced lists inside co_await.)
    boost::json::object new_site{{"name", "Example Lab"}, {"slug", "example-lab"}};
    netbox::record site = co_await nb.dcim.sites.create(new_site);
    std::cout << "created site #" << site.id() << "\n";

    // Edit and save: only the changed fields are sent (here: a PATCH of {"description": ...}).
    site.set("description", "built by dynamic_changes");
    site.edit("custom_fields");  // an in-place edit that changes nothing is not sent
    std::cout << "save sends " << boost::json::serialize(site.updates()) << "\n";
    const bool sent = co_await site.save();
    std::cout << "saved: " << std::boolalpha << sent << ", again: " << co_await site.save() << "\n";

    // Bulk create in batches of 10: 25 objects, 3 requests, each all or none.
    boost::json::array racks;
    for (int i = 0; i < 25; ++i)
        racks.push_back(boost::json::object{{"name", "rack-" + std::to_string(i)}, {"site", site.id()}});
    netbox::write_options batches;
    batches.batch_size = 10;
    netbox::bulk_result created = co_await nb.dcim.racks.create(std::move(racks), batches);
    std::cout << created.records.size() << " racks in " << created.batches.size() << " batches\n";

    // Bulk update of a record set: only the records that change are sent.
    netbox::record_set site_racks = nb.dcim.racks.filter({{"site_id", site.id()}});
    boost::json::object planned{{"status", "planned"}};
    netbox::bulk_result updated = co_await site_racks.update(planned);
    std::cout << updated.records.size() << " racks set to planned\n";

    // The next two free addresses of a prefix.
    boost::json::object new_prefix{{"prefix", "192.0.2.0/29"}};
    netbox::record prefix = co_await nb.ipam.prefixes.create(new_prefix);
    boost::json::array two_addresses{boost::json::object{}, boost::json::object{}};
    std::vector<netbox::record> ips = co_await prefix.available_ips().create(two_addresses);
    for (const netbox::record& ip : ips)
        std::cout << "allocated " << ip.get_string("address").value_or("?") << "\n";

    // A branch scope (netbox-branching): requests through `feature` carry X-NetBox-Branch; `nb` does not.
    netbox::api feature = nb.branch("a1b2c3d4");
    std::cout << "sites seen through branch " << feature.active_branch() << ": "
              << co_await feature.dcim.sites.count() << "\n";

    // Clean up: bulk delete by record set, then single deletes.
    co_await nb.ipam.ip_addresses.delete_(ips);
    co_await prefix.delete_();
    co_await nb.dcim.racks.delete_(site_racks);
    co_await site.delete_();
    std::cout << "cleaned up\n";
}

}  // namespace

int main() {
    try {
        netbox_examples::target target = netbox_examples::choose_target();
        if (target.real()) {
            std::cout << "dynamic_changes writes data, so it only runs against the simulator (unset NETBOX_URL)\n";
            return 0;
        }
        boost::asio::io_context ioc;
        netbox::api nb(ioc.get_executor(), target.base_url, target.token);
        boost::asio::co_spawn(ioc, changes(nb), [](std::exception_ptr e) {
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
