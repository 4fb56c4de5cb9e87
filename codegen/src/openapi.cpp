#include "openapi.hpp"

#include <boost/json/string.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <stdexcept>

namespace netbox::codegen::openapi {
namespace {

/// Removes `prefix` when something capitalised follows it ("Brief" of "BriefSite", not of "Briefing").
bool strip_prefix(std::string_view& name, std::string_view prefix)
{
    if (name.size() <= prefix.size() || !name.starts_with(prefix) ||
        !std::isupper(static_cast<unsigned char>(name[prefix.size()])))
        return false;
    name.remove_prefix(prefix.size());
    return true;
}

bool strip_suffix(std::string_view& name, std::string_view suffix)
{
    if (name.size() <= suffix.size() || !name.ends_with(suffix))
        return false;
    name.remove_suffix(suffix.size());
    return true;
}

filter_kind parameter_kind(const json::object& schema)
{
    if (string_at(schema, "type") == "array") {
        const json::object* items = object_at(schema, "items");
        return items ? parameter_kind(*items) : filter_kind::string;
    }
    if (schema.contains("enum"))
        return filter_kind::choice;
    const std::string_view type = string_at(schema, "type");
    const std::string_view format = string_at(schema, "format");
    if (type == "string") {
        if (format == "uuid")
            return filter_kind::uuid;
        if (format == "date")
            return filter_kind::date;
        if (format == "date-time")
            return filter_kind::date_time;
        return filter_kind::string;
    }
    if (type == "integer")
        return filter_kind::integer;
    if (type == "number")
        return filter_kind::number;
    if (type == "boolean")
        return filter_kind::boolean;
    return filter_kind::string;
}

/// "name__ic" → {"name", ic}; "name" → {"name", exact}. A suffix that names no lookup is part of
/// the name.
std::pair<std::string, std::uint32_t> split_lookup(std::string_view parameter)
{
    const std::size_t separator = parameter.rfind("__");
    if (separator != std::string_view::npos && separator + 2 < parameter.size())
        if (const std::uint32_t bit = model::lookup_from_suffix(parameter.substr(separator + 2)))
            return {std::string(parameter.substr(0, separator)), bit};
    return {std::string(parameter), model::exact};
}

/// "/api/dcim/devices/{id}/" → {"api", "dcim", "devices", "{id}"}.
std::vector<std::string_view> segments_of(std::string_view path)
{
    std::vector<std::string_view> segments;
    while (!path.empty()) {
        const std::size_t slash = path.find('/');
        if (slash != 0)
            segments.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos)
            break;
        path.remove_prefix(slash + 1);
    }
    return segments;
}

bool is_parameter(std::string_view segment)
{
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

std::string model_family(std::string_view name)
{
    if (name.starts_with("Paginated") && strip_suffix(name, "List"))
        strip_prefix(name, "Paginated");
    strip_prefix(name, "Patched");
    strip_prefix(name, "Writable");
    for (std::string_view prefix : nested_prefixes)
        if (strip_prefix(name, prefix))
            break;
    strip_suffix(name, request_suffix);
    strip_suffix(name, serializer_artefact);
    strip_suffix(name, model_extensions[1]);
    return std::string(name);
}

// --- JSON access --------------------------------------------------------------------------------

const json::object* object_at(const json::object& o, std::string_view key)
{
    const json::value* v = o.if_contains(key);
    return v ? v->if_object() : nullptr;
}

const json::array* array_at(const json::object& o, std::string_view key)
{
    const json::value* v = o.if_contains(key);
    return v ? v->if_array() : nullptr;
}

std::string_view string_at(const json::object& o, std::string_view key)
{
    const json::value* v = o.if_contains(key);
    const json::string* s = v ? v->if_string() : nullptr;
    return s ? std::string_view(*s) : std::string_view{};
}

const json::array& array_or_empty(const json::object* o, std::string_view key)
{
    static const json::array empty;
    const json::array* found = o ? array_at(*o, key) : nullptr;
    return found ? *found : empty;
}

const json::object& properties_of(const json::object* schema)
{
    static const json::object empty;
    const json::object* found = schema ? object_at(*schema, "properties") : nullptr;
    return found ? *found : empty;
}

bool flag_at(const json::object& o, std::string_view key)
{
    const json::value* v = o.if_contains(key);
    return v && v->is_bool() && v->get_bool();
}

const json::object& require_object(const json::object& o, std::string_view key)
{
    if (const json::object* found = object_at(o, key))
        return *found;
    throw std::runtime_error("the schema has no object \"" + std::string(key) + "\"");
}

bool contains_string(const json::array& array, std::string_view s)
{
    return std::ranges::any_of(array, [&](const json::value& v) {
               return v.is_string() && v.get_string() == s;
           });
}

// --- OpenAPI constructs -------------------------------------------------------------------------

std::string_view ref_name(const json::object& schema)
{
    constexpr std::string_view prefix = "#/components/schemas/";
    const std::string_view ref = string_at(schema, "$ref");
    return ref.starts_with(prefix) ? ref.substr(prefix.size()) : std::string_view{};
}

const json::object* json_body_schema(const json::object* holder)
{
    const json::object* content = holder ? object_at(*holder, "content") : nullptr;
    const json::object* media = content ? object_at(*content, "application/json") : nullptr;
    return media ? object_at(*media, "schema") : nullptr;
}

const json::object* response_schema(const json::object* operation, std::string_view status)
{
    const json::object* responses = operation ? object_at(*operation, "responses") : nullptr;
    return json_body_schema(responses ? object_at(*responses, status) : nullptr);
}

const json::object* request_schema(const json::object* operation)
{
    return json_body_schema(operation ? object_at(*operation, "requestBody") : nullptr);
}

const json::object* single_all_of(const json::object& schema)
{
    const json::array* all_of = array_at(schema, "allOf");
    return all_of && all_of->size() == 1 ? (*all_of)[0].if_object() : nullptr;
}

const json::object* foreign_key_branch(const json::object& schema)
{
    const json::array* one_of = array_at(schema, "oneOf");
    if (!one_of || one_of->size() != 2)
        return nullptr;
    for (std::size_t i = 0; i < 2; ++i) {
        const json::object* key = (*one_of)[i].if_object();
        const json::object* other = (*one_of)[1 - i].if_object();
        if (key && other && string_at(*key, "type") == "integer")
            return other;
    }
    return nullptr;
}

bool is_choice_object(const json::object& schema)
{
    const json::object* properties = object_at(schema, "properties");
    return properties && properties->size() == 2 && properties->contains("value") &&
           properties->contains("label");
}

std::optional<std::string> choice_text(const json::value& value)
{
    if (const json::string* s = value.if_string())
        return s->empty() ? std::nullopt : std::optional<std::string>(*s);
    if (value.is_int64())
        return std::to_string(value.get_int64());
    if (value.is_uint64())
        return std::to_string(value.get_uint64());
    return std::nullopt;
}

// --- Paths --------------------------------------------------------------------------------------

path_shape classify_path(std::string_view path)
{
    const std::vector<std::string_view> s = segments_of(path);
    if (s.empty() || s[0] != "api")
        throw std::runtime_error("path outside /api/: " + std::string(path));
    if (s.size() <= 2)
        return {path_kind::top, s.size() == 2 ? s[1] : std::string_view(), {}, {}, {}};
    if (s[1] == "plugins")
        return {path_kind::plugin, {}, {}, {}, {}};
    if (s.size() == 3)
        return {path_kind::list, s[1], s[2], {}, {}};
    if (s.size() == 4 && is_parameter(s[3]))
        return {path_kind::detail, s[1], s[2], s[3].substr(1, s[3].size() - 2), {}};
    if (s.size() == 4)
        return {path_kind::list_action, s[1], s[2], {}, s[3]};
    if (s.size() == 5 && is_parameter(s[3]))
        return {path_kind::detail_action, s[1], s[2], s[3].substr(1, s[3].size() - 2), s[4]};
    throw std::runtime_error("path of an unknown shape: " + std::string(path));
}

std::uint8_t methods_of(const json::object& path_item)
{
    std::uint8_t methods = 0;
    for (const auto& [name, bit] : http_methods)
        if (path_item.contains(name))
            methods |= bit;
    return methods;
}

const json::object* operation_at(const json::object* path_item, std::string_view method)
{
    return path_item ? object_at(*path_item, method) : nullptr;
}

bool is_string_parameter(const json::object& path_item, std::string_view name)
{
    for (const auto& [method, bit] : http_methods) {
        for (const json::value& v : array_or_empty(operation_at(&path_item, method), "parameters")) {
            const json::object* parameter = v.if_object();
            const json::object* schema = parameter ? object_at(*parameter, "schema") : nullptr;
            if (schema && string_at(*parameter, "in") == "path" && string_at(*parameter, "name") == name)
                return string_at(*schema, "type") == "string";
        }
    }
    return false;
}

// --- Query parameters -----------------------------------------------------------------------------

std::vector<filter> fold_filters(const json::object* operation)
{
    std::map<std::string, std::map<std::uint32_t, const json::object*>> families;
    for (const json::value& v : array_or_empty(operation, "parameters")) {
        const json::object& parameter = v.as_object();
        if (string_at(parameter, "in") != "query")
            continue;
        auto [base, bit] = split_lookup(string_at(parameter, "name"));
        families[std::move(base)].emplace(bit, &require_object(parameter, "schema"));
    }
    std::vector<filter> filters;
    for (const auto& [name, members] : families) {
        std::uint32_t lookups = 0;
        for (const auto& [bit, schema] : members)
            lookups |= bit;
        const auto not_empty = std::ranges::find_if(members, [](const auto& m) { return m.first != model::empty; });
        const json::object* representative = (not_empty != members.end() ? not_empty : members.begin())->second;
        filters.push_back({name, parameter_kind(*representative), lookups,
                           string_at(*representative, "type") == "array"});
    }
    return filters;
}

}  // namespace netbox::codegen::openapi
