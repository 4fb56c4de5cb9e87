// netbox-codegen, back end 2: the typed model of one release line — every component schema as a
// C++ struct, enums shared by value set, list params, endpoint traits and the operation table —
// with every C++ name, namespace and header already decided. typed_read.cpp builds it from the
// schema (and the API model of read_model.cpp); typed_emit*.cpp only print it.
#pragma once

#include "model.hpp"
#include "schema_file.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace netbox::codegen::typed {

/// The header (and source) of everything referred to across apps.
inline constexpr std::string_view common_unit = "common";

enum class type_kind : std::uint8_t {
    string,    ///< std::string (any format but binary)
    integer,   ///< std::int64_t
    number,    ///< double
    boolean,   ///< bool
    json,      ///< netbox::json_value
    upload,    ///< netbox::upload (format binary)
    int_pair,  ///< std::array<std::int64_t, 2> (IntegerRange)
    ref,       ///< netbox::ref (the writable foreign key)
    choice,    ///< netbox::choice_of<E>; `target` is the enum's index
    object,    ///< a generated struct; `target` is its schema name
    page,      ///< netbox::page<X>; `target` is the item's schema name
    vector,    ///< std::vector<item[0]>
};

struct cpp_type {
    type_kind kind = type_kind::json;
    std::string target;
    std::vector<cpp_type> item;  ///< vector: exactly one element

    bool operator==(const cpp_type&) const = default;
};

enum class wrapper : std::uint8_t { none, optional, tri_state };

/// The schema's constraints on a request member, as `codec::impl::rule` takes them. For arrays the
/// length and number rules are the items'.
struct constraints {
    std::optional<std::int64_t> min_length, max_length, min_items, max_items;
    std::string minimum, maximum;  ///< C++ double literals; empty: no bound
    bool exclusive_minimum = false, exclusive_maximum = false;
    std::string pattern;
    bool allow_blank = false;  ///< a choice whose enum lists ""
    // Only for the test samples, which must be valid requests (no codec checks them):
    std::string format;       ///< "date", "date-time", "uri", "email", "uuid", …
    std::string json_sample;  ///< JSON members (list items): a value the schema accepts; "" = {"k": 1}
};

struct member {
    std::string key;   ///< the JSON name
    std::string name;  ///< the C++ name
    cpp_type type;
    wrapper wrap = wrapper::none;
    bool required = false;
    bool nullable = false;
    bool read_only = false;
    constraints rule;
    /// Why the type is not what the schema declares (a known schema defect); "" when it is.
    std::string defect;
};

/// A generated struct: a component schema, or the bulk item of a list path.
struct structure {
    std::string schema;  ///< component name; bulk items "<item schema>#bulk" / "#bulk_patch"
    std::string name;    ///< C++ name
    std::string ns;      ///< home app ("" = the version's namespace)
    std::string unit;    ///< header/source: an app or common_unit
    bool request = false;
    bool validated = false;  ///< gets validate(): request structs and what they hold
    bool paged = false;      ///< some answer is a page of it: gets the page<T> codecs
    std::vector<member> members;
};

/// A choice enum, shared by every member with the same value set.
struct enumeration {
    std::string name;
    std::string ns;
    std::string unit;
    bool integer = false;
    std::vector<std::string> values;       ///< enumerator i+1's value
    std::vector<std::string> enumerators;  ///< C++ names, same order
};

/// `using paginated_x_list = netbox::page<x>;`
struct page_alias {
    std::string schema;
    std::string name;
    std::string ns;
    std::string unit;
    std::string item;  ///< schema name of the item
};

struct param_member {
    std::string key;   ///< the filter family's query name
    std::string name;  ///< C++ name
    model::filter_kind kind = model::filter_kind::string;
    std::uint32_t lookups = 0;
    std::string choice;  ///< a choice family: a value its sampled lookup accepts (for the test samples)
};

/// The params of a GET with query parameters: folded filter families + the list options.
struct params_struct {
    std::string name;
    std::string app;  ///< namespace and unit
    std::string operation_id;
    std::string path;
    std::vector<param_member> members;
};

/// One `using name = type;` (or `static constexpr bool name = …;`) of an endpoint's traits.
struct trait {
    std::string name;
    std::optional<cpp_type> type;  ///< none: `void`
    std::string params;            ///< instead of `type`: a params struct of the app
    bool flag = false;             ///< a bool constant rather than a type
    bool value = false;
    std::string comment;           ///< operationId, and why a type is not the schema's
};

/// A detail endpoint or action (`available-ips`, `trace`, `provision`): a nested struct.
struct action {
    std::string name;  ///< C++ name
    std::string path;
    std::vector<trait> traits;
};

struct endpoint {
    std::string app;
    std::string resource;  ///< URL name ("circuit-terminations")
    std::string name;      ///< C++ member name ("circuit_terminations")
    std::string list_path, detail_path;
    bool string_id = false;
    std::vector<trait> traits;
    std::vector<action> actions;  ///< sorted by name
};

/// What an operation sends as its JSON body (the typed client's contract cases follow it).
enum class body_kind : std::uint8_t {
    none,          ///< no body
    object,        ///< one `body`
    list,          ///< a list of `body` (bulk PUT/PATCH, actions that take lists)
    ids,           ///< `[{"id": …}]` (bulk DELETE, as the typed client sends it)
    empty_object,  ///< `{}`: the typed client sends a JSON value (a schema defect, or a free-form body)
};

struct operation {
    std::string id, method, path, app;
    std::string endpoint;  ///< "devices" or "prefixes.available_ips"
    std::string role;      ///< the trait that covers it: "list", "create", …, "get" for actions
    bool string_id = false;             ///< the path's `{id}`/`{name}` is text
    std::string params;                 ///< the params struct of a GET with query parameters (of `app`)
    body_kind body = body_kind::none;
    std::optional<cpp_type> body_type;  ///< object and list bodies: the (item) type
    bool bulk_create = false;           ///< a create that also takes a list of `body_type`
    /// The 2xx answer's type (a page for paginated lists; for a bulk create, the one item); none
    /// when the operation answers no body (204).
    std::optional<cpp_type> response;
};

struct version_model {
    std::string version;         ///< "4.5"
    std::string ns;              ///< "v4_5"
    std::string schema_version;  ///< "4.5.10"
    std::string schema_file;
    std::vector<std::string> apps;  ///< sorted; every app with an endpoint
    std::vector<enumeration> enums;
    std::vector<structure> structs;  ///< in each unit: definition order (dependencies first)
    std::vector<page_alias> pages;
    std::vector<params_struct> params;
    std::vector<endpoint> endpoints;    ///< sorted by app, then name
    std::vector<operation> operations;  ///< sorted by id
    std::map<std::string, std::size_t> struct_index;  ///< schema → index in structs
};

/// Reads the typed model of `schema`, whose API model `api_model` read_api() read. Throws
/// std::runtime_error on a name collision, an operation no trait covers, or an unknown shape.
version_model read_typed(const schema_file& schema, const api& api_model);

}  // namespace netbox::codegen::typed
