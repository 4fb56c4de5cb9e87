// The whole simulator against real NetBox, over HTTP: every recording of 4.3, 4.4 and 4.5 is sent
// as it was recorded (method, path, query, body, Authorization scheme, conditional headers) to a
// netbox::testing::simulator of that version holding the equivalent data set. The answer must have
// the recorded status, the same set of keys at every level of the JSON body, NetBox's error texts,
// the same Content-Type and the same presence of API-Version and X-Request-ID.
//
// Values other than error texts are not compared: timestamps, tokens, UUIDs and URLs (ports)
// differ by nature. Each recording gets a fresh simulator, so writes cannot affect one another and
// the order of the files does not matter.
#include "key_sets.hpp"
#include "replay_server.hpp"

#include "support/http_exchange.hpp"
#include "support/shared_dir.hpp"

#include <netbox/testing/simulator.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using netbox::test::http_call;
using netbox::test::http_exchange;
using netbox::test::http_reply;
using netbox::test::recording;

// Credentials of the right shapes (the recordings have theirs redacted to the scheme).
const std::string v1_token = "0123456789abcdef0123456789abcdef01234567";
const std::string unknown_v1_token = "fedcba9876543210fedcba9876543210fedcba98";
const std::string v2_key = "AbCdEfGhIjKl";
const std::string v2_token = "nbt_" + v2_key + ".s3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3tAb";
const std::string wrong_v2_token = "nbt_" + v2_key + ".wrongWrongWrongWrongWrongWrongWrongWr";

// The recordings whose Authorization was deliberately wrong, and the one that sent a v1 token as
// Bearer. Every other recording sent a valid token: v1 with Token, v2 with Bearer (in 4.3/4.4 a
// v2 token is unknown, which is what those recordings show).
const std::map<std::string, std::string, std::less<>> special_credentials = {
    {"bad-token-403", "Token " + unknown_v1_token},
    {"bad-v2-token-403", "Bearer " + wrong_v2_token},
    {"v1-token-as-bearer", "Bearer " + v1_token},
};

std::string authorization_for(const recording& r)
{
    if (const auto special = special_credentials.find(r.name); special != special_credentials.end())
        return special->second;
    const std::string scheme = r.auth_scheme();
    if (scheme == "Token")
        return "Token " + v1_token;
    if (scheme == "Bearer")
        return "Bearer " + v2_token;
    return {};
}

std::string percent_encoded(std::string_view text)
{
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += digits[c >> 4];
            out += digits[c & 15];
        }
    }
    return out;
}

http_call request_of(const recording& r)
{
    http_call out;
    out.method = r.method;
    out.target = r.path;
    for (const auto& [key, value] : r.query)
        out.target += (&key == &r.query.front().first ? "?" : "&") + percent_encoded(key) + "=" + percent_encoded(value);
    for (const auto& [name, value] : r.request_headers)
        if (name != "Authorization")
            out.headers.emplace_back(std::string(name), std::string(value.as_string()));
    if (const std::string authorization = authorization_for(r); !authorization.empty())
        out.headers.emplace_back("Authorization", authorization);
    if (!r.request_body.is_null())
        out.body = json::serialize(r.request_body);
    return out;
}

/// A key that may differ at a place of a recording's body (see `exemptions`).
struct exemption {
    std::string_view recording;
    std::string_view versions;  ///< "4.3 4.4", or "" for all
    std::string_view under;     ///< the place, or the start of the places
    std::set<std::string, std::less<>> keys;
    std::string_view why;
};

// Differences that are not the simulator's to remove. Everything else must match.
const std::vector<exemption> exemptions = {
    {"device-options-choices", "", "$.actions.",
     {"max_length", "help_text", "min_value", "max_value", "max_digits", "decimal_places", "children", "child"},
     "the API model compiled into the simulator carries field names, kinds, flags and choices, not "
     "lengths, bounds, help texts or the fields of nested serializers"},
    {"token-list", "", "$.results[0]", {"allowed_ips"},
     "NetBox's OpenAPI schema, which the API model is generated from, leaves Token.allowed_ips out"},
    {"device-patch-single", "4.3 4.4", "$.role", {"device_count", "virtualmachine_count"},
     "NetBox 4.3/4.4 leave the counts out of a nested role after a PATCH (the re-read object is not "
     "annotated) but render them everywhere else, 4.5 included"},
};

/// The media type of a Content-Type value: "application/json; charset=utf-8" → "application/json".
std::string media_type(std::string_view content_type)
{
    return std::string(content_type.substr(0, content_type.find(';')));
}

/// GraphQL error messages of a body ({"errors": [{"message": ...}]}), in order.
std::vector<std::string> graphql_messages(const json::value& body)
{
    std::vector<std::string> messages;
    if (const json::value* errors = body.is_object() ? body.get_object().if_contains("errors") : nullptr)
        for (const json::value& e : errors->as_array())
            messages.emplace_back(e.at("message").as_string());
    return messages;
}

class simulator_recordings : public ::testing::TestWithParam<const char*> {
protected:
    /// A simulator holding the data set the recordings were made with (their README): 60 devices
    /// in 3 sites, 2 racks, 3 tags, 11 prefixes, ... The ids the recordings use name the same kind
    /// of object in it: devices 1 and 2, rack 1, prefix 1 (10.0.0.0/24, with free addresses) and
    /// prefix 10 (the empty 10.100.0.0/16), and there is no device 99999. So no recorded id needs
    /// mapping; only bulk-delete needs its devices made first (see replay()).
    netbox::testing::simulator_options options_for_version() const
    {
        netbox::testing::simulator_options o;
        o.version = GetParam();
        o.devices = 60;
        o.tokens = {v1_token};
        if (o.version >= "4.5")
            o.tokens.push_back(v2_token);
        return o;
    }

    /// Sends `r` as recorded, after what it depends on.
    http_reply replay(const recording& r, const std::vector<recording>& all)
    {
        netbox::testing::simulator server(options_for_version());
        http_call out = request_of(r);
        if (r.name == "bulk-delete") {
            // Recorded right after bulk-create, deleting the three devices it made: make them
            // first, then delete those (the ids are the same as recorded: 61-63).
            const auto create = std::ranges::find(all, std::string("bulk-create"), &recording::name);
            EXPECT_NE(create, all.end());
            const http_reply made = http_exchange(server.port(), request_of(*create));
            EXPECT_EQ(made.status, 201);
            const json::value created = json::parse(made.body);
            json::array ids;
            for (const json::value& device : created.as_array())
                ids.push_back(json::object{{"id", device.at("id")}});
            out.body = json::serialize(ids);
        }
        return http_exchange(server.port(), out);
    }
};

TEST_P(simulator_recordings, answers_every_recorded_request_as_netbox_did)
{
    NETBOX_REQUIRE_SHARED(dir, fs::path("netbox-recordings") / GetParam());
    const std::vector<recording> all = netbox::test::load_recordings(dir);
    ASSERT_GE(all.size(), 30u);

    for (const recording& r : all) {
        SCOPED_TRACE(std::string(GetParam()) + "/" + r.name);
        const http_reply answer = replay(r, all);
        EXPECT_EQ(answer.status, r.status);

        // Headers: API-Version on every /api/ answer (not /graphql/), X-Request-ID on every one.
        for (const char* name : {"API-Version", "X-Request-ID"})
            EXPECT_EQ(answer.header(name) != nullptr, r.response_headers.contains(name)) << name;
        if (const std::string* api_version = answer.header("API-Version")) {
            EXPECT_EQ(*api_version, GetParam());
            EXPECT_EQ(r.response_header("API-Version"), GetParam());
        }
        const std::string recorded_type = r.response_header("Content-Type");
        const std::string* type = answer.header("Content-Type");
        EXPECT_EQ(type ? media_type(*type) : "", media_type(recorded_type)) << "Content-Type";

        // Body: empty where NetBox's was (HEAD, 204), otherwise the same shape.
        if (!r.has_json_body()) {
            EXPECT_EQ(answer.body, r.body_text());
            continue;
        }
        json::error_code ec;
        const json::value actual = json::parse(answer.body, ec);
        if (ec) {
            ADD_FAILURE() << "not JSON: " << answer.body.substr(0, 300);
            continue;
        }
        const json::value& expected = r.response_body;
        const auto exempt = [&](std::string_view where, std::string_view key) {
            return std::ranges::any_of(exemptions, [&](const exemption& e) {
                return e.recording == r.name && (e.versions.empty() || e.versions.find(GetParam()) != std::string_view::npos)
                       && where.starts_with(e.under) && e.keys.contains(key);
            });
        };
        std::vector<std::string> problems;
        netbox::test::compare_keys(expected, actual, exempt, problems);
        for (const std::string& problem : problems)
            ADD_FAILURE() << problem;

        // Error texts: an error body (detail, field errors) is NetBox's word for word; GraphQL
        // errors (inside a 200) have NetBox's messages.
        if (r.status >= 400)
            EXPECT_EQ(actual, expected);
        EXPECT_EQ(graphql_messages(actual), graphql_messages(expected));
    }
}

// No recording holds an SVG body, but the recordings' README notes what NetBox answers:
// `?render=svg` on a rack elevation is `Content-Type: image/svg+xml`, with API-Version.
TEST_P(simulator_recordings, renders_rack_elevations_as_svg_with_the_svg_content_type)
{
    netbox::testing::simulator server(options_for_version());
    const http_reply answer = http_exchange(
        server.port(), {"GET", "/api/dcim/racks/1/elevation/?face=front&render=svg", {{"Authorization", "Token " + v1_token}}});
    EXPECT_EQ(answer.status, 200);
    ASSERT_NE(answer.header("Content-Type"), nullptr);
    EXPECT_EQ(media_type(*answer.header("Content-Type")), "image/svg+xml");
    ASSERT_NE(answer.header("API-Version"), nullptr);
    EXPECT_EQ(*answer.header("API-Version"), GetParam());
    EXPECT_NE(answer.body.find("<svg"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(versions, simulator_recordings, ::testing::Values("4.3", "4.4", "4.5"),
                         [](const auto& info) { return std::string("v") + info.param[0] + "_" + (info.param + 2); });

}  // namespace
