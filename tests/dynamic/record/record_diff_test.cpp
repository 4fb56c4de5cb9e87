// serialize() and updates() of records, without a server: what save() would send for the edits
// NetBox clients get wrong (custom fields, multi-selections, tags, nested objects, JSON fields).
#include "dynamic/state.hpp"

#include <netbox/dynamic.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

namespace netbox {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

/// An api state whose client never connects (nothing here sends), with or without an API model.
class offline {
public:
    explicit offline(std::string version)
    {
        client_options c;
        c.base_url = "http://127.0.0.1:9";
        api_options a;
        a.version = std::move(version);
        auto state = std::make_shared<detail::facade_state>(client(io.get_executor(), std::move(c)), std::move(a));
        scope = std::make_shared<const detail::api_scope>(detail::api_scope{std::move(state), "", nullptr});
    }

    std::shared_ptr<const detail::endpoint_ref> where(std::string app, std::string name) const
    {
        return detail::make_endpoint_ref(scope, std::move(app), std::move(name));
    }

    asio::io_context io;
    std::shared_ptr<const detail::api_scope> scope;
};

const char* const device_json = R"({
  "id": 7, "url": "https://nb.example/api/dcim/devices/7/", "display": "sw07", "name": "sw07",
  "site": {"id": 3, "url": "https://nb.example/api/dcim/sites/3/", "display": "ber-dc1", "name": "ber-dc1",
           "slug": "ber-dc1"},
  "status": {"value": "active", "label": "Active"},
  "position": 12.0,
  "tags": [{"id": 1, "url": "https://nb.example/api/extras/tags/1/", "name": "production", "slug": "production"},
           {"id": 3, "url": "https://nb.example/api/extras/tags/3/", "name": "monitored", "slug": "monitored"}],
  "config_context": {"ntp": ["10.0.0.1"]},
  "local_context_data": {"snmp": {"community": "public"}, "id": 5},
  "custom_fields": {
    "asset_owner": "team-1",
    "roles": ["edge", "core"],
    "contacts": [{"id": 4, "url": "https://nb.example/api/tenancy/contacts/4/", "display": "Ann"},
                 {"id": 9, "url": "https://nb.example/api/tenancy/contacts/9/", "display": "Bob"}],
    "owner_tenant": {"id": 2, "url": "https://nb.example/api/tenancy/tenants/2/", "display": "acme"},
    "rack_slot": 12
  }
})";

json::object device_object() { return json::parse(device_json).as_object(); }

/// Runs for both: with the API model (field kinds) and without one (names and shapes).
class record_diff : public ::testing::TestWithParam<std::string> {
protected:
    record device() { return record(env.where("dcim", "devices"), device_object()); }
    offline env{GetParam()};
};

INSTANTIATE_TEST_SUITE_P(model, record_diff, ::testing::Values("4.5", ""),
                         [](const auto& info) { return info.param.empty() ? "heuristics" : "api_model"; });

TEST_P(record_diff, the_model_is_known_or_not_as_asked)
{
    EXPECT_EQ(env.scope->state->model() != nullptr, !GetParam().empty());
}

TEST_P(record_diff, an_unchanged_record_has_no_updates)
{
    const record r = device();
    EXPECT_TRUE(r.updates().empty());
    EXPECT_FALSE(r.has_updates());
}

TEST_P(record_diff, serialize_collapses_nested_objects_choices_and_custom_fields)
{
    const json::object s = device().serialize();
    EXPECT_EQ(s.at("site"), json::value(3));
    EXPECT_EQ(s.at("status"), json::value("active"));
    EXPECT_EQ(s.at("tags"), json::parse("[1, 3]"));
    EXPECT_EQ(s.at("position"), json::value(12.0));
    EXPECT_EQ(s.at("config_context"), json::parse(R"({"ntp": ["10.0.0.1"]})"));
    // A JSON field keeps even an `id` inside it.
    EXPECT_EQ(s.at("local_context_data"), json::parse(R"({"snmp": {"community": "public"}, "id": 5})"));
    const json::object& cf = s.at("custom_fields").as_object();
    EXPECT_EQ(cf.at("asset_owner"), json::value("team-1"));
    EXPECT_EQ(cf.at("roles"), json::parse(R"(["edge", "core"])"));
    EXPECT_EQ(cf.at("contacts"), json::parse("[4, 9]"));
    EXPECT_EQ(cf.at("owner_tenant"), json::value(2));
    EXPECT_EQ(cf.at("rack_slot"), json::value(12));
}

TEST_P(record_diff, a_custom_field_change_sends_only_that_key)
{
    record r = device();
    r.edit("custom_fields").as_object()["asset_owner"] = "team-2";
    EXPECT_EQ(json::value(r.updates()), json::parse(R"({"custom_fields": {"asset_owner": "team-2"}})"));
}

TEST_P(record_diff, custom_fields_set_whole_with_the_same_values_are_no_change)
{
    record r = device();
    r.set("custom_fields", json::parse(R"({"asset_owner": "team-1", "roles": ["edge", "core"], "contacts": [9, 4],
                                           "owner_tenant": 2, "rack_slot": 12})"));
    EXPECT_TRUE(r.updates().empty()) << json::serialize(r.updates());
}

TEST_P(record_diff, a_multi_select_custom_field_change_is_sent_and_its_order_counts)
{
    record r = device();
    json::array& roles = r.edit("custom_fields").as_object()["roles"].as_array();
    roles.emplace_back("spine");
    EXPECT_EQ(json::value(r.updates()),
              json::parse(R"({"custom_fields": {"roles": ["edge", "core", "spine"]}})"));

    record reordered = device();
    reordered.edit("custom_fields").as_object()["roles"] = json::parse(R"(["core", "edge"])");
    EXPECT_EQ(json::value(reordered.updates()), json::parse(R"({"custom_fields": {"roles": ["core", "edge"]}})"));
}

TEST_P(record_diff, a_multi_object_custom_field_reordered_is_no_change)
{
    record r = device();
    json::array& contacts = r.edit("custom_fields").as_object()["contacts"].as_array();
    std::swap(contacts[0], contacts[1]);
    EXPECT_TRUE(r.updates().empty()) << json::serialize(r.updates());

    r.edit("custom_fields").as_object()["contacts"] = json::parse("[9, 4]");
    EXPECT_TRUE(r.updates().empty()) << json::serialize(r.updates());

    r.edit("custom_fields").as_object()["contacts"] = json::parse("[4]");
    EXPECT_EQ(json::value(r.updates()), json::parse(R"({"custom_fields": {"contacts": [4]}})"));
}

TEST_P(record_diff, an_object_custom_field_replaced_by_its_id_is_no_change)
{
    record r = device();
    r.edit("custom_fields").as_object()["owner_tenant"] = 2;
    EXPECT_TRUE(r.updates().empty());
    r.edit("custom_fields").as_object()["owner_tenant"] = 5;
    EXPECT_EQ(json::value(r.updates()), json::parse(R"({"custom_fields": {"owner_tenant": 5}})"));
}

TEST_P(record_diff, tags_are_a_set)
{
    record r = device();
    r.set("tags", json::parse("[3, 1]"));
    EXPECT_TRUE(r.updates().empty()) << json::serialize(r.updates());

    json::array& tags = r.edit("tags").as_array();
    tags.emplace_back(2);
    EXPECT_EQ(json::value(r.updates()), json::parse(R"({"tags": [3, 1, 2]})"));

    record fewer = device();
    fewer.edit("tags").as_array().pop_back();
    EXPECT_EQ(json::value(fewer.updates()), json::parse(R"({"tags": [1]})"));
}

TEST_P(record_diff, a_nested_object_replaced_by_its_own_id_is_no_change)
{
    record r = device();
    r.set("site", 3);
    EXPECT_TRUE(r.updates().empty());
    r.set("site", 4);
    EXPECT_EQ(json::value(r.updates()), json::parse(R"({"site": 4})"));
    r.set("site", nullptr);
    EXPECT_EQ(json::value(r.updates()), json::parse(R"({"site": null})"));
}

TEST_P(record_diff, a_json_field_edited_in_place_is_a_change_sent_raw)
{
    record r = device();
    r.edit("local_context_data").as_object()["snmp"].as_object()["community"] = "private";
    EXPECT_EQ(json::value(r.updates()),
              json::parse(R"({"local_context_data": {"snmp": {"community": "private"}, "id": 5}})"));
    // The fetched object is untouched: a copy made before the edit still reads the old value.
    EXPECT_EQ(device()["local_context_data"].at("snmp").at("community"), json::value("public"));
}

TEST_P(record_diff, a_json_field_set_to_an_equal_value_is_no_change)
{
    record r = device();
    r.set("config_context", json::parse(R"({"ntp": ["10.0.0.1"]})"));
    EXPECT_TRUE(r.updates().empty());
}

TEST_P(record_diff, a_choice_is_set_by_its_value)
{
    record r = device();
    r.set("status", "active");
    EXPECT_TRUE(r.updates().empty());
    r.set("status", "planned");
    EXPECT_EQ(json::value(r.updates()), json::parse(R"({"status": "planned"})"));
    EXPECT_EQ(r.get_choice("status"), "planned");
}

TEST_P(record_diff, numbers_compare_by_value)
{
    record r = device();
    r.set("position", 12);
    EXPECT_TRUE(r.updates().empty());
    r.set("position", 14);
    EXPECT_EQ(json::value(r.updates()), json::parse(R"({"position": 14})"));
}

TEST_P(record_diff, a_new_field_is_sent)
{
    record r = device();
    r.set("serial", "SN1");
    EXPECT_EQ(json::value(r.updates()), json::parse(R"({"serial": "SN1"})"));
}

TEST_P(record_diff, edits_of_a_copy_are_its_own_and_revert_drops_them)
{
    const record original = device();
    record copy = original;
    copy.edit("custom_fields").as_object()["asset_owner"] = "ops";
    copy.set("status", "offline");
    EXPECT_EQ(original["custom_fields"].at("asset_owner"), json::value("team-1"));
    EXPECT_EQ(original.get_choice("status"), "active");
    EXPECT_TRUE(original.updates().empty());
    EXPECT_EQ(copy.updates().size(), 2u);
    copy.revert();
    EXPECT_TRUE(copy.updates().empty());
    EXPECT_EQ(copy.get_choice("status"), "active");
}

TEST_P(record_diff, nested_records_share_the_parsed_object_and_know_their_endpoint)
{
    const record r = device();
    const std::optional<record> site = r.get_record("site");
    ASSERT_TRUE(site.has_value());
    EXPECT_EQ(site->endpoint_path(), "dcim/sites");
    EXPECT_EQ(site->id(), 3);
    EXPECT_EQ(&(*site)["name"], &r["site"].as_object().at("name"));  // no copy

    const std::vector<record> tags = r.get_records("tags");
    ASSERT_EQ(tags.size(), 2u);
    EXPECT_EQ(tags[0].endpoint_path(), "extras/tags");
    EXPECT_EQ(tags[1].display(), "monitored");
    EXPECT_EQ(&tags[1]["slug"], &r["tags"].as_array()[1].as_object().at("slug"));

    EXPECT_FALSE(r.get_record("rack").has_value());
    EXPECT_FALSE(r.get_record("name").has_value());
}

TEST_P(record_diff, a_nested_record_of_an_edit_is_a_copy_of_it)
{
    record r = device();
    r.set("site", json::parse(R"({"id": 4, "url": "https://nb.example/api/dcim/sites/4/", "name": "ams"})"));
    const std::optional<record> site = r.get_record("site");
    ASSERT_TRUE(site.has_value());
    EXPECT_EQ(site->id(), 4);
    EXPECT_EQ(site->endpoint_path(), "dcim/sites");
}

TEST_P(record_diff, a_nested_object_without_a_model_target_goes_by_its_url)
{
    json::object o = device_object();
    o["assigned_object"] = json::parse(R"({"id": 8, "url": "http://x/netbox/api/plugins/gpon/olts/8/"})");
    const record r(env.where("dcim", "devices"), std::move(o));
    const std::optional<record> olt = r.get_record("assigned_object");
    ASSERT_TRUE(olt.has_value());
    EXPECT_EQ(olt->endpoint_path(), "plugins/gpon/olts");
}

TEST(record_diff_model, a_foreign_key_set_as_an_id_reads_as_a_record_of_its_target)
{
    offline env("4.5");
    record r(env.where("dcim", "devices"), device_object());
    r.set("site", 4);
    const std::optional<record> site = r.get_record("site");
    ASSERT_TRUE(site.has_value());
    EXPECT_EQ(site->id(), 4);
    EXPECT_EQ(site->endpoint_path(), "dcim/sites");
}

TEST(record_diff_model, lists_of_foreign_keys_are_sets_of_ids)
{
    offline env("4.5");
    const record iface(env.where("dcim", "interfaces"),
                       json::parse(R"({"id": 1, "tagged_vlans": [{"id": 10, "vid": 10}, {"id": 20, "vid": 20}]})")
                           .as_object());
    EXPECT_EQ(iface.serialize().at("tagged_vlans"), json::parse("[10, 20]"));
    record reordered = iface;
    reordered.set("tagged_vlans", json::parse("[20, 10]"));
    EXPECT_TRUE(reordered.updates().empty());
    reordered.set("tagged_vlans", json::parse("[20, 10, 30]"));
    EXPECT_EQ(json::value(reordered.updates()), json::parse(R"({"tagged_vlans": [20, 10, 30]})"));
    const std::vector<record> vlans = iface.get_records("tagged_vlans");
    ASSERT_EQ(vlans.size(), 2u);
    EXPECT_EQ(vlans[0].endpoint_path(), "ipam/vlans");
}

TEST(record_diff_model, save_without_updates_sends_nothing)
{
    offline env("4.5");
    record r(env.where("dcim", "devices"), device_object());
    r.set("site", 3);
    // The client points at a closed port: any request would fail.
    const result<bool> saved = [&] {
        auto f = asio::co_spawn(env.io, r.try_save(), asio::use_future);
        env.io.run();
        return f.get();
    }();
    ASSERT_TRUE(saved.has_value()) << saved.error().what();
    EXPECT_FALSE(*saved);
}

TEST(record_diff_model, save_and_delete_need_an_id_and_an_endpoint)
{
    offline env("4.5");
    record no_id(env.where("dcim", "sites"), json::parse(R"({"name": "x"})").as_object());
    no_id.set("name", "y");
    record nowhere;
    nowhere.set("name", "y");
    const auto run = [&](auto op) {
        auto f = asio::co_spawn(env.io, std::move(op), asio::use_future);
        env.io.restart();
        env.io.run();
        return f.get();
    };
    const result<bool> a = run(no_id.try_save());
    ASSERT_TRUE(a.has_error());
    EXPECT_EQ(a.error().code, make_error_code(errc::invalid_argument));
    const result<bool> b = run(nowhere.try_save());
    ASSERT_TRUE(b.has_error());
    EXPECT_EQ(b.error().code, make_error_code(errc::invalid_argument));
    const result<void> c = run(no_id.try_delete());
    ASSERT_TRUE(c.has_error());
    EXPECT_EQ(c.error().code, make_error_code(errc::invalid_argument));
}

TEST(record_diff_model, a_detail_endpoint_the_model_lacks_is_unsupported)
{
    offline env("4.5");
    const record device(env.where("dcim", "devices"), device_object());
    const detail_endpoint ips = device.available_ips();
    auto f = asio::co_spawn(env.io, ips.try_list(), asio::use_future);
    env.io.run();
    const auto listed = f.get();
    ASSERT_TRUE(listed.has_error());
    EXPECT_EQ(listed.error().code, make_error_code(errc::unsupported)) << listed.error().what();
    EXPECT_EQ(ips.path(), "/api/dcim/devices/7/available-ips/");
}

}  // namespace
}  // namespace netbox
