// netbox-cpp tests: access to the ../shared directory (recordings, schemas) for conformance tests.
//
// Its location is fixed at build time (compile definition NETBOX_SHARED_DIR). When a test needs a part
// of it that is missing, the test is skipped with a message, or fails when NETBOX_TEST_CI is "true"
// (ctest sets it from CI), so CI cannot pass by skipping everything:
//
//     TEST(recordings, decode) {
//         NETBOX_REQUIRE_SHARED(dir, "netbox-recordings");
//         for (const auto& entry : std::filesystem::directory_iterator(dir)) ...
//     }
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace netbox::test {

/// The configured ../shared directory; empty when the build did not set one. May not exist.
std::filesystem::path shared_dir();

/// True when the environment variable NETBOX_TEST_CI is "true" or "1".
bool running_in_ci();

/// Why shared_dir() / subpath cannot be used, or "" when it exists. Names the path looked at.
std::string shared_missing_reason(const std::filesystem::path& subpath);

/// The whole file as bytes. Throws std::runtime_error naming the file when it cannot be read.
std::string read_file(const std::filesystem::path& path);

}  // namespace netbox::test

/// Declares `const std::filesystem::path var = shared_dir() / subpath;` in a test body (or SetUp()),
/// then skips the test when that path does not exist, or fails it when running_in_ci().
#define NETBOX_REQUIRE_SHARED(var, subpath)                                                         \
    const std::filesystem::path var = ::netbox::test::shared_dir() / (subpath);                     \
    if (const std::string netbox_missing_ = ::netbox::test::shared_missing_reason(subpath);         \
        !netbox_missing_.empty()) {                                                                 \
        if (::netbox::test::running_in_ci())                                                        \
            FAIL() << netbox_missing_ << " (NETBOX_TEST_CI is set, so this is an error)";           \
        GTEST_SKIP() << netbox_missing_;                                                            \
    }                                                                                               \
    static_assert(true, "NETBOX_REQUIRE_SHARED needs a semicolon")
