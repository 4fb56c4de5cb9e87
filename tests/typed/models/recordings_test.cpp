// Every successful JSON answer recorded from real NetBox servers (../shared/netbox-recordings/
// 4.3, 4.4, 4.5) decodes into the generated struct of its version: strictly (every member the
// schema lists, nothing else, nothing null that may not be) unless the schema is known to be wrong
// there, in which case the lenient decode must report exactly the listed defects.
#include "support/shared_dir.hpp"

#include <netbox/typed/endpoint.hpp>
#include <netbox/v4_3/api.hpp>
#include <netbox/v4_4/api.hpp>
#include <netbox/v4_5/api.hpp>

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace {

namespace json = boost::json;
using netbox::codec::decode_mode;
using netbox::codec::decoder;

/// Decodes a recorded answer into one generated type; returns the decoder's notes.
using decode_case = std::function<std::vector<netbox::codec::decode_note>(const json::value&, decode_mode)>;

template <class T>
decode_case as() {
    return [](const json::value& v, decode_mode mode) {
        decoder d(mode);
        T out{};
        netbox::typed::impl::decode_value(v, out, d);
        return d.take_notes();
    };
}

struct expectation {
    decode_case decode;
    /// Answers that leave members out on purpose (`fields=`, `exclude=`): only lenient applies.
    bool partial = false;
};

/// Recording name → its type, the same names in every version.
#define NETBOX_RECORDING_CASES(ns)                                                                          \
    std::map<std::string, expectation> {                                                                   \
        {"available-ips-get", {as<std::vector<ns::ipam::available_ip>>()}},                                 \
        {"available-ips-post", {as<std::vector<ns::ipam::ip_address>>()}},                                  \
        {"available-prefixes-get", {as<std::vector<ns::ipam::available_prefix>>()}},                        \
        {"bulk-create", {as<std::vector<ns::dcim::device_with_config_context>>()}},                         \
        {"conditional-get-base", {as<ns::dcim::device_with_config_context>()}},                             \
        {"conditional-get-if-modified-since", {as<ns::dcim::device_with_config_context>()}},                \
        {"conditional-get-if-none-match", {as<ns::dcim::device_with_config_context>()}},                    \
        {"device-detail", {as<ns::dcim::device_with_config_context>()}},                                    \
        {"device-detail-under-gunicorn", {as<ns::dcim::device_with_config_context>()}},                     \
        {"device-list-brief", {as<netbox::page<ns::dcim::brief_device>>()}},                                \
        {"device-list-exclude-config-context", {as<netbox::page<ns::dcim::device_with_config_context>>(), true}}, \
        {"device-list-fields", {as<netbox::page<ns::dcim::device_with_config_context>>(), true}},           \
        {"device-list-filtered", {as<netbox::page<ns::dcim::device_with_config_context>>()}},               \
        {"device-list-limit5-offset10", {as<netbox::page<ns::dcim::device_with_config_context>>()}},        \
        {"device-patch-single", {as<ns::dcim::device_with_config_context>()}},                              \
        {"interface-list-page", {as<netbox::page<ns::dcim::interface>>()}},                                 \
        {"max-page-size-limit0", {as<netbox::page<ns::dcim::brief_device>>()}},                             \
        {"rack-elevation-json", {as<netbox::page<ns::dcim::rack_unit>>()}},                                 \
        {"token-list", {as<netbox::page<ns::users::token>>()}},                                             \
        {"token-provision", {as<ns::users::token_provision>()}},                                            \
        {"token-provision-v1", {as<ns::users::token_provision>()}},                                         \
        {"v1-token-as-bearer", {as<netbox::page<ns::dcim::brief_site>>()}},                                 \
        {"v2-bearer-token-ok", {as<netbox::page<ns::dcim::brief_site>>()}},                                 \
    }

/// The schema defects the recordings show. `nulls`: members NetBox answers null although the
/// schema says they may not be (choice objects such as `airflow`, `face`, `mode`; `cable_end`;
/// `role` of available IPs; the empty units of an elevation). `undeclared`: members NetBox sends that
/// the schema does not list. Each must be seen in the version's recordings (the list cannot rot).
struct defects {
    std::set<std::string> nulls;
    std::set<std::string> undeclared;
};

const defects& known_defects(const std::string& version) {
    static const std::map<std::string, defects> all = [] {
        // Choice objects answered null (an empty optional choice); `device` of an empty elevation
        // unit; `role` of available IPs; `last_used` of a token never used.
        const std::set<std::string> common = {"airflow", "face", "mode", "poe_mode", "poe_type", "rf_channel",
                                              "rf_role", "device", "role", "last_used"};
        std::map<std::string, defects> m;
        // 4.3 and 4.4 also answer a null `cable_end` and `connected_endpoints_reachable` on
        // unconnected interfaces, and send tokens' `allowed_ips`, which their schemas lack.
        for (std::string v : {"4.3", "4.4"}) {
            m[v].nulls = common;
            m[v].nulls.insert({"cable_end", "connected_endpoints_reachable"});
            m[v].undeclared = {"allowed_ips"};
        }
        // 4.5: token answers carry a null `key` (v1 tokens) or `token` where the schema forbids it.
        m["4.5"].nulls = common;
        m["4.5"].nulls.insert({"key", "token"});
        return m;
    }();
    return all.at(version);
}

/// The last step of a JSON pointer: the member's name.
std::string member_of(const std::string& pointer) { return pointer.substr(pointer.rfind('/') + 1); }

/// Recordings that are not answers of a typed operation: errors, OPTIONS, HEAD, GraphQL,
/// free-form objects (status, the API root).
bool untyped(const json::object& rec) {
    const std::string method(rec.at("method").as_string());
    const std::string path(rec.at("path").as_string());
    const auto status = rec.at("status").to_number<int>();
    return status >= 300 || method == "OPTIONS" || method == "HEAD" || path.starts_with("/graphql") ||
           path == "/api/" || path == "/api/status/" || method == "DELETE";
}

void check_version(const std::string& version, const std::map<std::string, expectation>& cases) {
    NETBOX_REQUIRE_SHARED(dir, "netbox-recordings/" + version);
    std::size_t checked = 0;
    std::set<std::string> seen;  // defects met
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        const std::string name = entry.path().stem().string();
        if (name.starts_with("_") || entry.path().extension() != ".json") continue;
        const json::object rec = json::parse(netbox::test::read_file(entry.path())).as_object();
        if (untyped(rec)) continue;
        SCOPED_TRACE(version + "/" + name);
        auto it = cases.find(name);
        ASSERT_NE(it, cases.end()) << "a recording with no typed case: add it to NETBOX_RECORDING_CASES";
        const json::value& body = rec.at("response_body");

        // Lenient: only known defects are reported.
        const defects& known = known_defects(version);
        std::vector<netbox::codec::decode_note> notes;
        try {
            notes = it->second.decode(body, decode_mode::lenient);
        } catch (const netbox::codec::decode_error& e) {
            ADD_FAILURE() << "lenient decode failed: " << e.what();
            continue;
        }
        for (const auto& n : notes) {
            EXPECT_TRUE(known.nulls.contains(member_of(n.path))) << "an unlisted defect at " << n.path << ": " << n.what;
            seen.insert(member_of(n.path));
        }

        // Strict: passes exactly when the schema is right about the whole answer, else fails at a
        // known defect.
        const bool schema_right = notes.empty() && !it->second.partial;
        try {
            it->second.decode(body, decode_mode::strict);
            EXPECT_TRUE(schema_right) << "strict decoding accepted an answer with known defects or left-out members";
        } catch (const netbox::codec::decode_error& e) {
            const std::string member = member_of(e.path());
            if (known.undeclared.contains(member)) seen.insert(member);
            else EXPECT_FALSE(schema_right) << "strict decode failed: " << e.what();
        }
        ++checked;
    }
    for (const auto& m : known_defects(version).nulls) EXPECT_TRUE(seen.contains(m)) << m << " listed but never seen";
    for (const auto& m : known_defects(version).undeclared) EXPECT_TRUE(seen.contains(m)) << m << " listed but never seen";
    EXPECT_GE(checked, 15u) << "fewer recordings than expected in " << dir;
}

TEST(typed_recordings, v4_3) { check_version("4.3", NETBOX_RECORDING_CASES(netbox::v4_3)); }
TEST(typed_recordings, v4_4) { check_version("4.4", NETBOX_RECORDING_CASES(netbox::v4_4)); }
TEST(typed_recordings, v4_5) { check_version("4.5", NETBOX_RECORDING_CASES(netbox::v4_5)); }

}  // namespace
