// netbox-cpp tests: the generated samples of one release line (NETBOX_SAMPLES_NAMESPACE, e.g. v4_5)
// round-trip through JSON in strict mode, its params write their queries, its operation table is
// complete and ordered and decodes every answer, and the requests the typed client builds for
// every operation pass an independent OpenAPI validator of the release line's schema (known-bad
// ones must not). Built once per release line by cmake/typed.cmake.
#include <netbox/types/operation.hpp>

#include "sample_case.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace netbox::NETBOX_SAMPLES_NAMESPACE {
namespace testing {
std::span<const ::netbox::typed_testing::sample_case> sample_cases();
std::vector<::netbox::typed_testing::contract_case> contract_cases();
std::span<const ::netbox::typed_testing::contract_skip> contract_skips();
std::vector<::netbox::typed_testing::response_sample> response_samples();
}  // namespace testing
std::span<const ::netbox::operation_info> operations() noexcept;
}  // namespace netbox::NETBOX_SAMPLES_NAMESPACE

namespace {

namespace generated = ::netbox::NETBOX_SAMPLES_NAMESPACE;
namespace fs = std::filesystem;

TEST(generated_samples, every_type_round_trips_and_every_params_struct_writes_its_query) {
    const auto cases = generated::testing::sample_cases();
    ASSERT_FALSE(cases.empty());
    std::set<std::string_view> names;
    std::size_t failures = 0;
    for (const auto& c : cases) {
        EXPECT_TRUE(names.insert(c.type).second) << c.type << " is registered twice";
        std::string error;
        if (!c.check(error)) {
            ++failures;
            ADD_FAILURE() << c.type << ": " << error;
        }
    }
    EXPECT_EQ(failures, 0u) << "of " << cases.size() << " types";
}

TEST(generated_operations, are_sorted_unique_and_each_names_its_traits) {
    const auto ops = generated::operations();
    ASSERT_FALSE(ops.empty());
    for (std::size_t i = 0; i < ops.size(); ++i) {
        EXPECT_FALSE(ops[i].endpoint.empty()) << ops[i].operation_id;
        EXPECT_FALSE(ops[i].role.empty()) << ops[i].operation_id;
        EXPECT_TRUE(ops[i].path.starts_with("/api/")) << ops[i].operation_id;
        if (i > 0) {
            EXPECT_LT(ops[i - 1].operation_id, ops[i].operation_id);
        }
    }
}

const netbox::operation_info* find_operation(std::string_view id) {
    const auto ops = generated::operations();
    const auto found = std::lower_bound(ops.begin(), ops.end(), id,
                                        [](const netbox::operation_info& o, std::string_view v) { return o.operation_id < v; });
    return found != ops.end() && found->operation_id == id ? &*found : nullptr;
}

TEST(generated_operations, decode_response_reads_a_sample_answer_of_every_operation_strictly) {
    std::map<std::string_view, std::size_t> samples_of;
    std::size_t failures = 0;
    for (const auto& s : generated::testing::response_samples()) {
        const netbox::operation_info* op = find_operation(s.operation_id);
        ASSERT_NE(op, nullptr) << s.operation_id << " is no operation";
        ASSERT_NE(op->decode_response, nullptr) << s.operation_id << " has an answer sample but no decode_response";
        ++samples_of[s.operation_id];
        netbox::codec::decoder d(netbox::codec::decode_mode::strict);
        try {
            op->decode_response(s.answer, d);
        } catch (const std::exception& e) {
            ++failures;
            ADD_FAILURE() << s.operation_id << ": " << e.what() << " in " << boost::json::serialize(s.answer);
        }
    }
    EXPECT_EQ(failures, 0u);
    // Every operation with a decoder has a sample; those without answer no body (DELETE).
    for (const auto& op : generated::operations()) {
        if (op.decode_response) {
            EXPECT_TRUE(samples_of.contains(op.operation_id)) << op.operation_id << " has no answer sample";
        } else {
            EXPECT_EQ(op.method, "DELETE") << op.operation_id << " has no decode_response";
        }
    }
    // What does not fit fails with a JSON pointer: an object where a page or list is expected.
    for (const auto& op : generated::operations())
        if (op.role == "list" && op.decode_response) {
            netbox::codec::decoder d(netbox::codec::decode_mode::strict);
            const boost::json::value wrong = boost::json::parse(R"({"count": 1, "results": [7]})");
            EXPECT_THROW(op.decode_response(wrong, d), netbox::codec::decode_error) << op.operation_id;
            break;
        }
}

// --- the contract: requests against the schema, by an independent validator ---------------------

TEST(contract_cases, cover_every_operation_and_each_app_has_known_bad_requests) {
    const auto cases = generated::testing::contract_cases();
    std::map<std::string_view, std::size_t> valid_of, bad_of_app;
    for (const auto& c : cases) {
        const netbox::operation_info* op = find_operation(c.operation_id);
        ASSERT_NE(op, nullptr) << c.operation_id << " is no operation";
        EXPECT_EQ(c.method, op->method) << c.operation_id;
        EXPECT_TRUE(c.path.starts_with("/api/") && c.path.find('{') == std::string::npos) << c.path;
        EXPECT_FALSE(c.label.empty()) << c.operation_id;
        if (c.expect_valid)
            ++valid_of[c.operation_id];
        else
            ++bad_of_app[op->app];
    }
    std::set<std::string_view> skipped;
    for (const auto& s : generated::testing::contract_skips()) {
        EXPECT_NE(find_operation(s.operation_id), nullptr) << s.operation_id;
        EXPECT_FALSE(s.reason.empty()) << s.operation_id;
        EXPECT_TRUE(skipped.insert(s.operation_id).second) << s.operation_id << " is skipped twice";
        EXPECT_FALSE(valid_of.contains(s.operation_id)) << s.operation_id << " is skipped and has a case";
    }
    for (const auto& op : generated::operations()) {
        EXPECT_TRUE(valid_of.contains(op.operation_id) || skipped.contains(op.operation_id))
            << op.operation_id << " has neither a contract case nor a reason to skip it";
        EXPECT_TRUE(bad_of_app.contains(op.app)) << "app " << op.app << " has no known-bad request";
    }
}

bool ci_requires_shared() {
    const char* value = std::getenv("NETBOX_TEST_CI");
    return value && (std::string_view(value) == "true" || std::string_view(value) == "1");
}

/// A shell word: 'text' with every ' closed, escaped and reopened.
std::string quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') out += "'\\''";
        else out += c;
    }
    return out + "'";
}

/// One request per line, as validate_requests.py reads them.
void write_cases(const std::vector<netbox::typed_testing::contract_case>& cases, const fs::path& file) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    for (const auto& c : cases) {
        boost::json::object line;
        line["method"] = c.method;
        line["path"] = c.path;
        boost::json::array query;
        for (const auto& [k, v] : c.query) query.push_back(boost::json::array{boost::json::string(k), boost::json::string(v)});
        line["query"] = std::move(query);
        if (c.body) line["body"] = *c.body;
        line["expect"] = c.expect_valid ? "valid" : "invalid";
        line["label"] = std::string(c.operation_id) + ": " + c.label;
        out << boost::json::serialize(line) << '\n';
    }
    ASSERT_TRUE(out.flush()) << "cannot write " << file;
}

TEST(contract_validation, every_request_fits_the_schema_and_every_known_bad_one_is_refused) {
    // The release line's schema in the shared directory (the synthetic schema for the golden output).
    const fs::path schema = NETBOX_CONTRACT_SCHEMA;
    if (!fs::exists(schema)) {
        if (ci_requires_shared())
            FAIL() << "no schema " << schema << " (shared directory " << NETBOX_SHARED_DIR
                   << "; NETBOX_TEST_CI is set, so this is an error)";
        GTEST_SKIP() << "no schema " << schema << " (shared directory " << NETBOX_SHARED_DIR
                     << "): the contract is not checked";
    }
    if (std::system("python3 -c 'import openapi_schema_validator' >/dev/null 2>&1") != 0)
        GTEST_SKIP() << "python3 with openapi-schema-validator is not available: the contract is not checked";

    const auto cases = generated::testing::contract_cases();
    const fs::path file = NETBOX_CONTRACT_CASES;
    fs::create_directories(file.parent_path());
    write_cases(cases, file);
    const std::string command =
        "python3 " + quoted(NETBOX_CONTRACT_SCRIPT) + " " + quoted(schema.string()) + " " + quoted(file.string()) + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr) << command;
    std::string output, line;
    std::vector<std::string> failures;
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe)) {
        line += buffer;
        if (line.ends_with('\n')) {
            if (!line.starts_with("ok  ")) failures.push_back(line);  // FAIL lines, the summary, errors
            line.clear();
        }
    }
    if (!line.empty()) failures.push_back(line);
    const int status = pclose(pipe);
    std::string report;
    for (std::size_t i = 0; i < failures.size() && i < 60; ++i) report += failures[i];
    EXPECT_EQ(status, 0) << "the validator disagrees (" << file << "):\n" << report;
    if (status == 0) std::cout << report;  // the summary line
}

}  // namespace
