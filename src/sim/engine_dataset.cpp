#include "engine_dataset.hpp"

#include "engine_render.hpp"
#include "sim/engine.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <string>

namespace netbox::sim::detail {
namespace {

/// splitmix64: small, fast and the same everywhere.
class random_source {
public:
    explicit random_source(std::uint64_t seed) : state_(seed) {}

    std::uint64_t next()
    {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    /// True with probability percent/100.
    bool chance(unsigned percent) { return next() % 100 < percent; }

private:
    std::uint64_t state_;
};

json::array ids(std::initializer_list<std::int64_t> list)
{
    json::array out;
    for (const std::int64_t id : list)
        out.emplace_back(id);
    return out;
}

json::object generic(std::string_view object_type, std::int64_t id)
{
    return {{"object_type", object_type}, {"object_id", id}};
}

/// "7" → "07" for a width of 2.
std::string padded(std::size_t n, std::size_t width)
{
    std::string text = std::to_string(n);
    return std::string(width > text.size() ? width - text.size() : 0, '0') + text;
}

struct site_spec {
    std::string name;
    std::string slug;
    std::int64_t region;
};

class dataset_builder {
public:
    dataset_builder(store& s, const dataset_options& options) : store_(s), options_(options), random_(options.seed) {}

    void build()
    {
        organisation();
        sites_and_racks();
        device_types_and_roles();
        devices();
        interfaces_and_cables();
        pass_through_ports();
        vlans();
        addressing();
    }

private:
    std::int64_t add(std::string_view key, std::initializer_list<stored_field> values)
    {
        table* t = store_.find(key);
        return t != nullptr ? insert_stored(store_, *t, values, true) : 0;
    }

    void organisation()
    {
        // The user the API is used as, and a token of theirs: NetBox lists it at /api/users/tokens/.
        add("users.users", {{"username", "admin"}, {"is_active", true}, {"is_staff", true}, {"is_superuser", true}});
        add("users.tokens", {{"user", 1},
                             {"version", 1},
                             {"enabled", true},
                             {"write_enabled", true},
                             {"description", "netbox-sim"},
                             {"allowed_ips", json::array{}}});
        add("tenancy.tenants", {{"name", "Acme Corp"}, {"slug", "acme"}});
        add("extras.tags", {{"name", "production"}, {"slug", "production"}, {"color", "4caf50"}});
        add("extras.tags", {{"name", "staging"}, {"slug", "staging"}, {"color", "ff9800"}});
        add("extras.tags", {{"name", "monitored"}, {"slug", "monitored"}, {"color", "2196f3"}});
        add("extras.custom-fields", {{"name", "asset_owner"},
                                     {"label", "Asset owner"},
                                     {"type", "text"},
                                     {"data_type", "string"},
                                     {"object_types", json::array{"dcim.device"}},
                                     {"filter_logic", "loose"},
                                     {"search_weight", 1000},
                                     {"weight", 100}});
        add("dcim.regions", {{"name", "Europe"}, {"slug", "europe"}});
        add("dcim.regions", {{"name", "North America"}, {"slug", "north-america"}});
    }

    void sites_and_racks()
    {
        std::vector<site_spec> specs = {{"Berlin DC1", "ber-dc1", 1}, {"Amsterdam DC2", "ams-dc2", 1},
                                        {"New York DC3", "nyc-dc3", 2}};
        const std::size_t wanted = std::max<std::size_t>(3, (options_.devices + 199) / 200);
        for (std::size_t i = specs.size() + 1; i <= wanted; ++i)
            specs.push_back({"DC" + std::to_string(i), "dc" + std::to_string(i), static_cast<std::int64_t>(1 + i % 2)});
        for (std::size_t i = 0; i < specs.size(); ++i) {
            const auto site = add("dcim.sites", {{"name", json::string(specs[i].name)},
                                                 {"slug", json::string(specs[i].slug)},
                                                 {"status", "active"},
                                                 {"region", specs[i].region},
                                                 {"tenant", 1},
                                                 {"time_zone", "UTC"}});
            sites_.push_back({site, specs[i].slug});
            racks_.push_back(add("dcim.racks", {{"name", json::string("R" + std::to_string(i + 1) + "01")},
                                                {"site", site},
                                                {"status", "active"},
                                                {"width", 19},
                                                {"u_height", 42},
                                                {"starting_unit", 1},
                                                {"desc_units", false},
                                                {"form_factor", "4-post-cabinet"}}));
        }
    }

    void device_types_and_roles()
    {
        add("dcim.manufacturers", {{"name", "Juniper"}, {"slug", "juniper"}});
        add("dcim.manufacturers", {{"name", "Arista"}, {"slug", "arista"}});
        add("dcim.device-types", {{"manufacturer", 1}, {"model", "EX4300-48T"}, {"slug", "ex4300-48t"}, {"u_height", 1.0}});
        add("dcim.device-types",
            {{"manufacturer", 2}, {"model", "DCS-7050SX3-48YC8"}, {"slug", "dcs-7050sx3"}, {"u_height", 1.0}});
        add("dcim.device-types", {{"manufacturer", 1}, {"model", "QFX5120-48Y"}, {"slug", "qfx5120-48y"}, {"u_height", 1.0}});
        add("dcim.device-roles", {{"name", "Access Switch"}, {"slug", "access-switch"}, {"color", "2196f3"}, {"vm_role", true}});
        add("dcim.device-roles", {{"name", "Core Router"}, {"slug", "core-router"}, {"color", "f44336"}, {"vm_role", false}});
        add("dcim.device-roles", {{"name", "Leaf Switch"}, {"slug", "leaf-switch"}, {"color", "4caf50"}, {"vm_role", false}});
    }

    /// swNN.<site>: round robin over sites, types and roles; the first 20 of each site mounted in
    /// its rack, every other unit.
    void devices()
    {
        const std::size_t width = std::max<std::size_t>(2, std::to_string(options_.devices).size());
        std::vector<std::size_t> mounted(sites_.size(), 0);
        for (std::size_t i = 1; i <= options_.devices; ++i) {
            const std::size_t site = (i - 1) % sites_.size();
            const auto kind = static_cast<std::int64_t>((i - 1) % 3 + 1);
            const unsigned roll = static_cast<unsigned>(random_.next() % 100);
            const char* status = roll < 70 ? "active" : roll < 85 ? "planned" : roll < 95 ? "staged" : "offline";
            json::array tags = random_.chance(50) ? ids({3, 1}) : ids({3});
            const bool in_rack = mounted[site] < 20;
            const double position = static_cast<double>(2 * mounted[site] + 1);
            mounted[site] += in_rack ? 1 : 0;
            add("dcim.devices", {{"name", json::string("sw" + padded(i, width) + "." + sites_[site].slug)},
                                 {"device_type", kind},
                                 {"role", kind},
                                 {"tenant", random_.chance(80) ? json::value(1) : json::value()},
                                 {"serial", json::string("SN" + std::to_string(100000 + i - 1))},
                                 {"site", sites_[site].id},
                                 {"rack", in_rack ? json::value(racks_[site]) : json::value()},
                                 {"position", in_rack ? json::value(position) : json::value()},
                                 {"face", in_rack ? json::value("front") : json::value()},
                                 {"status", status},
                                 {"tags", std::move(tags)},
                                 {"custom_fields", json::object{{"asset_owner", json::string("team-" + std::to_string(i % 3))}}}});
        }
    }

    /// xe-0/0/0..3 on every device; xe-0/0/0 of devices 8k+1 and 8k+2 cabled together.
    void interfaces_and_cables()
    {
        for (std::size_t device = 1; device <= options_.devices; ++device)
            for (int port = 0; port < interfaces_per_device; ++port)
                add("dcim.interfaces", {{"device", static_cast<std::int64_t>(device)},
                                        {"name", json::string("xe-0/0/" + std::to_string(port))},
                                        {"type", "10gbase-x-sfpp"},
                                        {"enabled", true},
                                        {"mtu", 1500},
                                        {"mgmt_only", false},
                                        {"mark_connected", false}});
        for (std::size_t device = 1; device + 1 <= options_.devices; device += 8)
            cable("dcim.interface", interface_of(device, 0), "dcim.interface", interface_of(device + 1, 0));
    }

    /// Device 3 and 4 carry a front and a rear port each: xe-0/0/1 of device 1 reaches xe-0/0/1 of
    /// device 5 over front 3 → rear 3 → rear 4 → front 4 (for traces and paths).
    void pass_through_ports()
    {
        if (options_.devices < 5 || store_.find("dcim.rear-ports") == nullptr)
            return;
        std::int64_t rear[2] = {};
        std::int64_t front[2] = {};
        for (int i = 0; i < 2; ++i) {
            const auto device = static_cast<std::int64_t>(3 + i);
            rear[i] = add("dcim.rear-ports", {{"device", device}, {"name", "rear1"}, {"type", "lc"}, {"positions", 1}});
            front[i] = add("dcim.front-ports", {{"device", device},
                                                {"name", "front1"},
                                                {"type", "lc"},
                                                {"positions", 1},
                                                {"rear_port", rear[i]},
                                                {"rear_port_position", 1},
                                                {"rear_ports", json::array{json::object{{"rear_port", rear[i]},
                                                                                        {"rear_port_position", 1},
                                                                                        {"position", 1}}}}});
            if (table* t = store_.find("dcim.rear-ports"))
                t->set(*t->find(rear[i]), "front_ports",
                       json::array{json::object{{"front_port", front[i]}, {"front_port_position", 1}, {"position", 1}}});
        }
        cable("dcim.interface", interface_of(1, 1), "dcim.frontport", front[0]);
        cable("dcim.rearport", rear[0], "dcim.rearport", rear[1]);
        cable("dcim.frontport", front[1], "dcim.interface", interface_of(5, 1));
    }

    void vlans()
    {
        const auto group = add("ipam.vlan-groups", {{"name", "Campus VLANs"},
                                                    {"slug", "campus"},
                                                    {"vid_ranges", json::array{json::array{1, 4094}}},
                                                    {"min_vid", 1},
                                                    {"max_vid", 4094}});
        for (int vid = 10; vid <= 50; vid += 10)
            add("ipam.vlans", {{"vid", vid},
                               {"name", json::string("vlan" + std::to_string(vid))},
                               {"group", group},
                               {"status", "active"},
                               {"tenant", 1}});
    }

    /// Prefixes 10.0.0.0/24 … 10.0.8.0/24 with twelve addresses each used, 10.100.0.0/16 empty,
    /// 2001:db8::/48 with two; an IP range; an ASN range with two ASNs.
    void addressing()
    {
        for (int k = 0; k <= 8; ++k)
            add("ipam.prefixes", {{"prefix", json::string("10.0." + std::to_string(k) + ".0/24")},
                                  {"family", 4},
                                  {"status", "active"},
                                  {"site", sites_[static_cast<std::size_t>(k) % sites_.size()].id},
                                  {"scope_type", "dcim.site"},
                                  {"scope_id", sites_[static_cast<std::size_t>(k) % sites_.size()].id}});
        add("ipam.prefixes", {{"prefix", "10.100.0.0/16"}, {"family", 4}, {"status", "container"}});
        add("ipam.prefixes", {{"prefix", "2001:db8::/48"}, {"family", 6}, {"status", "active"}});

        std::int64_t next_interface = 1;
        const auto interfaces = static_cast<std::int64_t>(options_.devices) * interfaces_per_device;
        const auto assign = [&](std::string address, int family) {
            const bool assigned = next_interface <= interfaces;
            add("ipam.ip-addresses",
                {{"address", json::string(address)},
                 {"family", family},
                 {"status", "active"},
                 {"assigned_object_type", assigned ? json::value("dcim.interface") : json::value()},
                 {"assigned_object_id", assigned ? json::value(next_interface) : json::value()}});
            next_interface += interfaces_per_device;
        };
        for (int k = 0; k < 8; ++k)
            for (int host = 1; host <= 12; ++host)
                assign("10.0." + std::to_string(k) + "." + std::to_string(host) + "/24", 4);
        assign("2001:db8::1/64", 6);
        assign("2001:db8::2/64", 6);

        add("ipam.ip-ranges", {{"start_address", "10.0.9.100/24"},
                               {"end_address", "10.0.9.199/24"},
                               {"family", 4},
                               {"size", 100},
                               {"status", "active"}});
        add("ipam.rirs", {{"name", "RFC 6996"}, {"slug", "rfc-6996"}, {"is_private", true}});
        add("ipam.asn-ranges", {{"name", "Private 16-bit"}, {"slug", "private-16"}, {"rir", 1}, {"start", 64512}, {"end", 64612}});
        add("ipam.asns", {{"asn", 64512}, {"rir", 1}});
        add("ipam.asns", {{"asn", 64513}, {"rir", 1}});
    }

    std::int64_t interface_of(std::size_t device, int port) const
    {
        return static_cast<std::int64_t>((device - 1) * interfaces_per_device) + port + 1;
    }

    void cable(std::string_view a_type, std::int64_t a, std::string_view b_type, std::int64_t b)
    {
        json::array a_ends{generic(a_type, a)};
        json::array b_ends{generic(b_type, b)};
        const auto id = add("dcim.cables", {{"a_terminations", a_ends},
                                            {"b_terminations", b_ends},
                                            {"status", "connected"},
                                            {"type", "smf"}});
        connect_cable_ends(store_, id, a_ends, b_ends);
    }

    static constexpr int interfaces_per_device = 4;

    struct site_ref {
        std::int64_t id;
        std::string slug;
    };

    store& store_;
    const dataset_options& options_;
    random_source random_;
    std::vector<site_ref> sites_;
    std::vector<std::int64_t> racks_;
};

}  // namespace

std::int64_t insert_stored(store& s, table& t, std::initializer_list<stored_field> values, bool fixed_clock)
{
    auto r = t.make();
    for (const auto& [name, value] : values)
        t.set(*r, name, value);
    const std::string now = s.timestamp(fixed_clock);
    t.set(*r, "created", json::value(now));
    t.set(*r, "last_updated", json::value(now));
    t.set(*r, "display", json::value(display_of(t, *r)));
    const std::int64_t id = t.insert(std::move(r)).id;
    s.changed();
    return id;
}

void connect_cable_ends(store& s, std::int64_t cable, const json::array& a_terminations,
                        const json::array& b_terminations)
{
    const auto link = [&](const json::array& near, const json::array& far, std::string_view end) {
        std::string_view far_type;
        if (!far.empty())
            if (const json::object* o = far.front().if_object())
                if (const json::value* type = o->if_contains("object_type"); type && type->is_string())
                    far_type = type->get_string();
        for (const json::value& termination : near) {
            const json::object* o = termination.if_object();
            const json::value* type = o ? o->if_contains("object_type") : nullptr;
            const json::value* id = o ? o->if_contains("object_id") : nullptr;
            table* t = type && type->is_string() ? s.find_object_type(type->get_string()) : nullptr;
            record* r = t && id && id->is_int64() ? t->find(id->get_int64()) : nullptr;
            if (r == nullptr)
                continue;
            const bool connected = cable != 0;
            t->set(*r, "cable", connected ? json::value(cable) : json::value());
            t->set(*r, "cable_end", connected ? json::value(end) : json::value());
            t->set(*r, "link_peers", connected ? json::value(far) : json::value(json::array{}));
            t->set(*r, "link_peers_type", connected && !far_type.empty() ? json::value(far_type) : json::value());
            t->set(*r, "_occupied", connected);
        }
    };
    link(a_terminations, b_terminations, "A");
    link(b_terminations, a_terminations, "B");
    s.changed();
}

void build_dataset(store& s, const dataset_options& options)
{
    dataset_builder(s, options).build();
}

}  // namespace netbox::sim::detail
