// netbox-codegen: the normalised API model of one NetBox release line. read_model.cpp fills it from
// an OpenAPI schema; the back ends (emit_table.cpp) write it out. It owns its strings and uses the
// enums of the library's own model (include/netbox/model/api_model.hpp), so both agree by construction.
#pragma once

#include <netbox/model/api_model.hpp>

#include <compare>
#include <cstdint>
#include <string>
#include <vector>

namespace netbox::codegen {

using model::field_kind;
using model::filter_kind;

struct choice {
    std::string value;  ///< integers as text
    std::string label;  ///< empty when the schema gives none (bare request enums)

    auto operator<=>(const choice&) const = default;
};

struct field {
    std::string name;
    field_kind kind = field_kind::string;
    std::uint8_t flags = 0;       ///< model::field_flag mask
    std::string target;           ///< foreign_key(s): "app.resource"; object(s): schema name
    std::vector<choice> choices;  ///< choice and enum-valued fields
};

struct filter {
    std::string name;  ///< base name, without a lookup suffix
    filter_kind kind = filter_kind::string;
    std::uint32_t lookups = 0;  ///< model::lookup mask
    bool multi = false;
};

struct detail_endpoint {
    std::string name;
    std::string path;
    std::uint8_t methods = 0;  ///< model::method_bit mask
};

struct resource {
    std::string app;
    std::string name;
    std::string model;  ///< response schema name; empty for free-form responses
    std::string list_path;
    std::string detail_path;
    std::uint8_t list_methods = 0;
    std::uint8_t detail_methods = 0;
    bool string_id = false;
    std::vector<field> fields;               ///< response model order, then write-only fields
    std::vector<std::string> brief_fields;
    std::vector<filter> filters;             ///< sorted by name
    std::vector<detail_endpoint> details;    ///< sorted by name
};

struct app {
    std::string name;
    std::vector<resource> resources;  ///< sorted by name
};

struct api {
    std::string version;         ///< release line, "4.5"
    std::string schema_version;  ///< info.version, "4.5.10"
    std::string schema_sha256;   ///< lower-case hex
    std::string schema_file;     ///< file name only, "netbox-4.5.json"
    std::vector<app> apps;       ///< sorted by name
};

}  // namespace netbox::codegen
