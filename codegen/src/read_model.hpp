// netbox-codegen: reads the normalised API model out of a NetBox OpenAPI 3.0 schema.
#pragma once

#include "model.hpp"
#include "schema_file.hpp"

#include <string>
#include <string_view>

namespace netbox::codegen {

/// The model of the release line `schema` describes. Paths under /api/plugins/ and the top-level
/// endpoints (/api/status/, /api/schema/, …) are left out; descriptions are never read. Throws
/// std::runtime_error when the schema does not have the shape NetBox generates.
api read_api(const schema_file& schema);

/// The release line of an `info.version`: "4.5.10" and "4.5.10-Docker-4.0.2 (4.5)" → "4.5".
/// Throws std::runtime_error when it does not start with `<major>.<minor>`.
std::string release_line(std::string_view info_version);

}  // namespace netbox::codegen
