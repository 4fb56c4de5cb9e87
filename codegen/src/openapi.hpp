// netbox-codegen: reading NetBox's OpenAPI documents — JSON access, the OpenAPI constructs NetBox
// uses (references, allOf wrappers, the foreign-key oneOf, choice objects), its naming conventions
// and path shapes. Shared by the readers of both back ends (read_model.cpp, typed_read.cpp).
#pragma once

#include "model.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netbox::codegen::openapi {

namespace json = boost::json;

// --- NetBox naming conventions ----------------------------------------------------------------

/// Schemas of the nested (brief) form of a model X: BriefX (newer) and NestedX (older, still used
/// for tags, users and groups). Brief wins when both exist.
inline constexpr std::string_view nested_prefixes[] = {"Brief", "Nested"};
/// Request forms of a schema end in this (BriefDeviceRequest, WritableDeviceRequest).
inline constexpr std::string_view request_suffix = "Request";
/// drf-spectacular leaves this on a few names (BriefCircuitGroupAssignmentSerializer_).
inline constexpr std::string_view serializer_artefact = "Serializer_";
/// Response models of list endpoints that extend X: DeviceWithConfigContext is the model of
/// dcim/devices, whose nested form is BriefDevice.
inline constexpr std::string_view model_extensions[] = {"", "WithConfigContext"};

/// The model family of a schema name: every NetBox prefix and suffix stripped.
/// "PatchedWritableDeviceWithConfigContextRequest", "BriefDevice" and
/// "PaginatedDeviceWithConfigContextList" → "Device".
std::string model_family(std::string_view schema_name);

/// HTTP methods in the order the model's method bits number them.
inline constexpr std::pair<std::string_view, model::method_bit> http_methods[] = {
    {"get", model::m_get}, {"post", model::m_post}, {"put", model::m_put},
    {"patch", model::m_patch}, {"delete", model::m_delete},
};

// --- JSON access --------------------------------------------------------------------------------

const json::object* object_at(const json::object& o, std::string_view key);
const json::array* array_at(const json::object& o, std::string_view key);
/// The string at `key`, or "" when there is none.
std::string_view string_at(const json::object& o, std::string_view key);
/// The array at `key` of `o`; an empty array when either is missing.
const json::array& array_or_empty(const json::object* o, std::string_view key);
/// The `properties` of a schema; an empty object when either is missing.
const json::object& properties_of(const json::object* schema);
bool flag_at(const json::object& o, std::string_view key);
const json::object& require_object(const json::object& o, std::string_view key);
bool contains_string(const json::array& array, std::string_view s);

// --- OpenAPI constructs -------------------------------------------------------------------------

/// "X" for `{"$ref": "#/components/schemas/X"}`; "" when `schema` is no reference.
std::string_view ref_name(const json::object& schema);
/// The `application/json` schema of a request body or response object.
const json::object* json_body_schema(const json::object* holder);
const json::object* response_schema(const json::object* operation, std::string_view status);
/// The request body's `application/json` schema of an operation; null when it has none.
const json::object* request_schema(const json::object* operation);
/// `{allOf: [S], nullable: true}` only attaches flags to S: returns S.
const json::object* single_all_of(const json::object& schema);
/// The writable foreign key `oneOf: [{type: integer}, S]` (a primary key or a nested object):
/// returns S.
const json::object* foreign_key_branch(const json::object& schema);
/// The response form of a choice: `{value: {enum}, label: {enum}}`.
bool is_choice_object(const json::object& schema);
/// An enum value as choice text: strings as they are, integers in decimal. Null and the blank ""
/// give nothing.
std::optional<std::string> choice_text(const json::value& value);

// --- Paths --------------------------------------------------------------------------------------

enum class path_kind : std::uint8_t {
    top,            ///< /api/status/, /api/schema/, /api/authentication-check/
    plugin,         ///< /api/plugins/…: not NetBox's own API
    list,           ///< /api/<app>/<resource>/
    detail,         ///< /api/<app>/<resource>/{id}/
    list_action,    ///< /api/<app>/<resource>/<action>/ (users/tokens/provision)
    detail_action,  ///< /api/<app>/<resource>/{id}/<action>/ (available-ips, trace)
};

struct path_shape {
    path_kind kind = path_kind::top;
    std::string_view app;        ///< top: the path's one segment ("status")
    std::string_view resource;
    std::string_view parameter;  ///< detail paths: "id" or "name", without braces
    std::string_view action;
};

/// The shape of a path. Throws std::runtime_error for paths outside /api/ or of another shape.
path_shape classify_path(std::string_view path);

std::uint8_t methods_of(const json::object& path_item);
const json::object* operation_at(const json::object* path_item, std::string_view method);
/// True when the path parameter `name` is declared as a string by any operation of `path_item`.
bool is_string_parameter(const json::object& path_item, std::string_view name);

// --- Query parameters -----------------------------------------------------------------------------

/// The query parameters of an operation, one filter per lookup family (`name`, `name__n`,
/// `name__ic`, … → `name` with a lookup mask), sorted by name. A family's kind and multiplicity
/// come from its exact member, else from its first member other than `__empty` (a boolean).
std::vector<filter> fold_filters(const json::object* operation);

}  // namespace netbox::codegen::openapi
