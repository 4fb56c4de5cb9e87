// The blocking twin runs the asynchronous facade on the caller's thread: same requests, same
// results, errors thrown as api_error.
#include "support/facade_support.hpp"

#include <netbox/dynamic/blocking.hpp>

#include <gtest/gtest.h>

#include <set>

namespace netbox::facade_test {
namespace {

class blocking : public ::testing::Test {
protected:
    testing::simulator server{small_simulator("4.5", 60)};
    blocking_api nb{server.url(), server.token()};
};

TEST_F(blocking, iterating_a_record_set_streams_every_page) {
    list_options pages_of_7;
    pages_of_7.limit = 7;
    std::set<std::int64_t> seen;
    std::size_t n = 0;
    for (const record& site : nb.dcim.devices.all(pages_of_7)) {
        seen.insert(site.id());
        ++n;
    }
    EXPECT_EQ(n, nb.dcim.devices.count());
    EXPECT_EQ(seen.size(), n);
    EXPECT_EQ(nb.dcim.devices.all(pages_of_7).collect().size(), n);
    std::size_t list_requests = 0;
    for (const auto& r : server.requests())
        list_requests += r.path == "/api/dcim/devices/" && r.query.find("offset=") != std::string::npos;
    EXPECT_GE(list_requests, n / 7);  // the iteration went page by page
}

TEST_F(blocking, records_save_through_the_api_and_missing_objects_are_empty) {
    std::optional<record> site = nb.dcim.sites.get(1);
    ASSERT_TRUE(site);
    site->set("description", "from a script");
    EXPECT_TRUE(nb.save(*site));
    EXPECT_FALSE(nb.save(*site));  // nothing changed since
    EXPECT_EQ(nb.dcim.sites.get(1)->get_string("description"), "from a script");
    EXPECT_FALSE(nb.dcim.sites.get(999999));
}

TEST_F(blocking, failures_throw_api_error_with_netbox_s_field_errors) {
    boost::json::object nameless{{"slug", "x"}};
    try {
        nb.dcim.sites.create(nameless);
        FAIL() << "a site without a name was accepted";
    } catch (const api_error& e) {
        EXPECT_EQ(e.status(), 400);
        ASSERT_FALSE(e.info().field_errors.empty());
        EXPECT_EQ(e.info().field_errors[0].field, "name");
    }
}

TEST_F(blocking, a_branch_api_sends_its_header_and_run_drives_detail_endpoints) {
    blocking_api feature = nb.branch("a1b2c3d4");
    server.clear_requests();
    EXPECT_GT(feature.dcim.racks.count(), 0u);
    std::optional<record> rack = feature.dcim.racks.get(1);
    ASSERT_TRUE(rack);
    const std::string svg = feature.run(rack->elevation().svg());
    EXPECT_NE(svg.find("<svg"), std::string::npos);
    for (const auto& r : server.requests())
        EXPECT_EQ(r.header("X-NetBox-Branch"), "a1b2c3d4") << r.path;
}

}  // namespace
}  // namespace netbox::facade_test
