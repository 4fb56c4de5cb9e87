// The simulator's REST engine, called directly: rendering, lists and pagination, filters, field
// selection, writes and their errors, detail endpoints, and 4.6 cursor paging.
#include "sim/engine.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <string>

namespace {

namespace json = boost::json;
using netbox::sim::dataset_options;
using netbox::sim::engine;
using netbox::sim::request;
using netbox::sim::response;

constexpr std::string_view base = "http://sim.test";

/// "a=1&b=2" → decoded pairs (the tests use no escapes).
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view raw)
{
    std::vector<std::pair<std::string, std::string>> out;
    while (!raw.empty()) {
        const std::size_t amp = std::min(raw.find('&'), raw.size());
        const std::string_view part = raw.substr(0, amp);
        const std::size_t eq = part.find('=');
        out.emplace_back(std::string(part.substr(0, eq)), eq == std::string_view::npos ? "" : std::string(part.substr(eq + 1)));
        raw.remove_prefix(std::min(amp + 1, raw.size()));
    }
    return out;
}

class sim_engine : public ::testing::Test {
protected:
    explicit sim_engine(std::string_view version = "4.5", dataset_options options = {})
        : engine_(*netbox::model::find_api(version), options)
    {
    }

    response call(std::string method, std::string_view target, std::string body = {})
    {
        request r;
        r.method = std::move(method);
        const std::size_t q = target.find('?');
        r.path = std::string(target.substr(0, q));
        if (q != std::string_view::npos) {
            r.raw_query = std::string(target.substr(q + 1));
            r.query = parse_query(r.raw_query);
        }
        r.body = std::move(body);
        r.content_type = "application/json";
        r.base_url = std::string(base);
        return engine_.handle(r);
    }

    json::value get(std::string_view target, int status = 200)
    {
        const response res = call("GET", target);
        EXPECT_EQ(res.status, status) << target << ": " << res.body;
        return json::parse(res.body);
    }

    json::value send(std::string method, std::string_view target, std::string body, int status)
    {
        const response res = call(std::move(method), target, std::move(body));
        EXPECT_EQ(res.status, status) << target << ": " << res.body;
        return res.body.empty() ? json::value() : json::parse(res.body);
    }

    std::int64_t count(std::string_view target) { return get(target).at("count").as_int64(); }

    engine engine_;
};

class sim_engine_46 : public sim_engine {
protected:
    sim_engine_46() : sim_engine("4.6") {}
};

/// MAX_PAGE_SIZE = 0: no maximum.
class sim_engine_unlimited : public sim_engine {
protected:
    static dataset_options unlimited()
    {
        dataset_options o;
        o.max_page_size = 0;
        return o;
    }
    sim_engine_unlimited() : sim_engine("4.5", unlimited()) {}
};

// --- rendering ---------------------------------------------------------------------------------------

TEST_F(sim_engine, renders_a_device_like_netbox)
{
    const json::object device = get("/api/dcim/devices/1/").as_object();
    EXPECT_EQ(device.at("id"), 1);
    EXPECT_EQ(device.at("url"), "http://sim.test/api/dcim/devices/1/");
    EXPECT_EQ(device.at("display_url"), "http://sim.test/dcim/devices/1/");
    EXPECT_EQ(device.at("display"), "sw01.ber-dc1");
    EXPECT_EQ(device.at("site").at("slug"), "ber-dc1");
    EXPECT_EQ(device.at("site").at("url"), "http://sim.test/api/dcim/sites/1/");
    EXPECT_EQ(device.at("device_type").at("manufacturer").at("name"), "Juniper");
    EXPECT_EQ(device.at("face").at("label"), "Front");
    EXPECT_TRUE(device.at("platform").is_null());
    EXPECT_EQ(device.at("config_context"), json::object{});
    EXPECT_EQ(device.at("interface_count"), 4);
    EXPECT_TRUE(device.at("custom_fields").as_object().contains("asset_owner"));
    const json::object& tag = device.at("tags").as_array().front().as_object();
    EXPECT_EQ(tag.size(), 7u);  // id, url, display_url, display, name, slug, color
    EXPECT_TRUE(tag.contains("display_url"));
    EXPECT_FALSE(device.at("rack").as_object().contains("device_count"));
}

TEST_F(sim_engine, prints_floats_and_compact_json_like_python)
{
    const response res = call("GET", "/api/dcim/devices/1/");
    EXPECT_NE(res.body.find("\"position\":1.0"), std::string::npos);
    EXPECT_EQ(res.body.find(", "), std::string::npos);
}

TEST_F(sim_engine, a_missing_slash_redirects_to_the_path_escaped_again)
{
    const response r = call("GET", "/api/dcim/devices/1\r\nX-Injected: yes?brief=1");
    EXPECT_EQ(r.status, 301);
    ASSERT_EQ(r.headers.size(), 1u);
    EXPECT_EQ(r.headers[0].second, "http://sim.test/api/dcim/devices/1%0D%0AX-Injected:%20yes/?brief=1");
}

TEST_F(sim_engine, not_found_and_bad_ids)
{
    EXPECT_EQ(get("/api/dcim/devices/99999/", 404).at("detail"), "No Device matches the given query.");
    EXPECT_EQ(get("/api/ipam/ip-addresses/abc/", 404).at("detail"), "No IPAddress matches the given query.");
}

// --- lists ---------------------------------------------------------------------------------------------

TEST_F(sim_engine, paginates_with_absolute_links_that_keep_the_query)
{
    const json::value page = get("/api/dcim/devices/?status=active&limit=5&offset=10");
    EXPECT_EQ(page.at("results").as_array().size(), 5u);
    EXPECT_EQ(page.at("next"), "http://sim.test/api/dcim/devices/?limit=5&offset=15&status=active");
    EXPECT_EQ(page.at("previous"), "http://sim.test/api/dcim/devices/?limit=5&offset=5&status=active");
    EXPECT_EQ(get("/api/dcim/devices/?limit=5&offset=5").at("previous"), "http://sim.test/api/dcim/devices/?limit=5");
    EXPECT_EQ(get("/api/dcim/devices/").at("results").as_array().size(), 50u);
    EXPECT_EQ(get("/api/dcim/devices/?limit=0").at("results").as_array().size(), 60u);
    EXPECT_TRUE(get("/api/dcim/devices/?limit=0").at("next").is_null());
    EXPECT_EQ(get("/api/dcim/devices/?limit=abc").at("results").as_array().size(), 50u);
    EXPECT_EQ(get("/api/dcim/devices/?offset=59").at("results").as_array().size(), 1u);
    EXPECT_EQ(get("/api/dcim/interfaces/?limit=5000").at("results").as_array().size(), 240u);
}

TEST_F(sim_engine, orders_by_one_or_more_fields)
{
    const json::value desc = get("/api/dcim/devices/?ordering=-id&limit=2");
    EXPECT_EQ(desc.at("results").at(0).at("id"), 60);
    const json::value by_site = get("/api/dcim/devices/?ordering=site,-name&limit=1");
    EXPECT_EQ(by_site.at("results").at(0).at("name"), "sw58.ber-dc1");
    EXPECT_EQ(get("/api/dcim/devices/?ordering=bogus&limit=1").at("results").at(0).at("id"), 1);
}

TEST_F(sim_engine, brief_fields_omit_and_exclude)
{
    const json::object brief = get("/api/dcim/devices/?brief=true&limit=1").at("results").at(0).as_object();
    EXPECT_EQ(brief.size(), 5u);
    EXPECT_EQ(get("/api/dcim/devices/?brief=false&limit=1").at("results").at(0).as_object().size(), 5u);
    const json::object some = get("/api/dcim/devices/?fields=id,name,site&limit=1").at("results").at(0).as_object();
    EXPECT_EQ(some.size(), 3u);
    EXPECT_TRUE(some.contains("site"));
    const json::object omitted = get("/api/dcim/devices/1/?omit=tags,custom_fields").as_object();
    EXPECT_FALSE(omitted.contains("tags"));
    EXPECT_TRUE(omitted.contains("name"));
    EXPECT_FALSE(get("/api/dcim/devices/1/?exclude=config_context").as_object().contains("config_context"));
    EXPECT_EQ(get("/api/dcim/devices/1/?brief=1").as_object().size(), 5u);
}

// --- filters -------------------------------------------------------------------------------------------

TEST_F(sim_engine, filters_exact_foreign_keys_tags_and_custom_fields)
{
    EXPECT_EQ(count("/api/dcim/devices/?site=ber-dc1"), 20);
    EXPECT_EQ(count("/api/dcim/devices/?site_id=1"), 20);
    EXPECT_EQ(count("/api/dcim/devices/?site=ber-dc1&site=ams-dc2"), 40);  // repeated keys are OR'ed
    EXPECT_EQ(count("/api/dcim/devices/?site_id=1&site_id=3&role=access-switch"), 20);
    EXPECT_EQ(count("/api/dcim/devices/?name=sw07.ber-dc1"), 1);
    EXPECT_EQ(count("/api/dcim/devices/?tag=monitored"), 60);
    EXPECT_EQ(count("/api/dcim/devices/?cf_asset_owner=team-1"), 20);
    EXPECT_EQ(count("/api/dcim/interfaces/?site_id=2"), 80);  // through the device
    EXPECT_EQ(count("/api/dcim/interfaces/?device_id=1&name=xe-0/0/3"), 1);
    EXPECT_EQ(count("/api/dcim/devices/?bogus_filter=1"), 60);  // unknown filters are ignored
    EXPECT_EQ(count("/api/dcim/devices/?platform=null"), 60);
    EXPECT_EQ(count("/api/dcim/devices/?platform_id__n=null"), 0);
}

TEST_F(sim_engine, filters_every_lookup)
{
    EXPECT_EQ(count("/api/dcim/devices/?name__n=sw01.ber-dc1"), 59);
    EXPECT_EQ(count("/api/dcim/devices/?name__ic=BER"), 20);
    EXPECT_EQ(count("/api/dcim/devices/?name__nic=BER"), 40);
    EXPECT_EQ(count("/api/dcim/devices/?name__isw=SW1"), 10);
    EXPECT_EQ(count("/api/dcim/devices/?name__iew=NYC-DC3"), 20);
    EXPECT_EQ(count("/api/dcim/devices/?name__ie=SW01.BER-DC1"), 1);
    EXPECT_EQ(count("/api/dcim/devices/?id__gt=50"), 10);
    EXPECT_EQ(count("/api/dcim/devices/?id__gte=50"), 11);
    EXPECT_EQ(count("/api/dcim/devices/?id__lt=5"), 4);
    EXPECT_EQ(count("/api/dcim/devices/?id__lte=5"), 5);
    EXPECT_EQ(count("/api/dcim/devices/?id__gt=10&id__lt=20"), 9);
    EXPECT_EQ(count("/api/dcim/devices/?asset_tag__empty=true"), 60);
    EXPECT_EQ(count("/api/dcim/devices/?serial__empty=false"), 60);
    EXPECT_EQ(count("/api/dcim/devices/?q=sw0"), 9);
    EXPECT_EQ(count("/api/dcim/devices/?status=active&status=planned&status=staged&status=offline"), 60);
}

// --- writes --------------------------------------------------------------------------------------------

TEST_F(sim_engine, creates_updates_and_deletes)
{
    const json::value created = send("POST", "/api/dcim/sites/", R"({"name": "Paris", "slug": "par-dc4", "status": "active"})", 201);
    const std::int64_t id = created.at("id").as_int64();
    EXPECT_EQ(created.at("status").at("label"), "Active");
    const std::string path = "/api/dcim/sites/" + std::to_string(id) + "/";
    const json::value patched = send("PATCH", path, R"({"description": "new", "tenant": {"slug": "acme"}})", 200);
    EXPECT_EQ(patched.at("description"), "new");
    EXPECT_EQ(patched.at("tenant").at("id"), 1);
    EXPECT_GT(patched.at("last_updated").as_string(), created.at("last_updated").as_string());
    EXPECT_EQ(patched.at("created"), created.at("created"));
    send("PUT", path, R"({"name": "Paris 2"})", 400);  // PUT needs every required field
    send("DELETE", path, {}, 204);
    get(path, 404);
}

TEST_F(sim_engine, bulk_writes_are_all_or_nothing)
{
    const std::int64_t before = count("/api/dcim/devices/");
    const json::value errors = send("POST", "/api/dcim/devices/",
                                    R"([{"name": "b1", "device_type": 1, "role": 1, "site": 1},
                                        {"name": "b2", "device_type": 99, "role": 1, "site": 1}])",
                                    400);
    EXPECT_EQ(errors.as_array().size(), 2u);
    EXPECT_EQ(errors.at(0).as_object().size(), 0u);
    EXPECT_EQ(errors.at(1).at("device_type").at(0), "Related object not found using the provided numeric ID: 99");
    EXPECT_EQ(count("/api/dcim/devices/"), before);

    const json::value made = send("POST", "/api/dcim/devices/",
                                  R"([{"name": "b1", "device_type": 1, "role": 1, "site": 1},
                                      {"name": "b2", "device_type": {"slug": "qfx5120-48y"}, "role": 1, "site": 1}])",
                                  201);
    ASSERT_EQ(made.as_array().size(), 2u);
    const auto a = made.at(0).at("id").as_int64();
    const auto b = made.at(1).at("id").as_int64();
    const json::value updated = send("PATCH", "/api/dcim/devices/",
                                     "[{\"id\": " + std::to_string(a) + ", \"serial\": \"X1\"}, {\"id\": " +
                                         std::to_string(b) + ", \"serial\": \"X2\"}]",
                                     200);
    EXPECT_EQ(updated.at(1).at("serial"), "X2");
    send("DELETE", "/api/dcim/devices/", "[{\"id\": " + std::to_string(a) + "}, {\"id\": " + std::to_string(b) + "}]", 204);
    EXPECT_EQ(count("/api/dcim/devices/"), before);
}

TEST_F(sim_engine, validation_errors_read_like_netbox)
{
    const json::value errors = send("POST", "/api/dcim/devices/", R"({"name": "broken-device", "status": "bogus"})", 400);
    EXPECT_EQ(json::serialize(errors),
              R"({"device_type":["This field is required."],"role":["This field is required."],)"
              R"("site":["This field is required."],"status":["bogus is not a valid choice."]})");
    EXPECT_EQ(send("POST", "/api/dcim/sites/", R"({"name": "Berlin DC1", "slug": "x"})", 400).at("name").at(0),
              "site with this name already exists.");
    EXPECT_EQ(send("POST", "/api/dcim/racks/", R"({"name": "R9", "site": 1, "u_height": "tall"})", 400).at("u_height").at(0),
              "A valid integer is required.");
    const json::value parse_error = send("POST", "/api/dcim/sites/", "{nope", 400);
    EXPECT_TRUE(parse_error.at("detail").as_string().starts_with("JSON parse error - "));
    EXPECT_EQ(send("POST", "/api/dcim/devices/1/", "{}", 405).at("detail"), "Method \"POST\" not allowed.");
    const json::value blocked = send("DELETE", "/api/dcim/manufacturers/1/", {}, 409);
    EXPECT_TRUE(blocked.at("detail").as_string().starts_with("Unable to delete object. "));
}

TEST_F(sim_engine, integers_are_checked_against_netbox_ranges)
{
    // Model validators (MinValueValidator/MaxValueValidator) as DRF reports them.
    EXPECT_EQ(send("PATCH", "/api/dcim/racks/1/", R"({"u_height": 4000000000000})", 400),
              json::parse(R"({"u_height": ["Ensure this value is less than or equal to 100."]})"));
    ASSERT_FALSE(HasFailure()) << "stored: the elevation would list trillions of units";
    EXPECT_EQ(send("PATCH", "/api/dcim/racks/1/", R"({"u_height": 0})", 400).at("u_height").at(0),
              "Ensure this value is greater than or equal to 1.");
    EXPECT_EQ(send("PATCH", "/api/dcim/racks/1/", R"({"u_height": 18446744073709551615})", 400).at("u_height").at(0),
              "Ensure this value is less than or equal to 100.");
    EXPECT_EQ(send("PATCH", "/api/dcim/racks/1/", R"({"u_height": "99999999999999999999999"})", 400).at("u_height").at(0),
              "Ensure this value is less than or equal to 100.");
    EXPECT_EQ(send("PATCH", "/api/dcim/racks/1/", R"({"u_height": 1e300})", 400).at("u_height").at(0),
              "A valid integer is required.");
    EXPECT_EQ(send("PATCH", "/api/dcim/racks/1/", R"({"starting_unit": 0})", 400).at("starting_unit").at(0),
              "Ensure this value is greater than or equal to 1.");
    EXPECT_EQ(get("/api/dcim/racks/1/elevation/?limit=1").at("count"), 84);
    EXPECT_EQ(send("PATCH", "/api/dcim/racks/1/", R"({"u_height": 100})", 200).at("u_height"), 100);
    EXPECT_EQ(get("/api/dcim/racks/1/elevation/?limit=1").at("count"), 200);

    EXPECT_EQ(send("PATCH", "/api/ipam/vlans/1/", R"({"vid": 4095})", 400).at("vid").at(0),
              "Ensure this value is less than or equal to 4094.");
    EXPECT_EQ(send("PATCH", "/api/ipam/asns/1/", R"({"asn": 4294967296})", 400).at("asn").at(0),
              "Ensure this value is less than or equal to 4294967295.");
    EXPECT_EQ(send("PATCH", "/api/ipam/asn-ranges/1/", R"({"start": 0})", 400).at("start").at(0),
              "Ensure this value is greater than or equal to 1.");
    EXPECT_EQ(send("PATCH", "/api/ipam/asn-ranges/1/", R"({"end": 64512})", 400),
              json::parse(R"({"__all__": ["Starting ASN (64512) must be lower than ending ASN (64512)."]})"));
    EXPECT_EQ(send("PATCH", "/api/ipam/asns/1/", R"({"asn": 4294967295})", 200).at("asn"), 4294967295);
}

TEST_F(sim_engine, vid_ranges_are_pairs_of_vlan_ids)
{
    const std::string group = "/api/ipam/vlan-groups/1/";
    const auto refused = [&](std::string_view body) { return send("PATCH", group, std::string(body), 400).at("vid_ranges"); };
    // IntegerRangeSerializer(many=True): one list of messages per item, {} for a good one.
    EXPECT_EQ(refused(R"({"vid_ranges": [[1, "x"]]})"), json::parse(R"([["Range boundaries must be defined as integers."]])"));
    EXPECT_EQ(refused(R"({"vid_ranges": [[1, 4e18]]})"), json::parse(R"([["Range boundaries must be defined as integers."]])"));
    EXPECT_EQ(refused(R"({"vid_ranges": [[1, 2], [3]]})"),
              json::parse(R"([{}, ["Ranges must be specified in the form (lower, upper)."]])"));
    EXPECT_EQ(refused(R"({"vid_ranges": "1-10"})"),
              json::parse(R"({"non_field_errors": ["Expected a list of items but got type \"str\"."]})"));
    EXPECT_EQ(refused(R"({"vid_ranges": null})"), json::parse(R"(["This field may not be null."])"));
    // VLANGroup.clean()
    EXPECT_EQ(refused(R"({"vid_ranges": [[1, 4000000000000000000]]})").at(0),
              "Ending VLAN ID in range (4000000000000000000) cannot exceed 4094");
    EXPECT_EQ(refused(R"({"vid_ranges": [[0, 5]]})").at(0), "Starting VLAN ID in range (0) cannot be less than 1");
    EXPECT_EQ(refused(R"({"vid_ranges": [[10, 5]]})").at(0),
              "Ending VLAN ID in range must be greater than or equal to the starting VLAN ID (10-5)");
    EXPECT_EQ(refused(R"({"vid_ranges": [[1, 10], [10, 20]]})").at(0), "Ranges cannot overlap.");

    ASSERT_FALSE(HasFailure()) << "stored: available-vlans would read the bad ranges";
    // Nothing was stored: the group still offers 1-4094 (minus VLANs 10-50).
    EXPECT_EQ(get("/api/ipam/vlan-groups/1/available-vlans/?limit=1000").as_array().size(), 1000u);
    EXPECT_EQ(send("PATCH", group, R"({"vid_ranges": [[100, 102], [4094, 4094]]})", 200).at("vid_ranges"),
              json::parse("[[100, 102], [4094, 4094]]"));
    const json::value free = get("/api/ipam/vlan-groups/1/available-vlans/");
    ASSERT_EQ(free.as_array().size(), 4u);
    EXPECT_EQ(free.at(3).at("vid"), 4094);
}

TEST_F(sim_engine, options_describe_the_writable_fields)
{
    const json::value meta = json::parse(call("OPTIONS", "/api/dcim/devices/").body);
    EXPECT_EQ(meta.at("name"), "Device List");
    const json::object& status = meta.at("actions").at("POST").at("status").as_object();
    EXPECT_EQ(status.at("type"), "field");
    EXPECT_EQ(status.at("choices").at(0).as_object().size(), 2u);
    EXPECT_EQ(meta.at("actions").at("POST").at("device_type").at("required"), true);
}

// --- detail endpoints ------------------------------------------------------------------------------------

TEST_F(sim_engine, allocates_addresses_and_prefixes)
{
    const json::value free = get("/api/ipam/prefixes/1/available-ips/?limit=3");
    EXPECT_EQ(free.at(0).at("address"), "10.0.0.13/24");
    const json::value made = send("POST", "/api/ipam/prefixes/1/available-ips/", R"([{"description": "a"}, {}])", 201);
    EXPECT_EQ(made.at(1).at("address"), "10.0.0.14/24");
    EXPECT_EQ(get("/api/ipam/prefixes/1/available-ips/?limit=1").at(0).at("address"), "10.0.0.15/24");
    EXPECT_EQ(get("/api/ipam/prefixes/11/available-ips/?limit=1").at(0).at("address"), "2001:db8::/48");

    EXPECT_EQ(get("/api/ipam/prefixes/10/available-prefixes/").at(0).at("prefix"), "10.100.0.0/16");
    const json::value child = send("POST", "/api/ipam/prefixes/10/available-prefixes/", R"({"prefix_length": 24})", 201);
    EXPECT_EQ(child.at("prefix"), "10.100.0.0/24");
    const json::value rest = get("/api/ipam/prefixes/10/available-prefixes/");
    EXPECT_EQ(rest.at(0).at("prefix"), "10.100.1.0/24");
    EXPECT_EQ(rest.as_array().back().at("prefix"), "10.100.128.0/17");

    const json::value small = send("POST", "/api/ipam/prefixes/", R"({"prefix": "192.0.2.0/30"})", 201);
    const std::string path = "/api/ipam/prefixes/" + std::to_string(small.at("id").as_int64()) + "/available-ips/";
    send("POST", path, "[{}, {}]", 201);
    EXPECT_EQ(send("POST", path, "{}", 409).at("detail"), "Insufficient resources are available to satisfy the request");
}

TEST_F(sim_engine, an_allocation_with_one_invalid_item_creates_nothing)
{
    const json::value before = get("/api/ipam/prefixes/10/available-prefixes/");
    const json::value errors =
        send("POST", "/api/ipam/prefixes/10/available-prefixes/", R"([{"prefix_length": 24}, {}])", 400);
    ASSERT_EQ(errors.as_array().size(), 2u);
    EXPECT_TRUE(errors.at(0).as_object().empty());
    EXPECT_EQ(errors.at(1).at("prefix_length").at(0), "This field is required.");
    EXPECT_EQ(get("/api/ipam/prefixes/10/available-prefixes/"), before);

    const json::value one = send("POST", "/api/ipam/vlan-groups/1/available-vlans/", R"({"status": "bogus"})", 400);
    EXPECT_TRUE(one.is_object()) << "a single object body gets a single error object";
    EXPECT_EQ(get("/api/ipam/vlan-groups/1/available-vlans/?limit=1").at(0).at("vid"), 1);
}

TEST_F(sim_engine, allocates_vlans_asns_and_range_addresses)
{
    EXPECT_EQ(get("/api/ipam/vlan-groups/1/available-vlans/?limit=2").at(1).at("vid"), 2);
    EXPECT_EQ(send("POST", "/api/ipam/vlan-groups/1/available-vlans/", R"({"name": "new"})", 201).at("vid"), 1);
    EXPECT_EQ(get("/api/ipam/asn-ranges/1/available-asns/?limit=1").at(0).at("asn"), 64514);
    EXPECT_EQ(send("POST", "/api/ipam/asn-ranges/1/available-asns/", "{}", 201).at("asn"), 64514);
    EXPECT_EQ(get("/api/ipam/ip-ranges/1/available-ips/?limit=1").at(0).at("address"), "10.0.9.100/24");
}

TEST_F(sim_engine, rack_elevation_as_json_and_svg)
{
    const json::value page = get("/api/dcim/racks/1/elevation/?face=front&limit=5");
    EXPECT_EQ(page.at("count"), 84);
    EXPECT_EQ(page.at("results").at(0).at("name"), "U42.5");
    EXPECT_EQ(page.at("next"), "http://sim.test/api/dcim/racks/1/elevation/?face=front&limit=5&offset=5");
    const json::value bottom = get("/api/dcim/racks/1/elevation/?limit=2&offset=82");
    EXPECT_EQ(bottom.at("results").at(1).at("device").at("id"), 1);
    const response svg = call("GET", "/api/dcim/racks/1/elevation/?render=svg");
    EXPECT_EQ(svg.content_type, "image/svg+xml");
    EXPECT_NE(svg.body.find("<svg"), std::string::npos);
}

TEST_F(sim_engine, traces_cables_through_pass_through_ports)
{
    const json::value direct = get("/api/dcim/interfaces/1/trace/");
    ASSERT_EQ(direct.as_array().size(), 1u);
    EXPECT_EQ(direct.at(0).at(2).at(0).at("id"), 5);
    const json::value long_way = get("/api/dcim/interfaces/2/trace/");
    ASSERT_EQ(long_way.as_array().size(), 3u);
    EXPECT_EQ(long_way.at(2).at(2).at(0).at("id"), 18);  // xe-0/0/1 of device 5
    const json::value paths = get("/api/dcim/front-ports/1/paths/");
    EXPECT_EQ(paths.at(0).at("is_complete"), true);
    EXPECT_EQ(get("/api/dcim/interfaces/3/trace/").as_array().size(), 0u);
}

// --- MAX_PAGE_SIZE = 0 ---------------------------------------------------------------------------------

TEST_F(sim_engine_unlimited, limit_0_returns_everything_and_no_limit_is_clamped)
{
    const json::value all = get("/api/dcim/devices/?limit=0");
    EXPECT_EQ(all.at("results").as_array().size(), 60u);
    EXPECT_TRUE(all.at("next").is_null());
    EXPECT_TRUE(all.at("previous").is_null());
    const json::value rest = get("/api/dcim/devices/?limit=0&offset=50");
    EXPECT_EQ(rest.at("results").as_array().size(), 10u);
    EXPECT_TRUE(rest.at("previous").is_null());
    EXPECT_EQ(get("/api/dcim/interfaces/?limit=5000").at("results").as_array().size(), 240u);
    const json::value first = get("/api/dcim/devices/");
    EXPECT_EQ(first.at("results").as_array().size(), 50u);
    EXPECT_EQ(first.at("next"), "http://sim.test/api/dcim/devices/?limit=50&offset=50");

    const json::value units = get("/api/dcim/racks/1/elevation/?limit=0");
    EXPECT_EQ(units.at("results").as_array().size(), 84u);
    EXPECT_TRUE(units.at("next").is_null());
    // get_results_limit(): limit 0 or MAX_PAGE_SIZE, unclamped. Available IPs stop at `limit`
    // only when it is set; VLANs and ASNs are sliced [:limit].
    EXPECT_GT(get("/api/ipam/prefixes/1/available-ips/?limit=0").as_array().size(), 200u);
    EXPECT_EQ(get("/api/ipam/vlan-groups/1/available-vlans/?limit=5000").as_array().size(), 4089u);
    EXPECT_EQ(get("/api/ipam/vlan-groups/1/available-vlans/").as_array().size(), 50u);
    EXPECT_EQ(get("/api/ipam/asn-ranges/1/available-asns/?limit=500").as_array().size(), 99u);
    EXPECT_EQ(send("POST", "/api/ipam/asn-ranges/1/available-asns/", "[{}, {}]", 201).at(1).at("asn"), 64515);
}

// --- 4.6 cursor paging -----------------------------------------------------------------------------------

TEST_F(sim_engine_46, pages_by_cursor)
{
    const json::value page = get("/api/dcim/devices/?start=10&limit=5");
    EXPECT_TRUE(page.at("count").is_null());
    EXPECT_TRUE(page.at("previous").is_null());
    EXPECT_EQ(page.at("results").at(0).at("id"), 10);
    EXPECT_EQ(page.at("next"), "http://sim.test/api/dcim/devices/?limit=5&start=15");
    EXPECT_TRUE(get("/api/dcim/devices/?start=58&limit=5").at("next").is_null());
    EXPECT_EQ(call("GET", "/api/dcim/devices/?start=1&offset=5").status, 400);
    EXPECT_EQ(call("GET", "/api/dcim/devices/?start=1&ordering=name").status, 400);
}

TEST_F(sim_engine, start_is_no_cursor_before_4_6)
{
    EXPECT_EQ(get("/api/dcim/devices/?start=10&limit=5").at("count"), 60);
}

}  // namespace
