// netbox-codegen: an OpenAPI schema file, read and parsed once.
#pragma once

#include <boost/json/value.hpp>

#include <filesystem>
#include <string>

namespace netbox::codegen {

struct schema_file {
    std::string name;        ///< file name without directories, "netbox-4.5.json"
    std::string sha256;      ///< of the file's bytes, lower-case hex
    boost::json::value document;
};

/// Reads and parses `path`. Throws std::runtime_error naming the file when it cannot be read or
/// is not JSON.
schema_file load_schema_file(const std::filesystem::path& path);

}  // namespace netbox::codegen
