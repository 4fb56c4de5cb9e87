#include "sim/graphql.hpp"

#include "sim/graphql_syntax.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <limits>
#include <map>

namespace netbox::sim::graphql {
namespace {

namespace json = boost::json;

constexpr std::size_t unlimited = std::numeric_limits<std::size_t>::max();

std::string underscored(std::string_view name)
{
    std::string text(name);
    std::ranges::replace(text, '-', '_');
    return text;
}

/// The singular of a resource's URL name, as GraphQL names its type: "ip-addresses" →
/// "ip_address", "prefixes" → "prefix", "ike-policies" → "ike_policy", "virtual-chassis" kept.
std::string singular(std::string_view plural)
{
    std::string text = underscored(plural);
    if (text.ends_with("ies"))
        return text.substr(0, text.size() - 3) + "y";
    for (std::string_view ending : {"sses", "xes", "ches", "shes"})
        if (text.ends_with(ending))
            return text.substr(0, text.size() - 2);
    if (text.ends_with('s') && !text.ends_with("is") && !text.ends_with("ss"))
        text.pop_back();
    return text;
}

std::string camel_case(std::string_view snake)
{
    std::string text;
    bool upper = true;
    for (char c : snake) {
        if (c == '_') {
            upper = true;
            continue;
        }
        text += upper ? char(std::toupper(static_cast<unsigned char>(c))) : c;
        upper = false;
    }
    return text;
}

/// The model name of a resource's objects: its response schema's name ("Device" for
/// "DeviceWithConfigContext").
std::string model_name(const model::resource& r)
{
    std::string_view name = r.model;
    if (name.ends_with("WithConfigContext"))
        name.remove_suffix(std::string_view("WithConfigContext").size());
    return std::string(name);
}

std::string type_name(const model::resource* r)
{
    return r ? model_name(*r) + "Type" : "JSON";
}

/// The resource of root field `<singular>` / `<singular>_list`.
const model::resource* root_resource(const model::api& api, std::string_view wanted)
{
    if (wanted == "vm_interface")
        return api.find_resource("virtualization", "interfaces");
    for (const model::app& a : api.apps)
        for (const model::resource& r : a.resources)
            if (!r.list_path.empty() && !r.detail_path.empty() && singular(r.name) == wanted)
                return &r;
    return nullptr;
}

/// The resource behind reverse relation `name` of `parent` ("interfaces" of a device), which
/// filters by `<parent>_id`; one in the parent's app is preferred.
const model::resource* related_resource(const model::api& api, const model::resource& parent, std::string_view name)
{
    const std::string filter = singular(parent.name) + "_id";
    const model::resource* found = nullptr;
    for (const model::app& a : api.apps)
        for (const model::resource& r : a.resources)
            if (underscored(r.name) == name && r.accepts_filter(filter) && (!found || r.app == parent.app))
                found = &r;
    return found;
}

/// GraphQL filter lookups and the REST filter suffixes that do their work.
constexpr std::pair<std::string_view, std::string_view> lookup_suffixes[] = {
    {"exact", ""},         {"in_list", ""},        {"i_exact", "__ie"},      {"contains", "__ic"},
    {"i_contains", "__ic"}, {"starts_with", "__isw"}, {"i_starts_with", "__isw"}, {"ends_with", "__iew"},
    {"i_ends_with", "__iew"}, {"gt", "__gt"},     {"gte", "__gte"},         {"lt", "__lt"},
    {"lte", "__lte"},      {"regex", "__regex"},   {"i_regex", "__iregex"},
};

/// "active" → "ACTIVE", "1000base-t" → "1000BASE_T": how NetBox names a choice in its enums.
std::string enum_suffix(std::string_view choice)
{
    std::string text;
    for (char c : choice)
        text += std::isalnum(static_cast<unsigned char>(c)) ? char(std::toupper(static_cast<unsigned char>(c))) : '_';
    return text;
}

/// The REST path of a nested object's `url` ("http://host/api/dcim/sites/1/" → "/api/dcim/sites/1/").
std::string path_of(std::string_view url)
{
    const std::size_t api = url.find("/api/");
    return api == std::string_view::npos ? std::string() : std::string(url.substr(api));
}

bool is_choice(const json::object& o)
{
    return o.size() == 2 && o.contains("value") && o.contains("label");
}

bool is_related(const json::object& o)
{
    return o.contains("id") && o.contains("url");
}

class executor {
public:
    executor(const schema& s, const json::object& variables, const operation& op)
        : schema_(s), variables_(variables), definitions_(op.variables)
    {
    }

    json::object run(const std::vector<field>& selection)
    {
        json::object data;
        for (const field& f : selection)
            data[f.key()] = root_field(f);
        return data;
    }

private:
    json::value root_field(const field& f)
    {
        if (f.name == "__typename")
            return "Query";
        std::string_view wanted = f.name;
        const bool list = wanted.ends_with("_list");
        if (list)
            wanted.remove_suffix(std::string_view("_list").size());
        const model::resource* r = root_resource(schema_.api, wanted);
        if (!r)
            throw query_error("Cannot query field '" + f.name + "' on type 'Query'.", f.at);
        const std::string type = list ? "[" + type_name(r) + "!]!" : type_name(r) + "!";
        if (f.selection.empty())
            throw query_error("Field '" + f.name + "' of type '" + type + "' must have a selection of subfields. "
                              "Did you mean '" + f.name + " { ... }'?", f.at);
        return list ? list_field(*r, f) : object_field(*r, f);
    }

    json::value object_field(const model::resource& r, const field& f)
    {
        for (const auto& [name, v] : f.arguments)
            if (name != "id")
                throw query_error("Unknown argument '" + name + "' on field 'Query." + f.name + "'.", v.at);
        const value* id = f.argument("id");
        if (!id)
            throw query_error("Field '" + f.name + "' argument 'id' of type 'ID!' is required, but it was not provided.",
                              f.at);
        std::string path(r.detail_path);
        path.replace(path.find("{id}"), 4, scalar(resolve(*id), nullptr));
        const std::optional<json::value> object = schema_.fetch(path, {});
        if (!object || !object->is_object())
            throw query_error(model_name(r) + " matching query does not exist.", f.at, json::array{json::string(f.key())});
        return project(object->get_object(), &r, f.selection);
    }

    json::value list_field(const model::resource& r, const field& f)
    {
        query_params query;
        std::size_t limit = unlimited;
        std::size_t offset = 0;
        for (const auto& [name, raw] : f.arguments) {
            const value v = resolve(raw);
            if (name == "filters") {
                add_filters(query, r, v);
            } else if (name == "pagination" && v.type == value::kind::object) {
                for (const auto& [key, item] : v.fields) {
                    if (key == "limit")
                        limit = std::stoull(scalar(item, nullptr));
                    else if (key == "offset")
                        offset = std::stoull(scalar(item, nullptr));
                }
            } else if (name != "pagination") {
                throw query_error("Unknown argument '" + name + "' on field 'Query." + f.name + "'.", raw.at);
            }
        }
        json::array out;
        for (const json::value& object : fetch_list(std::string(r.list_path), query, limit, offset))
            out.push_back(project(object.as_object(), &r, f.selection));
        return out;
    }

    /// Every object of a list path matching `query`, `limit` at most, from `offset`, page by page.
    json::array fetch_list(const std::string& path, const query_params& query, std::size_t limit, std::size_t offset)
    {
        json::array objects;
        while (objects.size() < limit) {
            query_params page = query;
            page.emplace_back("limit", limit == unlimited ? "0" : std::to_string(limit - objects.size()));  // 0: MAX_PAGE_SIZE
            page.emplace_back("offset", std::to_string(offset + objects.size()));
            const std::optional<json::value> answer = schema_.fetch(path, page);
            if (!answer || !answer->is_object())
                throw query_error("The list " + path + " could not be read.");
            const json::array& results = answer->at("results").as_array();
            for (std::size_t i = 0; i < results.size() && objects.size() < limit; ++i)
                objects.push_back(results[i]);
            const json::value* next = answer->get_object().if_contains("next");
            if (results.empty() || !next || next->is_null())
                break;
        }
        return objects;
    }

    void add_filters(query_params& query, const model::resource& r, const value& filters)
    {
        if (filters.type == value::kind::null)
            return;
        if (filters.type != value::kind::object)
            throw query_error("Argument 'filters' takes an input object, got: " + print(filters) + ".", filters.at);
        for (const auto& [name, v] : filters.fields) {
            const model::field* described = r.find_field(name);
            if (v.type != value::kind::object) {
                add_values(query, name, v, described);
                continue;
            }
            if (schema_.bare_enum_filters && described && described->kind == model::field_kind::choice)
                throw query_error(enum_refusal(r, name, v), v.at);
            for (const auto& [lookup, operand] : v.fields) {
                if (lookup == "is_null") {
                    const bool is_null = operand.text == "true";
                    query.emplace_back(is_null ? name : name + "__n", "null");
                    continue;
                }
                const auto known = std::ranges::find(lookup_suffixes, lookup, &std::pair<std::string_view, std::string_view>::first);
                if (known == std::end(lookup_suffixes))
                    throw query_error("netbox-sim does not support the filter lookup '" + lookup + "'.", operand.at);
                add_values(query, name + std::string(known->second), operand, described);
            }
        }
    }

    /// graphql-core's refusal of an object where a bare enum is expected (NetBox before 4.5).
    static std::string enum_refusal(const model::resource& r, const std::string& name, const value& given)
    {
        std::string text = "Enum '" + model_name(r) + camel_case(name) + "Enum' cannot represent non-enum value: "
                           + print(given) + ".";
        for (const auto& [lookup, operand] : given.fields)
            if (operand.type == value::kind::enumeration)
                return text + " Did you mean the enum value '" + operand.text + "'?";
        return text;
    }

    void add_values(query_params& query, const std::string& parameter, const value& v, const model::field* described)
    {
        if (v.type == value::kind::list) {
            for (const value& item : v.items)
                query.emplace_back(parameter, scalar(item, described));
        } else {
            query.emplace_back(parameter, scalar(v, described));
        }
    }

    /// A resolved scalar as REST filter text; enums become the choice value they name.
    static std::string scalar(const value& v, const model::field* described)
    {
        switch (v.type) {
        case value::kind::null:
            return "null";
        case value::kind::list:
        case value::kind::object:
            throw query_error("netbox-sim expected a scalar here, got: " + print(v) + ".", v.at);
        case value::kind::enumeration:
        case value::kind::string:
            return described ? choice_value(v, *described) : v.text;
        default:
            return v.text;
        }
    }

    /// `STATUS_ACTIVE` of field `status` → "active". Strings naming no choice are kept as they are.
    static std::string choice_value(const value& v, const model::field& f)
    {
        const std::string prefix = enum_suffix(f.name) + "_";
        for (const model::choice_value& c : f.choices)
            if (v.text == prefix + enum_suffix(c.value))
                return std::string(c.value);
        if (v.type != value::kind::enumeration)
            return v.text;
        std::string text = v.text.starts_with(prefix) ? v.text.substr(prefix.size()) : v.text;
        for (char& c : text)
            c = char(std::tolower(static_cast<unsigned char>(c)));
        return text;
    }

    /// The selected fields of a REST object, the GraphQL way.
    json::object project(const json::object& object, const model::resource* r, const std::vector<field>& selection)
    {
        json::object out;
        for (const field& f : selection) {
            if (f.name == "__typename") {
                out[f.key()] = type_name(r);
            } else if (const json::value* v = object.if_contains(f.name)) {
                out[f.key()] = project_value(*v, f);
            } else if (const model::resource* related = r ? related_resource(schema_.api, *r, f.name) : nullptr) {
                out[f.key()] = reverse_relation(object, *r, *related, f);
            } else {
                throw query_error("Cannot query field '" + f.name + "' on type '" + type_name(r) + "'.", f.at);
            }
        }
        return out;
    }

    json::value project_value(const json::value& v, const field& f)
    {
        if (f.name == "id" && v.is_number())
            return json::string(json::serialize(v));
        if (v.is_array() && !f.selection.empty()) {
            json::array items;
            for (const json::value& item : v.as_array())
                items.push_back(item.is_object() ? project_value(item, f) : item);
            return items;
        }
        if (!v.is_object())
            return v;
        const json::object& o = v.get_object();
        if (is_choice(o)) {
            if (!f.selection.empty())
                throw query_error("Field '" + f.name + "' must not have a selection since its type has no subfields.", f.at);
            return o.at("value");
        }
        if (!is_related(o))
            return v;  // custom fields, JSON data
        if (f.selection.empty())
            throw query_error("Field '" + f.name + "' must have a selection of subfields. Did you mean '" + f.name
                              + " { ... }'?", f.at);
        const std::string path = path_of(o.at("url").as_string());
        const model::resource* r = schema_.api.resource_for_path(path);
        return project(holds_selection(o, f.selection) ? o : detail(path, o), r, f.selection);
    }

    json::value reverse_relation(const json::object& parent, const model::resource& parent_resource,
                                 const model::resource& r, const field& f)
    {
        if (f.selection.empty())
            throw query_error("Field '" + f.name + "' must have a selection of subfields.", f.at);
        query_params query{{singular(parent_resource.name) + "_id", json::serialize(parent.at("id"))}};
        json::array out;
        for (const json::value& object : fetch_list(std::string(r.list_path), query, unlimited, 0))
            out.push_back(project(object.as_object(), &r, f.selection));
        return out;
    }

    static bool holds_selection(const json::object& o, const std::vector<field>& selection)
    {
        return std::ranges::all_of(selection, [&](const field& f) { return f.name == "__typename" || o.contains(f.name); });
    }

    /// The full object behind a nested one, fetched once per query.
    const json::object& detail(const std::string& path, const json::object& nested)
    {
        auto [it, inserted] = details_.try_emplace(path);
        if (inserted) {
            std::optional<json::value> full = schema_.fetch(path, {});
            it->second = full && full->is_object() ? std::move(full->get_object()) : nested;
        }
        return it->second;
    }

    /// `v` with every variable replaced by its value (or its default).
    value resolve(const value& v) const
    {
        if (v.type == value::kind::variable) {
            const auto definition = std::ranges::find(definitions_, v.text, &variable_definition::name);
            if (definition == definitions_.end())
                throw query_error("Variable '$" + v.text + "' is not defined.", v.at);
            if (const json::value* given = variables_.if_contains(v.text))
                return from_json(*given, v.at);
            if (definition->default_value)
                return resolve(*definition->default_value);
            if (definition->type.ends_with('!'))
                throw query_error("Variable '$" + v.text + "' of required type '" + definition->type
                                  + "' was not provided.", v.at);
            value absent;
            absent.at = v.at;
            return absent;
        }
        value out = v;
        for (value& item : out.items)
            item = resolve(item);
        for (auto& [key, item] : out.fields)
            item = resolve(item);
        return out;
    }

    static value from_json(const json::value& j, location at)
    {
        value v;
        v.at = at;
        if (j.is_bool()) {
            v.type = value::kind::boolean;
            v.text = j.get_bool() ? "true" : "false";
        } else if (j.is_int64() || j.is_uint64()) {
            v.type = value::kind::integer;
            v.text = json::serialize(j);
        } else if (j.is_double()) {
            v.type = value::kind::number;
            v.text = json::serialize(j);
        } else if (j.is_string()) {
            v.type = value::kind::string;
            v.text = j.get_string();
        } else if (j.is_array()) {
            v.type = value::kind::list;
            for (const json::value& item : j.get_array())
                v.items.push_back(from_json(item, at));
        } else if (j.is_object()) {
            v.type = value::kind::object;
            for (const auto& member : j.get_object())
                v.fields.emplace_back(std::string(member.key()), from_json(member.value(), at));
        }
        return v;
    }

    const schema& schema_;
    const json::object& variables_;
    const std::vector<variable_definition>& definitions_;
    std::map<std::string, json::object> details_;
};

json::object error_answer(const query_error& e)
{
    json::object error{{"message", e.what()}};
    if (e.at)
        error["locations"] = json::array{json::object{{"line", e.at->line}, {"column", e.at->column}}};
    if (!e.path.empty())
        error["path"] = e.path;
    return json::object{{"data", nullptr}, {"errors", json::array{std::move(error)}}};
}

}  // namespace

json::object execute(const schema& s, std::string_view query, const json::object& variables)
{
    try {
        const operation op = parse(query);
        executor run(s, variables, op);
        return json::object{{"data", run.run(op.selection)}};
    } catch (const query_error& e) {
        return error_answer(e);
    } catch (const std::exception& e) {
        return error_answer(query_error(e.what()));
    }
}

}  // namespace netbox::sim::graphql
