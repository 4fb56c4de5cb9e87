// Detail endpoints against the simulator: available IPs and their allocation errors, rack
// elevations, cable traces and paths, render-config, data source sync, unsupported endpoints.
#include "support/facade_support.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <set>

namespace netbox::facade_test {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

using details = facade_test;

TEST_F(details, available_ips_lists_free_addresses_as_ip_address_records)
{
    std::optional<record> prefix = run(nb->ipam.prefixes.get(1));
    ASSERT_TRUE(prefix.has_value());
    server->clear_requests();
    filters five{{"limit", 5}};
    const std::vector<record> free = run(prefix->available_ips().list(five));
    ASSERT_EQ(free.size(), 5u);
    EXPECT_EQ(free[0].get_string("address"), "10.0.0.13/24");  // .1-.12 are used
    EXPECT_EQ(free[0].endpoint_path(), "ipam/ip-addresses");
    EXPECT_EQ(free[0].id(), 0);
    const auto log = requests();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].path, "/api/ipam/prefixes/1/available-ips/");
    EXPECT_EQ(log[0].query, "limit=5");
}

TEST_F(details, available_ips_creates_one_or_many)
{
    std::optional<record> prefix = run(nb->ipam.prefixes.get(1));
    ASSERT_TRUE(prefix.has_value());
    json::object one{{"description", "first"}};
    const record ip = run(prefix->available_ips().create(one));
    EXPECT_GT(ip.id(), 0);
    EXPECT_EQ(ip.endpoint_path(), "ipam/ip-addresses");
    EXPECT_EQ(ip.get_string("address"), "10.0.0.13/24");
    EXPECT_EQ(ip.get_string("description"), "first");

    json::array two{json::object{{"description", "a"}}, json::object{{"description", "b"}}};
    const std::vector<record> ips = run(prefix->available_ips().create(two));
    ASSERT_EQ(ips.size(), 2u);
    EXPECT_EQ(ips[0].get_string("address"), "10.0.0.14/24");
    EXPECT_EQ(ips[1].get_string("address"), "10.0.0.15/24");
    EXPECT_EQ(ips[1].endpoint_path(), "ipam/ip-addresses");

    // The created records are ordinary records of their endpoint.
    std::optional<record> fetched = run(nb->ipam.ip_addresses.get(ips[1].id()));
    ASSERT_TRUE(fetched.has_value());
    EXPECT_EQ(fetched->get_string("description"), "b");
}

TEST_F(details, a_full_prefix_answers_allocation_failed)
{
    json::object small{{"prefix", "192.0.2.0/30"}, {"status", "active"}};
    const record prefix = run(nb->ipam.prefixes.create(small));
    json::array three{json::object{}, json::object{}, json::object{}};
    const result<std::vector<record>> refused = run(prefix.available_ips().try_create(three));
    EXPECT_NETBOX_ERROR(refused, errc::allocation_failed);
    if (refused.has_error()) {
        EXPECT_EQ(refused.error().status, 409);
        EXPECT_EQ(refused.error().detail, "Insufficient resources are available to satisfy the request");
    }
    // All or none: both free addresses are still there.
    EXPECT_EQ(run(prefix.available_ips().list()).size(), 2u);
}

TEST_F(details, available_prefixes_vlans_and_asns_belong_to_their_endpoints)
{
    std::optional<record> container = run(nb->ipam.prefixes.get(10));
    ASSERT_TRUE(container.has_value());
    ASSERT_EQ(container->get_string("prefix"), "10.100.0.0/16");
    json::object length{{"prefix_length", 24}};
    const record child = run(container->available_prefixes().create(length));
    EXPECT_EQ(child.endpoint_path(), "ipam/prefixes");
    EXPECT_EQ(child.get_string("prefix"), "10.100.0.0/24");

    std::optional<record> group = run(nb->ipam.vlan_groups.get(1));
    ASSERT_TRUE(group.has_value());
    filters two{{"limit", 2}};
    const std::vector<record> vlans = run(group->available_vlans().list(two));
    ASSERT_EQ(vlans.size(), 2u);
    EXPECT_EQ(vlans[0].endpoint_path(), "ipam/vlans");
    EXPECT_EQ(vlans[0].get_int("vid"), 1);

    std::optional<record> range = run(nb->ipam.asn_ranges.get(1));
    ASSERT_TRUE(range.has_value());
    const record asn = run(range->available_asns().create());
    EXPECT_EQ(asn.endpoint_path(), "ipam/asns");
    EXPECT_EQ(asn.get_int("asn"), 64514);
}

TEST_F(details, rack_elevation_lists_every_unit_over_pages_and_draws_svg)
{
    std::optional<record> rack = run(nb->dcim.racks.get(1));
    ASSERT_TRUE(rack.has_value());
    const std::int64_t height = rack->get_int("u_height").value_or(static_cast<std::int64_t>(*rack->get_number("u_height")));
    server->clear_requests();
    filters front{{"face", "front"}};
    const std::vector<record> units = run(rack->elevation().list(front));
    EXPECT_EQ(units.size(), static_cast<std::size_t>(2 * height));  // whole and half units
    EXPECT_EQ(requests().size(), 2u);                              // 50 a page: followed `next`
    EXPECT_EQ(units[0].get_string("name"), "U" + std::to_string(height) + ".5");
    EXPECT_EQ(units[0].id(), 0);  // a unit's id is a number like 42.5, not an object id
    const auto occupied = std::ranges::find_if(units, [](const record& u) { return u.get_bool("occupied") == true; });
    ASSERT_NE(occupied, units.end());
    std::optional<record> device = occupied->get_record("device");
    ASSERT_TRUE(device.has_value());
    EXPECT_EQ(device->endpoint_path(), "dcim/devices");

    const std::string svg = run(rack->elevation().svg(front));
    EXPECT_NE(svg.find("<svg"), std::string::npos);
    const auto log = requests();
    EXPECT_EQ(log.back().query, "face=front&render=svg");
}

TEST_F(details, elevation_follows_next_rebased_from_a_wrong_host)
{
    testing::simulator_options sim = small_simulator();
    sim.public_url = "http://wrong-host:9/netbox";
    start(sim);
    std::optional<record> rack = run(nb->dcim.racks.get(1));
    ASSERT_TRUE(rack.has_value());
    const result<std::vector<record>> units = run(rack->elevation().try_list());
    ASSERT_TRUE(units.has_value()) << units.error().what();
    EXPECT_GT(units->size(), 50u);
}

TEST_F(details, interface_trace_gives_near_cable_far_hops)
{
    std::optional<record> iface = run(nb->dcim.interfaces.get(2));  // device 1 xe-0/0/1 → front port
    ASSERT_TRUE(iface.has_value());
    const std::vector<trace_hop> hops = run(iface->trace());
    ASSERT_EQ(hops.size(), 3u);
    ASSERT_EQ(hops[0].near_ends.size(), 1u);
    EXPECT_EQ(hops[0].near_ends[0].id(), 2);
    EXPECT_EQ(hops[0].near_ends[0].endpoint_path(), "dcim/interfaces");
    ASSERT_TRUE(hops[0].cable.has_value());
    EXPECT_EQ(hops[0].cable->endpoint_path(), "dcim/cables");
    ASSERT_EQ(hops[0].far_ends.size(), 1u);
    EXPECT_EQ(hops[0].far_ends[0].endpoint_path(), "dcim/front-ports");
    EXPECT_EQ(hops[1].near_ends[0].endpoint_path(), "dcim/rear-ports");
    ASSERT_EQ(hops[2].far_ends.size(), 1u);
    EXPECT_EQ(hops[2].far_ends[0].endpoint_path(), "dcim/interfaces");
    EXPECT_EQ(hops[2].far_ends[0].id(), 18);  // device 5 xe-0/0/1
}

TEST_F(details, front_port_paths_run_from_origin_to_destination)
{
    std::optional<record> port = run(nb->dcim.front_ports.get(1));
    ASSERT_TRUE(port.has_value());
    const std::vector<cable_path> paths = run(port->paths());
    ASSERT_EQ(paths.size(), 1u);
    const cable_path& p = paths[0];
    EXPECT_TRUE(p.is_complete);
    EXPECT_TRUE(p.is_active);
    EXPECT_FALSE(p.is_split);
    ASSERT_FALSE(p.segments.empty());
    ASSERT_EQ(p.origin.size(), 1u);
    ASSERT_EQ(p.destination.size(), 1u);
    EXPECT_EQ(p.origin[0].endpoint_path(), "dcim/interfaces");
    EXPECT_EQ(p.destination[0].endpoint_path(), "dcim/interfaces");
    const std::set<std::int64_t> ends{p.origin[0].id(), p.destination[0].id()};
    EXPECT_EQ(ends, (std::set<std::int64_t>{2, 18}));
    const bool through_cable = std::ranges::any_of(
        p.segments, [](const std::vector<record>& hop) { return !hop.empty() && hop[0].endpoint_path() == "dcim/cables"; });
    EXPECT_TRUE(through_cable);
}

TEST_F(details, render_config_renders_the_device_template)
{
    json::object t{{"name", "base"}, {"template_code", "hostname {{ device.name }}\nntp {{ ntp }}\n"}};
    const record config_template = run(nb->extras.config_templates.create(t));
    std::optional<record> device = run(nb->dcim.devices.get(1));
    ASSERT_TRUE(device.has_value());
    device->set("config_template", config_template.id());
    ASSERT_TRUE(run(device->save()));

    server->clear_requests();
    json::object context{{"ntp", "10.0.0.1"}};
    const json::value rendered = run(device->render_config(context));
    EXPECT_EQ(rendered.at("content"), json::value("hostname sw01.ber-dc1\nntp 10.0.0.1\n"));
    EXPECT_EQ(rendered.at("configtemplate").at("id"), json::value(config_template.id()));
    const auto log = requests();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].method, "POST");
    EXPECT_EQ(log[0].path, "/api/dcim/devices/1/render-config/");
    EXPECT_EQ(json::parse(log[0].body), json::value(context));
}

TEST_F(details, render_config_without_a_template_is_netbox_s_400)
{
    std::optional<record> device = run(nb->dcim.devices.get(2));
    ASSERT_TRUE(device.has_value());
    const result<json::value> rendered = run(device->try_render_config());
    EXPECT_NETBOX_ERROR(rendered, errc::http_status);
    if (rendered.has_error()) {
        EXPECT_EQ(rendered.error().status, 400);
        EXPECT_NE(rendered.error().what().find("No config template found for this device."), std::string::npos)
            << rendered.error().what();
    }
}

TEST_F(details, sync_returns_the_data_source)
{
    json::object source{{"name", "configs"}, {"type", "git"}, {"source_url", "https://git.example/configs.git"}};
    const record created = run(nb->core.data_sources.create(source));
    server->clear_requests();
    const record synced = run(created.sync());
    EXPECT_EQ(synced.id(), created.id());
    EXPECT_EQ(synced.endpoint_path(), "core/data-sources");
    EXPECT_EQ(synced.get_choice("status"), "queued");
    const auto log = requests();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].method, "POST");
    EXPECT_EQ(log[0].path, "/api/core/data-sources/" + std::to_string(created.id()) + "/sync/");
}

TEST_F(details, an_unsupported_detail_endpoint_sends_nothing)
{
    std::optional<record> device = run(nb->dcim.devices.get(1));
    ASSERT_TRUE(device.has_value());
    server->clear_requests();
    EXPECT_NETBOX_ERROR(run(device->available_ips().try_list()), errc::unsupported);
    json::object nothing;
    EXPECT_NETBOX_ERROR(run(device->available_prefixes().try_create(nothing)), errc::unsupported);
    EXPECT_NETBOX_ERROR(run(device->elevation().try_svg()), errc::unsupported);
    EXPECT_NETBOX_ERROR(run(device->try_trace()), errc::unsupported);
    EXPECT_NETBOX_ERROR(run(device->try_paths()), errc::unsupported);
    EXPECT_NETBOX_ERROR(run(device->try_sync()), errc::unsupported);
    EXPECT_NETBOX_ERROR(run(device->detail("no-such-thing").try_list()), errc::unsupported);
    std::optional<record> site = run(nb->dcim.sites.get(1));
    ASSERT_TRUE(site.has_value());
    server->clear_requests();
    EXPECT_NETBOX_ERROR(run(site->try_render_config()), errc::unsupported);
    std::vector<std::string> facts{"get_facts"};
    EXPECT_NETBOX_ERROR(run(site->try_napalm(facts)), errc::unsupported);
    EXPECT_THROW(run(site->napalm(facts)), api_error);
    EXPECT_TRUE(requests().empty());
}

TEST_F(details, napalm_asks_for_each_method)
{
    std::optional<record> device = run(nb->dcim.devices.get(1));
    ASSERT_TRUE(device.has_value());
    server->clear_requests();
    std::vector<std::string> methods{"get_facts", "get_environment"};
    const result<json::value> answer = run(device->try_napalm(methods));
    // The simulator has no NAPALM plugin: the request is what is checked.
    EXPECT_TRUE(answer.has_error());
    const auto log = requests();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].path, "/api/dcim/devices/1/napalm/");
    EXPECT_EQ(log[0].query, "method=get_facts&method=get_environment");
}

}  // namespace
}  // namespace netbox::facade_test
