#include "read_model.hpp"

#include "openapi.hpp"

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
using namespace openapi;

/// The resource of nested tags: a list of them is a `tags` field, not `foreign_keys`.
constexpr std::string_view tag_resource = "extras.tags";
/// The object of custom field values.
constexpr std::string_view custom_fields_name = "custom_fields";

// --- Choices ------------------------------------------------------------------------------------

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
            r.filters = fold_filters(operation_at(entry.list_item, "get"));
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
        const path_shape shape = classify_path(path);
        if (shape.kind == path_kind::top || shape.kind == path_kind::plugin)
            return;  // not resources, and plugins are not part of NetBox's own API
        entry& e = entry_for(shape.app, shape.resource);
        const std::uint8_t methods = methods_of(item);
        switch (shape.kind) {
        case path_kind::list:
            e.r.list_path = path;
            e.r.list_methods = methods;
            e.list_item = &item;
            break;
        case path_kind::detail:
            e.r.detail_path = path;
            e.r.detail_methods = methods;
            e.r.string_id = is_string_parameter(item, shape.parameter);
            e.detail_item = &item;
            break;
        default:
            e.r.details.push_back({std::string(shape.action), std::string(path), methods});
            break;
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
            const json::object* body = request_schema(operation);
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
