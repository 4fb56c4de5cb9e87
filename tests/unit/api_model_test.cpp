// The NetBox API model (include/netbox/model/api_model.hpp) over the generated tables of
// src/model/: look-ups, filter parsing, path matching and what the schemas say per release line.
#include <netbox/model/api_model.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <string_view>

namespace {

using namespace netbox::model;

const api& version(std::string_view v)
{
    const api* found = find_api(v);
    if (found == nullptr)
        throw std::runtime_error("release line " + std::string(v) + " is not compiled in");
    return *found;
}

const resource& resource_of(std::string_view v, std::string_view app, std::string_view name)
{
    const resource* found = version(v).find_resource(app, name);
    if (found == nullptr)
        throw std::runtime_error(std::string(app) + "." + std::string(name) + " is not in " + std::string(v));
    return *found;
}

bool has_choice(const field& f, std::string_view value, std::string_view label)
{
    return std::ranges::any_of(f.choices, [&](const choice_value& c) { return c.value == value && c.label == label; });
}

std::size_t count_paths(const api& a, std::string_view resource::*path)
{
    std::size_t count = 0;
    for (const app& ap : a.apps)
        count += std::ranges::count_if(ap.resources, [&](const resource& r) { return !(r.*path).empty(); });
    return count;
}

TEST(api_model, lookup_suffixes)
{
    static_assert(lookup_from_suffix("") == exact);
    static_assert(lookup_from_suffix("ic") == ic);
    static_assert(lookup_from_suffix("iregex") == iregex);
    static_assert(lookup_from_suffix("after") == after);
    static_assert(lookup_from_suffix("bogus") == 0);
}

TEST(api_model, release_lines)
{
    const auto apis = all_apis();
    ASSERT_EQ(apis.size(), 4u);
    EXPECT_EQ(apis[0]->version, "4.3");
    EXPECT_EQ(apis[3]->version, "4.6");
    EXPECT_EQ(version("4.5").schema_version, "4.5.10");
    EXPECT_EQ(version("4.5").schema_sha256, "2e1e2ac57e18bcf24869f8fac8997749c5b988d1ea83f0fcf423f576d19987c6");

    EXPECT_EQ(find_api("4.5.10"), find_api("4.5"));
    EXPECT_EQ(find_api("4.5.10-Docker-4.0.2 (4.5)"), find_api("4.5"));
    EXPECT_EQ(find_api("5.0"), nullptr);
    EXPECT_EQ(find_api("4"), nullptr);
    EXPECT_EQ(find_api(""), nullptr);
}

TEST(api_model, paths_per_release_line)  // the path counts of the shared design/schemas.md, §2
{
    EXPECT_EQ(count_paths(version("4.3"), &resource::list_path), 132u);
    EXPECT_EQ(count_paths(version("4.3"), &resource::detail_path), 129u);
    EXPECT_EQ(count_paths(version("4.4"), &resource::list_path), 134u);
    EXPECT_EQ(count_paths(version("4.5"), &resource::list_path), 135u);
    EXPECT_EQ(count_paths(version("4.5"), &resource::detail_path), 132u);
    EXPECT_EQ(count_paths(version("4.6"), &resource::list_path), 138u);
}

TEST(api_model, device_fields)
{
    const resource& devices = resource_of("4.5", "dcim", "devices");
    EXPECT_EQ(devices.model, "DeviceWithConfigContext");
    EXPECT_EQ(devices.detail_path, "/api/dcim/devices/{id}/");
    EXPECT_EQ(devices.detail_methods, m_get | m_put | m_patch | m_delete);
    EXPECT_FALSE(devices.string_id);

    const field* name = devices.find_field("name");
    ASSERT_NE(name, nullptr);
    EXPECT_EQ(name->kind, field_kind::string);
    EXPECT_TRUE(name->has(nullable));

    const field* site = devices.find_field("site");
    ASSERT_NE(site, nullptr);
    EXPECT_EQ(site->kind, field_kind::foreign_key);
    EXPECT_EQ(site->target, "dcim.sites");
    EXPECT_TRUE(site->has(required));

    const field* status = devices.find_field("status");
    ASSERT_NE(status, nullptr);
    EXPECT_EQ(status->kind, field_kind::choice);
    EXPECT_TRUE(has_choice(*status, "active", "Active"));

    EXPECT_EQ(devices.find_field("custom_fields")->kind, field_kind::custom_fields);
    EXPECT_EQ(devices.find_field("tags")->kind, field_kind::tags);
    EXPECT_TRUE(devices.find_field("id")->has(read_only));
    EXPECT_EQ(devices.find_field("parent_device")->target, "dcim.devices");
    EXPECT_EQ(devices.find_field("bogus"), nullptr);

    for (std::string_view brief : {"id", "url", "display", "name"})
        EXPECT_NE(std::ranges::find(devices.brief_fields, brief), devices.brief_fields.end()) << brief;
}

TEST(api_model, write_only_and_list_fields)
{
    const field* password = resource_of("4.5", "users", "users").find_field("password");
    ASSERT_NE(password, nullptr);
    EXPECT_TRUE(password->has(write_only));

    const field* tagged_vlans = resource_of("4.5", "dcim", "interfaces").find_field("tagged_vlans");
    ASSERT_NE(tagged_vlans, nullptr);
    EXPECT_EQ(tagged_vlans->kind, field_kind::foreign_keys);
    EXPECT_EQ(tagged_vlans->target, "ipam.vlans");
}

TEST(api_model, filters)
{
    const resource& devices = resource_of("4.5", "dcim", "devices");
    const filter* site_id = devices.find_filter("site_id");
    ASSERT_NE(site_id, nullptr);
    EXPECT_EQ(site_id->kind, filter_kind::integer);
    EXPECT_TRUE(site_id->multi);
    EXPECT_EQ(site_id->lookups, exact | n);
    EXPECT_EQ(devices.find_filter("name__ic"), nullptr);  // folded into "name"

    EXPECT_TRUE(devices.accepts_filter("name"));
    EXPECT_TRUE(devices.accepts_filter("name__ic"));
    EXPECT_TRUE(devices.accepts_filter("name__empty"));
    EXPECT_TRUE(devices.accepts_filter("site_id__n"));
    EXPECT_TRUE(devices.accepts_filter("cf_asset_owner"));
    EXPECT_TRUE(devices.accepts_filter("cf_asset_owner__ic"));
    EXPECT_FALSE(devices.accepts_filter("name__bogus"));
    EXPECT_FALSE(devices.accepts_filter("site_id__ic"));
    EXPECT_FALSE(devices.accepts_filter("bogus"));
    EXPECT_FALSE(devices.accepts_filter("cf_"));
    // No custom fields on object changes, so no custom-field filters.
    EXPECT_FALSE(resource_of("4.5", "core", "object-changes").accepts_filter("cf_owner"));
}

TEST(api_model, resource_for_path)
{
    const api& a = version("4.5");
    const resource* devices = a.find_resource("dcim", "devices");
    EXPECT_EQ(a.resource_for_path("/api/dcim/devices/12/"), devices);
    EXPECT_EQ(a.resource_for_path("/api/dcim/devices/"), devices);
    EXPECT_EQ(a.resource_for_path("/api/dcim/devices/?limit=5"), devices);
    EXPECT_EQ(a.resource_for_path("/api/dcim/devices/12/render-config/"), devices);
    EXPECT_EQ(a.resource_for_path("/api/ipam/prefixes/7/available-ips/"), a.find_resource("ipam", "prefixes"));
    EXPECT_EQ(a.resource_for_path("/api/core/background-tasks/0b1c-2d/"), a.find_resource("core", "background-tasks"));
    EXPECT_EQ(a.resource_for_path("/api/dcim/devices/12/bogus/"), nullptr);
    EXPECT_EQ(a.resource_for_path("/api/dcim/bogus/"), nullptr);
    EXPECT_EQ(a.resource_for_path("/api/status/"), nullptr);
    EXPECT_EQ(a.resource_for_path("/dcim/devices/"), nullptr);
}

TEST(api_model, detail_endpoints_and_string_ids)
{
    EXPECT_TRUE(resource_of("4.5", "extras", "scripts").string_id);
    EXPECT_TRUE(resource_of("4.5", "core", "background-queues").string_id);

    const resource& racks = resource_of("4.5", "dcim", "racks");
    ASSERT_EQ(racks.details.size(), 1u);
    EXPECT_EQ(racks.details[0].name, "elevation");
    EXPECT_EQ(racks.details[0].path, "/api/dcim/racks/{id}/elevation/");
    EXPECT_EQ(racks.details[0].methods, m_get);

    const resource& tokens = resource_of("4.5", "users", "tokens");
    ASSERT_EQ(tokens.details.size(), 1u);
    EXPECT_EQ(tokens.details[0].path, "/api/users/tokens/provision/");
}

TEST(api_model, differences_between_release_lines)
{
    // Owners arrive in 4.5, with an `owner` foreign key on most models.
    EXPECT_EQ(version("4.4").find_resource("users", "owners"), nullptr);
    EXPECT_NE(version("4.5").find_resource("users", "owners"), nullptr);
    EXPECT_EQ(resource_of("4.4", "dcim", "devices").find_field("owner"), nullptr);
    EXPECT_EQ(resource_of("4.5", "dcim", "devices").find_field("owner")->target, "users.owners");
    // 4.4 adds config context profiles; 4.6 adds cable bundles and cursor pagination (`start`).
    EXPECT_EQ(version("4.3").find_resource("extras", "config-context-profiles"), nullptr);
    EXPECT_NE(version("4.4").find_resource("extras", "config-context-profiles"), nullptr);
    EXPECT_EQ(version("4.5").find_resource("dcim", "cable-bundles"), nullptr);
    EXPECT_NE(version("4.6").find_resource("dcim", "cable-bundles"), nullptr);
    EXPECT_FALSE(resource_of("4.5", "dcim", "devices").accepts_filter("start"));
    EXPECT_TRUE(resource_of("4.6", "dcim", "devices").accepts_filter("start"));
    // Choice filters gain the text lookups in 4.5.
    EXPECT_FALSE(resource_of("4.4", "dcim", "devices").accepts_filter("airflow__ic"));
    EXPECT_TRUE(resource_of("4.5", "dcim", "devices").accepts_filter("airflow__ic"));
}

TEST(api_model, tables_are_consistent)
{
    for (const api* a : all_apis()) {
        SCOPED_TRACE(std::string(a->version));
        EXPECT_TRUE(std::ranges::is_sorted(a->apps, {}, &app::name));
        for (const app& ap : a->apps) {
            EXPECT_TRUE(std::ranges::is_sorted(ap.resources, {}, &resource::name));
            for (const resource& r : ap.resources) {
                EXPECT_TRUE(std::ranges::is_sorted(r.filters, {}, &filter::name)) << r.name;
                if (!r.list_path.empty())
                    EXPECT_EQ(a->resource_for_path(r.list_path), &r);
                if (!r.detail_path.empty())
                    EXPECT_EQ(a->resource_for_path(r.detail_path), &r);
                for (const field& f : r.fields) {
                    if (f.kind != field_kind::foreign_key && f.kind != field_kind::foreign_keys)
                        continue;
                    const std::size_t dot = f.target.find('.');
                    EXPECT_NE(a->find_resource(f.target.substr(0, dot), f.target.substr(dot + 1)), nullptr)
                        << ap.name << "." << r.name << "." << f.name << " → " << f.target;
                }
            }
        }
    }
}

}  // namespace
