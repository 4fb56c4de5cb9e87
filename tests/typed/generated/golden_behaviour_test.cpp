// netbox-cpp tests: what the typed back end generates, checked on its golden output for the
// synthetic schema (codegen/tests/golden/typed, namespace netbox::v9_8): member types and
// presence, validation rules, codecs, bulk items, params and endpoint traits. Hand-written; built
// into netbox_v9_8_samples by cmake/typed.cmake.
#include <netbox/v9_8/api.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

namespace {

namespace v = netbox::v9_8;
namespace dcim = netbox::v9_8::dcim;
namespace json = boost::json;

std::set<std::string> violation_paths(const netbox::codec::validator& val) {
    std::set<std::string> paths;
    for (const auto& x : val.violations())
        paths.insert(x.path);
    return paths;
}

template <class T>
std::set<std::string> violations_of(const T& request) {
    netbox::codec::validator val;
    validate(request, val);
    return violation_paths(val);
}

template <class T>
json::object encoded(const T& in) {
    json::value out;
    encode(in, out);
    return out.as_object();
}

// --- member types: the presence and nullability rules --------------------------------------------

static_assert(std::is_same_v<decltype(dcim::device_with_config_context::id), std::int64_t>);  // required
static_assert(std::is_same_v<decltype(dcim::device_with_config_context::name), std::optional<std::string>>);
static_assert(std::is_same_v<decltype(dcim::device_with_config_context::tags), std::vector<v::extras::nested_tag>>);
static_assert(std::is_same_v<decltype(dcim::device_with_config_context::config_context), netbox::json_value>);
static_assert(std::is_same_v<decltype(dcim::device_with_config_context::vid_ranges),
                             std::vector<std::array<std::int64_t, 2>>>);
static_assert(std::is_same_v<decltype(dcim::device_with_config_context::status),
                             std::optional<netbox::choice_of<dcim::device_with_config_context_status>>>);
// requests: nullable → tri_state, required → plain, optional ref and choice → plain, others optional
static_assert(std::is_same_v<decltype(dcim::writable_device_with_config_context_request::name),
                             netbox::tri_state<std::string>>);
static_assert(std::is_same_v<decltype(dcim::writable_device_with_config_context_request::site), netbox::ref>);
static_assert(std::is_same_v<decltype(dcim::writable_device_with_config_context_request::owner),
                             netbox::tri_state<netbox::ref>>);
static_assert(std::is_same_v<decltype(dcim::writable_device_with_config_context_request::status),
                             netbox::choice_of<dcim::device_with_config_context_status>>);
static_assert(std::is_same_v<decltype(dcim::writable_device_with_config_context_request::ports),
                             std::optional<std::vector<std::int64_t>>>);
static_assert(std::is_same_v<decltype(dcim::writable_site_request::image), std::optional<netbox::upload>>);
// a struct that lists itself
static_assert(std::is_same_v<decltype(v::port_mapping::children), std::vector<v::port_mapping>>);
// one enum per value set: the response choice object and the request enum share it
static_assert(std::is_same_v<decltype(dcim::device_with_config_context_request::status),
                             decltype(dcim::writable_device_with_config_context_request::status)>);
static_assert(netbox::choice_traits<dcim::device_with_config_context_speed>::integer);
static_assert(std::size(netbox::choice_traits<dcim::device_with_config_context_airflow>::values) == 2);  // no ""

// --- endpoint traits ----------------------------------------------------------------------------

static_assert(std::is_same_v<dcim::devices_endpoint::list_item, dcim::device_with_config_context>);
static_assert(std::is_same_v<dcim::devices_endpoint::params, dcim::devices_params>);
static_assert(std::is_same_v<dcim::devices_endpoint::create_request, dcim::writable_device_with_config_context_request>);
static_assert(dcim::devices_endpoint::bulk_create);
static_assert(std::is_same_v<dcim::devices_endpoint::patch_request,
                             dcim::patched_writable_device_with_config_context_request>);
static_assert(std::is_same_v<dcim::devices_endpoint::bulk_update_item, dcim::device_with_config_context_bulk>);
static_assert(std::is_same_v<dcim::devices_endpoint::bulk_patch_item, dcim::device_with_config_context_bulk_patch>);
static_assert(dcim::devices_endpoint::destroy && dcim::devices_endpoint::bulk_destroy);
static_assert(std::is_same_v<dcim::devices_endpoint::render_config::post_response, netbox::json_value>);  // defect
static_assert(std::is_same_v<dcim::connected_device_endpoint::list_item, void>);
static_assert(std::is_same_v<dcim::connected_device_endpoint::list_response, std::vector<dcim::device>>);
static_assert(std::is_same_v<dcim::sites_endpoint::bulk_update_item, void>);
static_assert(!dcim::sites_endpoint::bulk_destroy);
static_assert(std::is_same_v<v::extras::scripts_endpoint::id_type, std::string>);
static_assert(std::is_same_v<v::ipam::prefixes_endpoint::available_ips::post_body, v::ipam::available_ip_request>);
static_assert(v::ipam::prefixes_endpoint::available_ips::body_is_array);
static_assert(std::is_same_v<v::ipam::prefixes_endpoint::available_ips::post_response, std::vector<v::ipam::prefix>>);
static_assert(std::is_same_v<v::root::status_endpoint::list_response, netbox::json_value>);
static_assert(v::version::release_line == "9.8");

// --- validation ---------------------------------------------------------------------------------

TEST(typed_golden, validation_names_every_required_member_left_unset) {
    const dcim::writable_device_with_config_context_request request;
    EXPECT_EQ(violations_of(request), (std::set<std::string>{"/name", "/secret", "/site"}));
}

TEST(typed_golden, a_complete_request_passes_and_null_is_allowed_where_nullable) {
    dcim::writable_device_with_config_context_request request;
    request.name = netbox::null;
    request.site = 7;
    request.secret = "x";
    request.owner = netbox::null;
    request.airflow = netbox::choice_of<dcim::device_with_config_context_airflow>::from_raw("");  // "" is listed
    EXPECT_TRUE(violations_of(request).empty());
}

TEST(typed_golden, string_bounds_and_choice_values_are_checked) {
    dcim::writable_device_with_config_context_request request;
    request.name = "sw1";
    request.site = 7;
    request.secret = "";  // minLength 1
    request.status = netbox::choice_of<dcim::device_with_config_context_status>::from_raw("bogus");
    request.speed = netbox::choice_of<dcim::device_with_config_context_speed>::from_raw("");  // "" is not listed
    EXPECT_EQ(violations_of(request), (std::set<std::string>{"/secret", "/speed", "/status"}));
}

TEST(typed_golden, exclusive_minimum_and_max_length_of_a_patch) {
    dcim::patched_writable_device_with_config_context_request patch;
    EXPECT_TRUE(violations_of(patch).empty()) << "a PATCH with nothing set is valid";
    patch.weight = 0.0;
    patch.name = std::string(65, 'x');
    EXPECT_EQ(violations_of(patch), (std::set<std::string>{"/name", "/weight"}));
    patch.weight = 0.5;
    patch.name = std::string(64, 'x');
    EXPECT_TRUE(violations_of(patch).empty());
}

TEST(typed_golden, nested_requests_are_validated_with_their_path) {
    v::ipam::available_ip_request item;
    item.tags.emplace(4);  // maxItems 3, and each tag is a nested request
    EXPECT_EQ(violations_of(item), (std::set<std::string>{"/tags"}));
    item.tags->resize(1);
    item.description = std::string(201, 'd');
    EXPECT_EQ(violations_of(item), (std::set<std::string>{"/description"}));
}

// --- codecs -------------------------------------------------------------------------------------

TEST(typed_golden, unset_members_are_left_out_and_null_is_sent_as_null) {
    dcim::patched_writable_device_with_config_context_request patch;
    patch.name = netbox::null;
    patch.site = 3;
    const json::object o = encoded(patch);
    EXPECT_EQ(o.size(), 2u) << json::serialize(o);
    EXPECT_TRUE(o.at("name").is_null());
    EXPECT_EQ(o.at("site"), json::value(3));
}

TEST(typed_golden, bulk_items_carry_the_id_the_schema_leaves_out) {
    dcim::device_with_config_context_bulk_patch item;
    item.id = 5;
    item.status = dcim::device_with_config_context_status::offline;
    const json::object o = encoded(item);
    EXPECT_EQ(o.at("id"), json::value(5));
    EXPECT_EQ(o.at("status"), json::value("offline"));
    EXPECT_EQ(o.size(), 2u) << json::serialize(o);
}

TEST(typed_golden, strict_decoding_refuses_unknown_keys_and_lenient_decoding_ignores_them) {
    const json::value in = json::parse(R"({"id": 1, "url": "u", "site": {"name": "a"}, "later": true})");
    dcim::device_with_config_context lenient_out;
    netbox::codec::decoder lenient;
    decode(in, lenient_out, lenient);
    EXPECT_EQ(lenient_out.id, 1);
    EXPECT_EQ(lenient_out.site.name, "a");
    dcim::device_with_config_context strict_out;
    netbox::codec::decoder strict(netbox::codec::decode_mode::strict);
    EXPECT_THROW(decode(in, strict_out, strict), netbox::codec::decode_error);
}

TEST(typed_golden, a_page_decodes_with_its_items_and_the_json_pointer_of_a_bad_one) {
    const json::value in = json::parse(
        R"({"count": 2, "next": null, "previous": null, "results": [
              {"id": 1, "url": "u", "name": "a", "slug": "a"}, {"id": "two", "url": "u", "name": "b", "slug": "b"}]})");
    netbox::page<dcim::site> page;
    netbox::codec::decoder d;
    try {
        decode(in, page, d);
        FAIL() << "a string id decoded";
    } catch (const netbox::codec::decode_error& e) {
        EXPECT_EQ(e.path(), "/results/1/id");
    }
}

// --- params -------------------------------------------------------------------------------------

TEST(typed_golden, params_refuse_lookups_the_family_does_not_have_and_write_the_others) {
    dcim::devices_params params;
    params.name = netbox::ic("core");
    params.site_id = {1, 2};
    netbox::codec::validator ok;
    validate(params, ok);
    EXPECT_TRUE(ok.ok());
    netbox::codec::query_writer q;
    encode_query(params, q);
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"name__ic", "core"}, {"site_id", "1"}, {"site_id", "2"}};
    EXPECT_EQ(q.params(), expected);

    params.name = netbox::gte("core");
    params.device_type = {"x"};  // only device_type__n exists
    netbox::codec::validator refused;
    validate(params, refused);
    EXPECT_EQ(violation_paths(refused), (std::set<std::string>{"/device_type", "/name__gte"}));
}

// --- the operation table --------------------------------------------------------------------------

TEST(typed_golden, every_operation_names_the_trait_that_covers_it) {
    const auto ops = v::operations();
    EXPECT_EQ(ops.size(), 25u);
    const auto find = [&](std::string_view id) {
        return std::ranges::find(ops, id, &netbox::operation_info::operation_id);
    };
    ASSERT_NE(find("dcim_devices_bulk_update"), ops.end());
    EXPECT_EQ(find("dcim_devices_bulk_update")->role, "bulk_update");
    EXPECT_EQ(find("ipam_prefixes_available_ips_create")->endpoint, "prefixes.available_ips");
    EXPECT_EQ(find("status_retrieve")->app, "root");
    EXPECT_EQ(find("plugins_demo_widgets_list"), ops.end()) << "plugins are not NetBox's own API";
}

}  // namespace
