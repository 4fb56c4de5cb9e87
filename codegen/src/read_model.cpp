#include "read_model.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <stdexcept>
#include <tuple>
#include <utility>

namespace netbox::codegen {
namespace {

namespace json = boost::json;

// --- NetBox naming conventions ----------------------------------------------------------------

/// Schemas of the nested (brief) form of a model X: BriefX (newer) and NestedX (older, still used
/// for tags, users and groups). Brief wins when both exist.
constexpr std::string_view nested_prefixes[] = {"Brief", "Nested"};
/// Request forms of a schema end in this (BriefDeviceRequest, WritableDeviceRequest).
constexpr std::string_view request_suffix = "Request";
/// drf-spectacular leaves this on a few names (BriefCircuitGroupAssignmentSerializer_).
constexpr std::string_view serializer_artefact = "Serializer_";
/// Response models of list endpoints that extend X: DeviceWithConfigContext is the model of
/// dcim/devices, whose nested form is BriefDevice.
constexpr std::string_view model_extensions[] = {"", "WithConfigContext"};
/// The resource of nested tags: a list of them is a `tags` field, not `foreign_keys`.
constexpr std::string_view tag_resource = "extras.tags";
/// The object of custom field values.
constexpr std::string_view custom_fields_name = "custom_fields";

constexpr std::pair<std::string_view, model::method_bit> http_methods[] = {
    {"get", model::m_get}, {"post", model::m_post}, {"put", model::m_put},
    {"patch", model::m_patch}, {"delete", model::m_delete},
};

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

/// The string at `key`, or "" when there is none.
std::string_view string_at(const json::object& o, std::string_view key)
{
    const json::value* v = o.if_contains(key);
    const json::string* s = v ? v->if_string() : nullptr;
    return s ? std::string_view(*s) : std::string_view{};
}

/// The array at `key` of `o`; an empty array when either is missing.
const json::array& array_or_empty(const json::object* o, std::string_view key)
{
    static const json::array empty;
    const json::array* found = o ? array_at(*o, key) : nullptr;
    return found ? *found : empty;
}

/// The `properties` of a schema; an empty object when either is missing.
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

/// "X" for `{"$ref": "#/components/schemas/X"}`; "" when `schema` is no reference.
std::string_view ref_name(const json::object& schema)
{
    constexpr std::string_view prefix = "#/components/schemas/";
    const std::string_view ref = string_at(schema, "$ref");
    return ref.starts_with(prefix) ? ref.substr(prefix.size()) : std::string_view{};
}

/// The `application/json` schema of a request body or response object.
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

/// `{allOf: [S], nullable: true}` only attaches flags to S: returns S.
const json::object* single_all_of(const json::object& schema)
{
    const json::array* all_of = array_at(schema, "allOf");
    return all_of && all_of->size() == 1 ? (*all_of)[0].if_object() : nullptr;
}

/// The writable foreign key `oneOf: [{type: integer}, S]` (a primary key or a nested object):
/// returns S.
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

/// The response form of a choice: `{value: {enum}, label: {enum}}`.
bool is_choice_object(const json::object& schema)
{
    const json::object* properties = object_at(schema, "properties");
    return properties && properties->size() == 2 && properties->contains("value") &&
           properties->contains("label");
}

// --- Choices ------------------------------------------------------------------------------------

/// An enum value as choice text: strings as they are, integers in decimal. Null and the blank ""
/// are left out: `nullable` and an absent `required` already say that a field may be empty.
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

/// The choices of an enum. NetBox's label list has either one label per value, or one per value
/// that is neither blank nor null; labels that cannot be paired either way are dropped.
std::vector<choice> choices_of(const json::array& values, const json::array* labels)
{
    const auto label_at = [&](std::size_t i) {
        const json::string* label = labels && i < labels->size() ? (*labels)[i].if_string() : nullptr;
        return label ? std::string(*label) : std::string();
    };
    const bool label_per_value = labels && labels->size() == values.size();
    std::vector<choice> choices;
    for (std::size_t i = 0; i < values.size(); ++i)
        if (auto text = choice_text(values[i]))
            choices.push_back({std::move(*text), label_at(label_per_value ? i : choices.size())});
    if (labels && !label_per_value && labels->size() != choices.size())
        for (choice& c : choices)
            c.label.clear();
    return choices;
}

std::vector<choice> choices_of_choice_object(const json::object& schema)
{
    const json::object& properties = require_object(schema, "properties");
    const json::object* value = object_at(properties, "value");
    const json::object* label = object_at(properties, "label");
    const json::array* values = value ? array_at(*value, "enum") : nullptr;
    return values ? choices_of(*values, label ? array_at(*label, "enum") : nullptr) : std::vector<choice>{};
}

// --- Kinds --------------------------------------------------------------------------------------

/// A plain `type`/`format` pair; json when there is no type.
field_kind scalar_field_kind(std::string_view type, std::string_view format)
{
    if (type == "string") {
        if (format == "date")
            return field_kind::date;
        if (format == "date-time")
            return field_kind::date_time;
        if (format == "uri")
            return field_kind::uri;
        return field_kind::string;
    }
    if (type == "integer")
        return field_kind::integer;
    if (type == "number")
        return field_kind::number;
    if (type == "boolean")
        return field_kind::boolean;
    return field_kind::json;
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

// --- Paths --------------------------------------------------------------------------------------

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

/// True when the path parameter `name` is declared as a string by any operation of `path_item`.
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

// --- The reader ---------------------------------------------------------------------------------

struct field_shape {
    field_kind kind = field_kind::json;
    std::string target;
    std::vector<choice> choices;
};

std::string qualified_name(const resource& r)
{
    return r.app + "." + r.name;
}

class schema_reader {
public:
    schema_reader(const json::object& paths, const json::object& schemas) : schemas_(schemas)
    {
        for (const auto& [path, item] : paths)
            if (const json::object* path_item = item.if_object())
                add_path(path, *path_item);
        for (auto& [key, entry] : entries_) {
            entry.r.model = model_name(response_schema(operation_at(entry.detail_item, "get"), "200"));
            if (entry.r.model.empty())
                entry.r.model = model_name(response_schema(operation_at(entry.list_item, "get"), "200"));
        }
        index_models();
    }

    /// The resources' fields, filters and brief fields, grouped by app. Call once.
    std::vector<app> read_apps()
    {
        for (auto& [key, entry] : entries_) {
            resource& r = entry.r;
            if (!r.model.empty())
                r.fields = fields_of(component(r.model), create_request(entry));
            r.filters = filters_of(operation_at(entry.list_item, "get"));
            std::ranges::sort(r.details, {}, [](const detail_endpoint& d) { return std::tie(d.name, d.path); });
        }
        assign_brief_fields();

        std::vector<app> apps;
        for (auto& [key, entry] : entries_) {
            if (apps.empty() || apps.back().name != entry.r.app)
                apps.push_back({entry.r.app, {}});
            apps.back().resources.push_back(std::move(entry.r));
        }
        return apps;
    }

private:
    struct entry {
        resource r;
        const json::object* list_item = nullptr;
        const json::object* detail_item = nullptr;
    };

    void add_path(std::string_view path, const json::object& item)
    {
        const std::vector<std::string_view> s = segments_of(path);
        if (s.empty() || s[0] != "api")
            throw std::runtime_error("path outside /api/: " + std::string(path));
        if (s.size() <= 2)
            return;  // /api/status/, /api/schema/, /api/authentication-check/: not resources
        if (s[1] == "plugins")
            return;  // plugins are not part of NetBox's own API
        entry& e = entry_for(s[1], s[2]);
        const std::uint8_t methods = methods_of(item);
        if (s.size() == 3) {
            e.r.list_path = path;
            e.r.list_methods = methods;
            e.list_item = &item;
        } else if (s.size() == 4 && is_parameter(s[3])) {
            e.r.detail_path = path;
            e.r.detail_methods = methods;
            e.r.string_id = is_string_parameter(item, s[3].substr(1, s[3].size() - 2));
            e.detail_item = &item;
        } else if (s.size() == 4) {
            e.r.details.push_back({std::string(s[3]), std::string(path), methods});
        } else if (s.size() == 5 && is_parameter(s[3])) {
            e.r.details.push_back({std::string(s[4]), std::string(path), methods});
        } else {
            throw std::runtime_error("path of an unknown shape: " + std::string(path));
        }
    }

    entry& entry_for(std::string_view app, std::string_view name)
    {
        auto [it, inserted] = entries_.try_emplace({std::string(app), std::string(name)});
        if (inserted) {
            it->second.r.app = app;
            it->second.r.name = name;
        }
        return it->second;
    }

    const json::object& component(std::string_view name) const
    {
        if (const json::object* found = object_at(schemas_, name))
            return *found;
        throw std::runtime_error("reference to a missing component schema: " + std::string(name));
    }

    /// The model a response returns: the referenced schema, the item of a paginated list
    /// (`{count, next, previous, results: [X]}`) or of a plain array; "" for free-form objects.
    std::string model_name(const json::object* response) const
    {
        if (!response)
            return {};
        if (const std::string_view name = ref_name(*response); !name.empty()) {
            const json::object* properties = object_at(component(name), "properties");
            const json::object* results = properties ? object_at(*properties, "results") : nullptr;
            const json::object* items = results ? object_at(*results, "items") : nullptr;
            return std::string(items ? ref_name(*items) : name);
        }
        const json::object* items = object_at(*response, "items");
        return items && string_at(*response, "type") == "array" ? std::string(ref_name(*items)) : std::string();
    }

    /// Foreign keys point at objects, so only resources with a detail path are targets. When two
    /// resources share a model (4.4 serves ObjectType as core/object-types and the deprecated
    /// extras/object-types), the first by app and name is the target.
    void index_models()
    {
        for (auto& [key, entry] : entries_)
            if (!entry.r.model.empty() && !entry.r.detail_path.empty())
                resource_by_model_.emplace(entry.r.model, &entry.r);
    }

    /// The resource a schema nests or references: BriefSite, NestedTag, BriefSiteRequest and Site
    /// all give dcim.sites. Null when the schema is no resource's model.
    resource* resource_for_schema(std::string_view name) const
    {
        for (std::string_view prefix : nested_prefixes)
            if (name.starts_with(prefix) && name.size() > prefix.size()) {
                name.remove_prefix(prefix.size());
                break;
            }
        if (name.ends_with(request_suffix))
            name.remove_suffix(request_suffix.size());
        if (name.ends_with(serializer_artefact))
            name.remove_suffix(serializer_artefact.size());
        for (std::string_view extension : model_extensions) {
            const auto found = resource_by_model_.find(std::string(name) + std::string(extension));
            if (found != resource_by_model_.end())
                return found->second;
        }
        return nullptr;
    }

    /// The schema of the create request: the JSON body of the list POST (a single object or
    /// `oneOf: [X, [X]]` for bulk create), else of the detail or list PUT.
    const json::object* create_request(const entry& e) const
    {
        const json::object* operations[] = {operation_at(e.list_item, "post"), operation_at(e.detail_item, "put"),
                                            operation_at(e.list_item, "put")};
        for (const json::object* operation : operations) {
            const json::object* body = json_body_schema(operation ? object_at(*operation, "requestBody") : nullptr);
            if (!body)
                continue;
            if (const std::string_view name = ref_name(*body); !name.empty())
                return &component(name);
            for (const json::value& branch : array_or_empty(body, "oneOf"))
                if (const json::object* b = branch.if_object(); b && !ref_name(*b).empty())
                    return &component(ref_name(*b));
        }
        return nullptr;
    }

    std::vector<field> fields_of(const json::object& response, const json::object* request) const
    {
        const json::object& response_properties = properties_of(&response);
        const json::object& request_properties = properties_of(request);
        const json::array& required = array_or_empty(request, "required");

        std::vector<field> fields;
        const auto add = [&](std::string_view name, const json::object& property, std::uint8_t flags) {
            field_shape shape = shape_of(property);
            if (name == custom_fields_name && shape.kind == field_kind::json)
                shape.kind = field_kind::custom_fields;
            if (flag_at(property, "nullable"))
                flags |= model::nullable;
            if (contains_string(required, name))
                flags |= model::required;
            fields.push_back({std::string(name), shape.kind, flags, std::move(shape.target), std::move(shape.choices)});
        };
        for (const auto& [name, value] : response_properties) {
            const bool not_writable = request && !request_properties.contains(name);
            const json::object& property = value.as_object();
            add(name, property, flag_at(property, "readOnly") || not_writable ? model::read_only : 0);
        }
        for (const auto& [name, value] : request_properties)
            if (!response_properties.contains(name))
                add(name, value.as_object(), model::write_only);
        return fields;
    }

    field_shape shape_of(const json::object& schema) const
    {
        if (const json::object* inner = single_all_of(schema))
            return shape_of(*inner);
        if (const json::object* reference = foreign_key_branch(schema))
            return shape_of(*reference);
        if (const std::string_view name = ref_name(schema); !name.empty())
            return shape_of_reference(name);
        const std::string_view type = string_at(schema, "type");
        if (type == "array") {
            const json::object* items = object_at(schema, "items");
            return items ? list_of(shape_of(*items)) : field_shape{};
        }
        if (type == "object")
            return is_choice_object(schema) ? field_shape{field_kind::choice, {}, choices_of_choice_object(schema)}
                                            : field_shape{};
        field_shape shape{scalar_field_kind(type, string_at(schema, "format")), {}, {}};
        if (const json::array* values = array_at(schema, "enum"))
            shape.choices = choices_of(*values, nullptr);
        return shape;
    }

    field_shape shape_of_reference(std::string_view name) const
    {
        if (const resource* target = resource_for_schema(name))
            return {field_kind::foreign_key, qualified_name(*target), {}};
        const json::object& schema = component(name);
        if (schema.contains("properties"))
            return {field_kind::object, std::string(name), {}};
        return shape_of(schema);
    }

    static field_shape list_of(field_shape item)
    {
        switch (item.kind) {
        case field_kind::foreign_key:
            if (item.target == tag_resource)
                return {field_kind::tags, {}, {}};
            item.kind = field_kind::foreign_keys;
            return item;
        case field_kind::object:
            item.kind = field_kind::objects;
            return item;
        case field_kind::string:
        case field_kind::integer:
        case field_kind::number:
        case field_kind::boolean:
        case field_kind::date:
        case field_kind::date_time:
        case field_kind::uri:
            item.kind = field_kind::list;
            return item;
        default:
            return {};  // lists of lists, of choice objects or of anything: any JSON
        }
    }

    /// Query parameters of the list GET, one filter per lookup family. The family's kind and
    /// multiplicity come from its exact member, else from its first member other than `__empty`
    /// (always a boolean).
    static std::vector<filter> filters_of(const json::object* list_get)
    {
        std::map<std::string, std::map<std::uint32_t, const json::object*>> families;
        for (const json::value& v : array_or_empty(list_get, "parameters")) {
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

    void assign_brief_fields()
    {
        for (std::string_view prefix : nested_prefixes)
            for (const auto& [name, schema] : schemas_) {
                if (!name.starts_with(prefix) || name.ends_with(request_suffix))
                    continue;
                resource* target = resource_for_schema(name);
                if (!target || !target->brief_fields.empty())
                    continue;
                for (const auto& [property, value] : properties_of(schema.if_object()))
                    target->brief_fields.emplace_back(property);
            }
    }

    const json::object& schemas_;
    std::map<std::pair<std::string, std::string>, entry> entries_;  // by (app, name)
    std::map<std::string, resource*> resource_by_model_;
};

}  // namespace

std::string release_line(std::string_view info_version)
{
    const auto digits = [&](std::size_t from) {
        std::size_t end = from;
        while (end < info_version.size() && std::isdigit(static_cast<unsigned char>(info_version[end])))
            ++end;
        return end;
    };
    const std::size_t major_end = digits(0);
    const std::size_t minor_end = major_end < info_version.size() && info_version[major_end] == '.'
                                      ? digits(major_end + 1)
                                      : major_end;
    if (major_end == 0 || minor_end <= major_end + 1)
        throw std::runtime_error("info.version \"" + std::string(info_version) + "\" does not start with <major>.<minor>");
    return std::string(info_version.substr(0, minor_end));
}

api read_api(const schema_file& schema)
{
    const json::object* document = schema.document.if_object();
    if (!document)
        throw std::runtime_error(schema.name + " is not an OpenAPI document");
    const std::string_view info_version = string_at(require_object(*document, "info"), "version");
    schema_reader reader(require_object(*document, "paths"),
                         require_object(require_object(*document, "components"), "schemas"));
    return {release_line(info_version), std::string(info_version), schema.sha256, schema.name, reader.read_apps()};
}

}  // namespace netbox::codegen
