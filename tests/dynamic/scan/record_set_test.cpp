// Writes through a record set: collected first, then bulk PATCH / DELETE of its members.
#include "scan_support.hpp"

namespace netbox::facade_test {
namespace {

using record_sets = scan_test;

TEST_F(record_sets, update_patches_only_the_records_that_change)
{
    start_with(60);
    const std::size_t active = plain_ids("status=active").size();
    const std::size_t planned = plain_ids("status=planned").size();
    ASSERT_GT(active, 0u);
    ASSERT_GT(planned, 0u);
    record_set set = nb->dcim.devices.filter({{"status", {"active", "planned"}}});
    json::object fields;
    fields["status"] = "planned";
    auto r = run(set.try_update(fields));
    ASSERT_TRUE(r.has_value()) << r.error().what();
    EXPECT_TRUE(r->ok());
    EXPECT_EQ(r->records.size(), active);

    std::size_t patched = 0;
    for (const auto& req : requests())
        if (req.method == "PATCH") {
            const json::value body = json::parse(req.body);
            for (const json::value& item : body.as_array()) {
                ++patched;
                EXPECT_EQ(item.at("status"), "planned") << req.body;
            }
        }
    EXPECT_EQ(patched, active);
    EXPECT_EQ(plain_ids("status=active").size(), 0u);
    EXPECT_EQ(plain_ids("status=planned").size(), active + planned);
}

TEST_F(record_sets, update_of_records_that_already_match_sends_nothing)
{
    start_with(60);
    json::object fields;
    fields["status"] = "active";
    auto r = run(nb->dcim.devices.filter({{"status", "active"}}).try_update(fields));
    ASSERT_TRUE(r.has_value()) << r.error().what();
    EXPECT_TRUE(r->records.empty());
    for (const auto& req : requests())
        EXPECT_EQ(req.method, "GET");
}

TEST_F(record_sets, delete_removes_every_member_of_a_multi_page_set)
{
    start_with(60);
    const ids offline = plain_ids("status=offline");
    ASSERT_GT(offline.size(), 0u);
    list_options o;
    o.mode = pagination::offset;
    o.limit = 2;  // several pages: offsets would shift if deletion started before the collection ended
    bulk_result r = run(nb->dcim.devices.filter({{"status", "offline"}}, o).delete_());
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(plain_ids("status=offline").empty());
    EXPECT_EQ(plain_ids().size(), 60u - offline.size());
}

TEST_F(record_sets, delete_of_an_empty_set_sends_nothing)
{
    start_with(20);
    auto r = run(nb->dcim.devices.filter({{"name", "no such device"}}).try_delete());
    ASSERT_TRUE(r.has_value()) << r.error().what();
    EXPECT_TRUE(r->batches.empty());
    for (const auto& req : requests())
        EXPECT_EQ(req.method, "GET");
}

TEST_F(record_sets, a_failed_collection_fails_the_write_without_writing)
{
    start_with(20);
    list_options o;
    o.strict_filters = true;
    auto r = run(nb->dcim.devices.filter({{"no_such_filter", 1}}, o).try_delete());
    EXPECT_NETBOX_ERROR(r, errc::invalid_filter);
    EXPECT_TRUE(requests().empty());
}

}  // namespace
}  // namespace netbox::facade_test
