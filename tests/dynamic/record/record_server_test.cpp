// Records against the simulator: save sends exactly the diff, delete, full_details() with its
// cache and URL rebasing.
#include "support/facade_support.hpp"

#include "dynamic/state.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>

namespace netbox::facade_test {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

using record_ops = facade_test;

std::size_t count_of(const std::vector<testing::recorded_request>& log, std::string_view method, std::string_view path)
{
    return static_cast<std::size_t>(
        std::ranges::count_if(log, [&](const auto& r) { return r.method == method && r.path == path; }));
}

/// One page of devices, as records sharing the parsed page (what a list call gives).
asio::awaitable<std::vector<record>> device_page(std::shared_ptr<const detail::endpoint_ref> devices,
                                                 query_params query)
{
    std::string path = devices->list_path();
    result<response> r = co_await detail::send(*devices->scope, http_method::get, path, std::move(query));
    result<json::value> page = detail::json_of(r.value());
    auto document = std::make_shared<const json::value>(std::move(page.value()));
    co_return detail::records_of(devices, document, document->at("results").as_array());
}

TEST_F(record_ops, save_patches_exactly_the_diff_and_takes_the_answer)
{
    std::optional<record> device = run(nb->dcim.devices.get(2));
    ASSERT_TRUE(device.has_value());
    const std::string old_status(device->get_choice("status").value());
    const std::string new_status = old_status == "planned" ? "offline" : "planned";
    device->edit("custom_fields").as_object()["asset_owner"] = "ops";
    device->set("status", json::string(new_status));
    json::array tags = device->serialize().at("tags").as_array();
    std::ranges::reverse(tags);
    device->set("tags", tags);                        // same set: not sent
    device->set("site", device->serialize().at("site"));  // its own id: not sent
    server->clear_requests();

    EXPECT_TRUE(run(device->save()));
    const auto log = requests();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].method, "PATCH");
    EXPECT_EQ(log[0].path, "/api/dcim/devices/2/");
    EXPECT_EQ(log[0].status, 200);
    json::object expected{{"custom_fields", json::object{{"asset_owner", "ops"}}}, {"status", json::string(new_status)}};
    EXPECT_EQ(json::parse(log[0].body), json::value(expected)) << log[0].body;

    // The answer is the new state: nothing left to save.
    EXPECT_FALSE(device->has_updates());
    EXPECT_EQ(device->get_choice("status"), new_status);
    EXPECT_FALSE(run(device->save()));
    EXPECT_EQ(requests().size(), 1u);

    std::optional<record> again = run(nb->dcim.devices.get(2));
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->get_choice("status"), new_status);
    EXPECT_EQ((*again)["custom_fields"].at("asset_owner"), json::value("ops"));
}

TEST_F(record_ops, save_of_an_unchanged_record_makes_no_request)
{
    std::optional<record> device = run(nb->dcim.devices.get(3));
    ASSERT_TRUE(device.has_value());
    device->set("name", json::string(device->get_string("name").value()));
    server->clear_requests();
    EXPECT_FALSE(run(device->save()));
    EXPECT_TRUE(requests().empty());
}

TEST_F(record_ops, save_keeps_the_branch_header)
{
    const api branch = nb->branch("br42");
    std::optional<record> site = run(branch.dcim.sites.get(1));
    ASSERT_TRUE(site.has_value());
    site->set("description", "in a branch");
    server->clear_requests();
    EXPECT_TRUE(run(site->save()));
    const auto log = requests();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].method, "PATCH");
    EXPECT_EQ(log[0].header("X-NetBox-Branch"), "br42");
}

TEST_F(record_ops, a_refused_save_keeps_the_edits)
{
    std::optional<record> device = run(nb->dcim.devices.get(4));
    ASSERT_TRUE(device.has_value());
    device->set("status", "no-such-status");
    const result<bool> saved = run(device->try_save());
    EXPECT_NETBOX_ERROR(saved, errc::http_status);
    if (saved.has_error()) {
        EXPECT_EQ(saved.error().status, 400);
    }
    EXPECT_EQ(device->get_choice("status"), "no-such-status");
    EXPECT_TRUE(device->has_updates());
}

TEST_F(record_ops, delete_removes_the_object)
{
    std::optional<record> device = run(nb->dcim.devices.get(60));
    ASSERT_TRUE(device.has_value());
    server->clear_requests();
    run(device->delete_());
    const auto log = requests();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].method, "DELETE");
    EXPECT_EQ(log[0].path, "/api/dcim/devices/60/");
    EXPECT_EQ(log[0].status, 204);
    EXPECT_FALSE(run(nb->dcim.devices.get(60)).has_value());

    const result<void> again = run(device->try_delete());
    EXPECT_NETBOX_ERROR(again, errc::http_status);
}

TEST_F(record_ops, full_details_fetches_a_shared_foreign_key_once)
{
    query_params query{{"site_id", "1"}, {"limit", "10"}};
    const std::vector<record> devices = run(device_page(nb->dcim.devices.where(), query));
    ASSERT_EQ(devices.size(), 10u);
    server->clear_requests();
    for (const record& d : devices) {
        std::optional<record> site = d.get_record("site");
        ASSERT_TRUE(site.has_value());
        EXPECT_FALSE(site->contains("status"));  // nested: brief
        const record full = run(site->full_details());
        EXPECT_EQ(full.id(), 1);
        EXPECT_EQ(full.endpoint_path(), "dcim/sites");
        EXPECT_TRUE(full.contains("status"));
    }
    auto log = requests();
    EXPECT_EQ(log.size(), 1u);
    EXPECT_EQ(count_of(log, "GET", "/api/dcim/sites/1/"), 1u);

    // refresh asks again; the api's cache can be dropped.
    std::optional<record> site = devices[0].get_record("site");
    run(site->full_details(true));
    nb->clear_details_cache();
    run(site->full_details());
    EXPECT_EQ(count_of(requests(), "GET", "/api/dcim/sites/1/"), 3u);
}

TEST_F(record_ops, full_details_keeps_the_edits)
{
    std::optional<record> device = run(nb->dcim.devices.get(1));
    ASSERT_TRUE(device.has_value());
    std::optional<record> site = device->get_record("site");
    ASSERT_TRUE(site.has_value());
    site->set("description", "edited");
    const record full = run(site->full_details());
    EXPECT_EQ(full.get_string("description"), "edited");
    EXPECT_EQ(json::value(full.updates()), json::parse(R"({"description": "edited"})"));
    EXPECT_TRUE(full.contains("time_zone"));
}

TEST_F(record_ops, full_details_rebases_a_url_with_the_wrong_host)
{
    testing::simulator_options sim = small_simulator();
    sim.public_url = "http://wrong-host:9/netbox";
    start(sim);
    std::optional<record> device = run(nb->dcim.devices.get(1));
    ASSERT_TRUE(device.has_value());
    std::optional<record> site = device->get_record("site");
    ASSERT_TRUE(site.has_value());
    EXPECT_EQ(site->url().substr(0, 24), "http://wrong-host:9/netb");
    server->clear_requests();
    const result<record> full = run(site->try_full_details());
    ASSERT_TRUE(full.has_value()) << full.error().what();
    EXPECT_TRUE(full->contains("status"));
    const auto log = requests();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].path, "/api/dcim/sites/" + std::to_string(site->id()) + "/");
}

TEST_F(record_ops, nested_records_can_be_saved_at_their_own_endpoint)
{
    std::optional<record> device = run(nb->dcim.devices.get(1));
    ASSERT_TRUE(device.has_value());
    std::optional<record> site = device->get_record("site");
    ASSERT_TRUE(site.has_value());
    site->set("description", "from a nested record");
    server->clear_requests();
    EXPECT_TRUE(run(site->save()));
    const auto log = requests();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].path, "/api/dcim/sites/" + std::to_string(site->id()) + "/");
    EXPECT_EQ(site->get_string("description"), "from a nested record");
    EXPECT_TRUE(site->contains("time_zone"));  // the answer is the full object
}

}  // namespace
}  // namespace netbox::facade_test
