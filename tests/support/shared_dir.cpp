#include "support/shared_dir.hpp"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string_view>
#include <system_error>

#ifndef NETBOX_SHARED_DIR
#define NETBOX_SHARED_DIR ""
#endif

namespace netbox::test {

std::filesystem::path shared_dir()
{
    return NETBOX_SHARED_DIR;
}

bool running_in_ci()
{
    const char* value = std::getenv("NETBOX_TEST_CI");
    if (value == nullptr)
        return false;
    const std::string_view v = value;
    return v == "1" || v == "true" || v == "TRUE" || v == "True";
}

std::string shared_missing_reason(const std::filesystem::path& subpath)
{
    if (shared_dir().empty())
        return "the shared directory is not configured (CMake cache variable NETBOX_SHARED_DIR is empty)";
    const std::filesystem::path path = shared_dir() / subpath;
    std::error_code ec;
    if (std::filesystem::exists(path, ec))
        return {};
    return path.string() + " does not exist (shared directory from CMake cache variable NETBOX_SHARED_DIR)";
}

std::string read_file(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::string contents{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (!in.is_open() || in.bad())
        throw std::runtime_error("cannot read " + path.string());
    return contents;
}

}  // namespace netbox::test
