// The simulator against real NetBox: every GET recording of a resource path (4.3, 4.4, 4.5) is
// replayed against an engine of that version, which must answer with the same status, the same
// set of keys at every level of the objects, and the same error texts.
#include "key_sets.hpp"
#include "sim/engine.hpp"
#include "support/shared_dir.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

std::string text_of(const json::value& v)
{
    return v.is_string() ? std::string(v.get_string()) : json::serialize(v);
}

/// The request a recording made, for the engine.
netbox::sim::request request_of(const json::object& recording)
{
    netbox::sim::request r;
    r.method = std::string(recording.at("method").as_string());
    r.path = std::string(recording.at("path").as_string());
    r.base_url = "http://127.0.0.1:8001";
    std::string raw;
    if (const json::object* query = recording.at("query").if_object())
        for (const auto& member : *query) {
            const std::string value = text_of(member.value());
            r.query.emplace_back(std::string(member.key()), value);
            raw += (raw.empty() ? "" : "&") + std::string(member.key()) + "=" + value;
        }
    r.raw_query = raw;
    if (const json::value& body = recording.at("request_body"); !body.is_null())
        r.body = json::serialize(body);
    return r;
}

class sim_conformance : public ::testing::TestWithParam<const char*> {};

TEST_P(sim_conformance, answers_recorded_requests_with_the_same_shapes)
{
    NETBOX_REQUIRE_SHARED(recordings, fs::path("netbox-recordings") / GetParam());
    const netbox::model::api* api = netbox::model::find_api(GetParam());
    ASSERT_NE(api, nullptr);

    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(recordings))
        if (entry.path().extension() == ".json" && !entry.path().filename().string().starts_with("_"))
            files.push_back(entry.path());
    std::ranges::sort(files);

    std::size_t compared = 0;
    for (const fs::path& file : files) {
        const json::value parsed = json::parse(netbox::test::read_file(file));
        const json::object& recording = parsed.as_object();
        const std::string_view path = recording.at("path").as_string();
        const int status = static_cast<int>(recording.at("status").as_int64());
        // Only what the engine answers: resource paths, with a valid token (auth is the server's).
        netbox::sim::engine engine(*api, netbox::sim::dataset_options{});
        if (recording.at("method") != "GET" || !engine.handles(path) || status == 403)
            continue;
        SCOPED_TRACE(file.filename().string());
        ++compared;

        const netbox::sim::response answer = engine.handle(request_of(recording));
        EXPECT_EQ(answer.status, status);
        const json::value& expected = recording.at("response_body");
        const json::value actual = json::parse(answer.body);
        std::vector<std::string> problems;
        // NetBox's OpenAPI schema, which the API model is generated from, leaves Token.allowed_ips out.
        const auto exempt = [](std::string_view, std::string_view key) { return key == "allowed_ips"; };
        netbox::test::compare_keys(expected, actual, exempt, problems);
        for (const std::string& problem : problems)
            ADD_FAILURE() << problem;
        if (expected.is_object() && expected.get_object().contains("detail"))
            EXPECT_EQ(actual.at("detail"), expected.at("detail"));
    }
    EXPECT_GE(compared, 10u) << "too few recordings of resource paths were compared";
}

INSTANTIATE_TEST_SUITE_P(versions, sim_conformance, ::testing::Values("4.3", "4.4", "4.5"),
                         [](const auto& info) { return std::string("v") + (info.param[0]) + "_" + (info.param + 2); });

}  // namespace
