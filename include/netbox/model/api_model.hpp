// netbox-cpp: the NetBox API model — apps, resources, fields, filters and detail endpoints of one
// NetBox release line, as read from its OpenAPI schema by codegen/ and committed as constant
// tables (src/model/api_model_v4_*.cpp). Used by the simulator, the dynamic facade's strict filters,
// the schema index and the CLI. Free of Boost, Asio and Beast.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace netbox::model {

/// What a field holds, as far as clients and the simulator need to know.
enum class field_kind : std::uint8_t {
    string,        ///< plain text (also slug, email, IP address and prefix strings)
    integer,
    number,        ///< floating point
    boolean,
    date,          ///< "2026-11-23"
    date_time,     ///< ISO 8601 with time
    uri,           ///< absolute URL (`url`, `display_url`)
    choice,        ///< response `{value, label}`; request: the bare value (see field::choices)
    foreign_key,   ///< nested brief object of `target` on read; id or attribute dict on write
    foreign_keys,  ///< list of foreign keys (`tagged_vlans`)
    tags,          ///< list of nested tags
    custom_fields, ///< object of custom field values
    object,        ///< another schema's object, nested (not a foreign key)
    objects,       ///< list of such objects
    list,          ///< list of scalars (`vids`, `tags` of config contexts)
    json,          ///< any JSON (config contexts, generic foreign keys' objects, `data`)
};

/// Field flags (bitmask).
enum field_flag : std::uint8_t {
    nullable = 1 << 0,   ///< may be null (in the response model)
    read_only = 1 << 1,  ///< set by the server; never written
    required = 1 << 2,   ///< required in the create request (POST)
    write_only = 1 << 3, ///< accepted on write, never returned (`password`)
};

struct choice_value {
    std::string_view value;  ///< "active" (integers written as text: "1")
    std::string_view label;  ///< "Active"
};

struct field {
    std::string_view name;
    field_kind kind = field_kind::string;
    std::uint8_t flags = 0;
    /// foreign_key(s): the target resource as "app.resource" ("dcim.sites"); object(s): the schema
    /// name; otherwise empty.
    std::string_view target;
    std::span<const choice_value> choices;  ///< choice: the values the schema lists (not exhaustive)

    constexpr bool has(field_flag f) const noexcept { return (flags & f) != 0; }
};

/// Lookup suffixes a filter accepts (bitmask over the `field__lookup` family).
enum lookup : std::uint32_t {
    exact = 1u << 0,  ///< `name=`
    n = 1u << 1,      ///< `name__n=` (not)
    ic = 1u << 2,
    nic = 1u << 3,
    ie = 1u << 4,
    nie = 1u << 5,
    isw = 1u << 6,
    nisw = 1u << 7,
    iew = 1u << 8,
    niew = 1u << 9,
    regex = 1u << 10,
    iregex = 1u << 11,
    gt = 1u << 12,
    gte = 1u << 13,
    lt = 1u << 14,
    lte = 1u << 15,
    empty = 1u << 16,
    before = 1u << 17,
    after = 1u << 18,
};

/// The query-parameter suffix of each `lookup`, by bit position: `lookup_suffixes[2]` is "ic" for
/// `ic = 1u << 2`; "" for `exact`. Every enumerator but `exact` is named after its suffix.
inline constexpr std::string_view lookup_suffixes[] = {
    "", "n", "ic", "nic", "ie", "nie", "isw", "nisw", "iew", "niew",
    "regex", "iregex", "gt", "gte", "lt", "lte", "empty", "before", "after",
};

/// The `lookup` bit a suffix names ("ic" → ic, "" → exact); 0 when it names none.
constexpr std::uint32_t lookup_from_suffix(std::string_view suffix) noexcept
{
    for (std::uint32_t bit = 0; bit < std::size(lookup_suffixes); ++bit)
        if (lookup_suffixes[bit] == suffix)
            return 1u << bit;
    return 0;
}

/// The value type of a filter parameter.
enum class filter_kind : std::uint8_t { string, integer, number, boolean, date, date_time, uuid, choice };

struct filter {
    std::string_view name;       ///< base name without lookup suffix: "site_id", "name", "q"
    filter_kind kind = filter_kind::string;
    std::uint32_t lookups = exact;  ///< bitmask of `lookup`
    bool multi = true;              ///< repeated keys accepted (`site=a&site=b`)
};

/// HTTP methods an endpoint accepts (bitmask).
enum method_bit : std::uint8_t {
    m_get = 1 << 0,
    m_post = 1 << 1,
    m_put = 1 << 2,
    m_patch = 1 << 3,
    m_delete = 1 << 4,
};

/// A path under a detail path (`/api/ipam/prefixes/{id}/available-ips/`), or an action under a list
/// path (`/api/users/tokens/provision/`).
struct detail_endpoint {
    std::string_view name;    ///< "available-ips", "trace", "elevation", "paths", "render-config", "sync"
    std::string_view path;    ///< "/api/ipam/prefixes/{id}/available-ips/"
    std::uint8_t methods = 0; ///< method_bit mask
};

struct resource {
    std::string_view app;          ///< "dcim"
    std::string_view name;         ///< URL name: "devices", "front-ports"
    std::string_view model;        ///< response schema: "DeviceWithConfigContext"
    std::string_view list_path;    ///< "/api/dcim/devices/" (empty when there is none)
    std::string_view detail_path;  ///< "/api/dcim/devices/{id}/" (empty when there is none)
    std::uint8_t list_methods = 0;   ///< method_bit mask
    std::uint8_t detail_methods = 0; ///< method_bit mask
    bool string_id = false;          ///< `{id}` is a string (background tasks, scripts)
    std::span<const field> fields;               ///< the response model's fields, schema order
    std::span<const std::string_view> brief_fields;  ///< fields of the Brief form (`?brief=1`)
    std::span<const filter> filters;             ///< list GET filters, folded by lookup family, sorted by name
    std::span<const detail_endpoint> details;    ///< sorted by name

    const field* find_field(std::string_view name) const noexcept;
    const filter* find_filter(std::string_view name) const noexcept;
    /// True when `parameter` (e.g. "name__ic", "site_id", "cf_owner") is a filter this list
    /// accepts: a known filter with a lookup it declares, or a custom-field filter `cf_*` (with any
    /// lookup) on a resource that has `custom_fields`.
    bool accepts_filter(std::string_view parameter) const noexcept;
};

struct app {
    std::string_view name;  ///< "dcim"
    std::span<const resource> resources;  ///< sorted by name
};

/// The model of one NetBox release line.
struct api {
    std::string_view version;         ///< "4.5"
    std::string_view schema_version;  ///< info.version of the schema file ("4.5.10")
    std::string_view schema_sha256;   ///< of the file the table was generated from
    std::span<const app> apps;  ///< sorted by name

    const app* find_app(std::string_view name) const noexcept;
    /// By app and URL name ("dcim", "devices").
    const resource* find_resource(std::string_view app, std::string_view name) const noexcept;
    /// The resource whose list path, detail path or detail endpoint matches `path`
    /// ("/api/dcim/devices/12/", "/api/ipam/prefixes/7/available-ips/"), or null. A query string is ignored.
    const resource* resource_for_path(std::string_view path) const noexcept;
};

/// The release lines compiled in ("4.3", "4.4", "4.5", "4.6").
std::span<const api* const> all_apis() noexcept;
/// "4.5" or "4.5.10" → the 4.5 model; null for a release line that is not compiled in.
const api* find_api(std::string_view version) noexcept;

}  // namespace netbox::model
