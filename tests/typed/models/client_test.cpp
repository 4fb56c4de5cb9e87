// The typed client over the generated models (netbox::v4_5, netbox::v4_3) against the simulator:
// CRUD, bulk writes, pagination modes, detail endpoints, validation before dispatch.
#include "support/facade_support.hpp"

#include <netbox/typed/api.hpp>
#include <netbox/v4_3/api.hpp>
#include <netbox/v4_5/api.hpp>
#include <netbox/typed/versions.hpp>

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

namespace {

using netbox::errc;
namespace v45 = netbox::v4_5;

class typed_client : public netbox::facade_test::facade_test {
protected:
    void SetUp() override { start(netbox::facade_test::small_simulator("4.5", 60)); }

    netbox::typed_api<v45::version> typed(netbox::typed_options o = netbox::typed_options()) {
        return netbox::typed_api<v45::version>(nb->http(), std::move(o));
    }
    std::size_t writes() const {
        std::size_t n = 0;
        for (const auto& r : server->requests()) n += r.method != "GET";
        return n;
    }
    boost::json::value last_body() const { return boost::json::parse(server->requests().back().body); }
};

TEST_F(typed_client, ListsDevicesOfASite) {
    auto nb45 = typed();
    v45::dcim::devices_params q{.site = {"ber-dc1"}, .status = {"active"}, .limit = 5};
    auto page = run(nb45.dcim.devices.list(q));
    EXPECT_GT(page.count, 0);
    ASSERT_FALSE(page.results.empty());
    for (const auto& d : page.results) {
        EXPECT_EQ(d.site.slug, "ber-dc1");
        ASSERT_TRUE(d.status);
        EXPECT_EQ(*d.status, v45::dcim::device_status::active);
    }
    EXPECT_EQ(run(nb45.dcim.devices.count(q)), page.count);
}

TEST_F(typed_client, CreatesPatchesAndDeletesASite) {
    auto nb45 = typed();
    v45::dcim::writable_site_request req{.name = "Typed DC", .slug = "typed-dc", .status = v45::dcim::site_status::planned};
    auto site = run(nb45.dcim.sites.create(req));
    EXPECT_EQ(site.name, "Typed DC");
    ASSERT_TRUE(site.status);
    EXPECT_EQ(*site.status, v45::dcim::site_status::planned);

    v45::dcim::patched_writable_site_request patch;
    patch.description = "from the typed client";
    patch.tenant = netbox::null;
    auto patched = run(nb45.dcim.sites.partial_update(site.id, patch));
    EXPECT_EQ(patched.description, "from the typed client");
    EXPECT_EQ(last_body(), boost::json::parse(R"({"description": "from the typed client", "tenant": null})"));

    run(nb45.dcim.sites.destroy(site.id));
    EXPECT_FALSE(run(nb45.dcim.sites.get(site.id)));
}

TEST_F(typed_client, BulkWritesCarryIds) {
    auto nb45 = typed();
    std::vector<v45::dcim::writable_site_request> reqs{{.name = "Bulk A", .slug = "bulk-a"}, {.name = "Bulk B", .slug = "bulk-b"}};
    auto made = run(nb45.dcim.sites.create(reqs));
    ASSERT_EQ(made.size(), 2u);
    std::vector<v45::dcim::site_bulk_patch> items(2);
    items[0].id = made[0].id;
    items[0].description = "first";
    items[1].id = made[1].id;
    items[1].description = "second";
    auto patched = run(nb45.dcim.sites.bulk_partial_update(items));
    ASSERT_EQ(patched.size(), 2u);
    EXPECT_EQ(patched[1].description, "second");
    EXPECT_EQ(last_body(), boost::json::parse(R"([{"id": )" + std::to_string(made[0].id) + R"(, "description": "first"},
        {"id": )" + std::to_string(made[1].id) + R"(, "description": "second"}])"));
    run(nb45.dcim.sites.bulk_destroy({made[0].id, made[1].id}));
    EXPECT_FALSE(run(nb45.dcim.sites.get(made[0].id)));
}

TEST_F(typed_client, InvalidRequestsNeverReachTheServer) {
    auto nb45 = typed();
    const std::size_t before = writes();
    v45::dcim::writable_device_with_config_context_request dev;  // device_type, role and site unset
    dev.name = std::string(70, 'x');                               // max 64
    auto r = run(nb45.dcim.devices.try_create(dev));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::validation_failed);
    std::set<std::string> fields;
    for (const auto& f : r.error().field_errors) fields.insert(f.field);
    EXPECT_EQ(fields, (std::set<std::string>{"/name", "/device_type", "/role", "/site"}));

    v45::dcim::patched_writable_device_with_config_context_request bad;
    bad.status = netbox::choice_of<v45::dcim::device_status>::from_raw("bogus");
    auto p = run(nb45.dcim.devices.try_partial_update(1, bad));
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().field_errors.at(0).field, "/status");
    EXPECT_EQ(writes(), before);
}

TEST_F(typed_client, StreamsInEveryPaginationMode) {
    auto nb45 = typed();
    const auto count = run(nb45.dcim.devices.count());
    for (auto mode : {netbox::pagination::offset, netbox::pagination::keyset, netbox::pagination::sharded_keyset}) {
        netbox::list_options o;
        o.mode = mode;
        o.limit = 7;
        o.concurrency = mode == netbox::pagination::offset ? 3 : 2;
        auto stream = nb45.dcim.devices.stream(v45::dcim::devices_params(), o);
        auto all = run(stream.collect());
        EXPECT_EQ(static_cast<std::int64_t>(all.size()), count) << static_cast<int>(mode);
        std::set<std::int64_t> ids;
        for (const auto& d : all) ids.insert(d.id);
        EXPECT_EQ(ids.size(), all.size());
    }
}

TEST_F(typed_client, AllocatesAvailableIps) {
    auto nb45 = typed();
    v45::ipam::prefixes_params q{.limit = 1};
    q.extra.emplace_back("mask_length__lte", "29");
    auto prefixes = run(nb45.ipam.prefixes.list(q));
    ASSERT_FALSE(prefixes.results.empty());
    const auto prefix = prefixes.results[0].id;
    auto free = run(nb45.ipam.prefixes.available_ips.list(prefix));
    ASSERT_FALSE(free.empty());
    auto one = run(nb45.ipam.prefixes.available_ips.create(prefix, v45::ipam::available_ip_request_request()));
    EXPECT_EQ(one.address, free[0].address);
    std::vector<v45::ipam::available_ip_request_request> two(2);
    auto more = run(nb45.ipam.prefixes.available_ips.create(prefix, two));
    EXPECT_EQ(more.size(), 2u);
}

TEST_F(typed_client, DrawsARackElevation) {
    auto nb45 = typed();
    auto racks = run(nb45.dcim.racks.list({.limit = 1}));
    ASSERT_FALSE(racks.results.empty());
    auto units = run(nb45.dcim.racks.elevation.list(racks.results[0].id));
    EXPECT_GT(units.count, 0);
    auto svg = run(nb45.dcim.racks.elevation.svg(racks.results[0].id));
    EXPECT_NE(svg.find("<svg"), std::string::npos);
}

TEST_F(typed_client, RunsAnActionWithoutABody) {
    auto nb45 = typed();
    v45::core::writable_data_source_request req{.name = "configs", .type = "local", .source_url = "file:///srv/configs"};
    auto source = run(nb45.core.data_sources.create(req));
    auto synced = run(nb45.core.data_sources.sync.create(source.id, netbox::json_value()));
    EXPECT_EQ(synced.id, source.id);
    const auto last = server->requests().back();
    EXPECT_EQ(last.path, "/api/core/data-sources/" + std::to_string(source.id) + "/sync/");
    EXPECT_EQ(last.body, "{}");  // an empty free-form body goes out as {}, not null
}

TEST_F(typed_client, TextIdsAreEncodedOnceAndStayInTheirSegment) {
    auto nb45 = typed();
    // Background tasks have text ids (RQ job ids). Neither exists: both answers are 404.
    EXPECT_FALSE(run(nb45.core.background_tasks.get("job 1")));
    EXPECT_EQ(server->requests().back().path, "/api/core/background-tasks/job%201/");
    EXPECT_FALSE(run(nb45.core.background_tasks.get("../../dcim/devices/1")));
    const std::string escaped = server->requests().back().path;
    EXPECT_TRUE(escaped.starts_with("/api/core/background-tasks/")) << escaped;
    EXPECT_EQ(escaped.find("/dcim/"), std::string::npos) << escaped;
}

TEST_F(typed_client, AnOlderReleaseLineHasItsOwnTypes) {
    start(netbox::facade_test::small_simulator("4.3", 10));
    netbox::typed_api<netbox::v4_3::version> nb43(nb->http());
    netbox::v4_3::dcim::writable_site_request req{.name = "Old", .slug = "old"};
    auto site = run(nb43.dcim.sites.create(req));
    EXPECT_EQ(site.slug, "old");
    // The 4.5 client refuses a 4.3 server.
    auto nb45 = typed();
    auto r = run(nb45.dcim.sites.try_list());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::version_mismatch);
}

}  // namespace

namespace {

TEST(typed_versions, VisitsTheReleaseLineOfAVersionString) {
    std::string seen;
    auto r = netbox::visit_release_line("4.5.10", [&](auto version) {
        seen = std::string(decltype(version)::release_line);
        return std::is_same_v<decltype(version), netbox::v4_5::version>;
    });
    ASSERT_TRUE(r);
    EXPECT_TRUE(*r);
    EXPECT_EQ(seen, "4.5");
    EXPECT_EQ(netbox::typed_release_line("4.3").value(), "4.3");
    auto old = netbox::visit_release_line("4.2", [](auto) {});
    ASSERT_FALSE(old);
    EXPECT_EQ(old.error().code, netbox::errc::unsupported);
    EXPECT_NE(old.error().message.find("4.3, 4.4, 4.5, 4.6"), std::string::npos) << old.error().message;
    EXPECT_FALSE(netbox::typed_release_line("5.0"));
}

}  // namespace
