#include "engine_render.hpp"

#include "engine_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>

#include <algorithm>

namespace netbox::sim::detail {
namespace {

using model::field_kind;

/// What writing a field takes.
enum class how : std::uint8_t {
    id,
    url,
    display_url,
    display,
    plain,            ///< the stored value, or the kind's default
    foreign_key,      ///< brief of the target
    foreign_keys,     ///< briefs of the targets
    choice,           ///< {value, label}
    custom_fields,    ///< one member per custom field definition of the resource
    generic,          ///< JSON where generic references ({object_type, object_id}) become briefs
    generic_relation, ///< `X` next to `X_type` and `X_id`: the brief of that object
    counter,          ///< `<things>_count`: records of another resource pointing here
    missing,          ///< a brief field the full model lacks
};

/// Tags are always nested with these fields (NetBox's NestedTagSerializer), whatever the
/// schema's brief form of tags says.
constexpr std::string_view nested_tag_fields[] = {"id", "url", "display_url", "display", "name", "slug", "color"};

/// Counters that NetBox computes only for lists of their own resource (annotations, not stored
/// counters): nested objects lack them, although the brief schema lists them. Some became stored
/// counters in a later release line (`until`, exclusive; empty: still annotations).
struct annotated_counter_entry {
    std::string_view resource;
    std::string_view field;
    std::string_view until;
};
constexpr annotated_counter_entry annotated_counters[] = {
    {"dcim.racks", "device_count", ""},
    {"dcim.device-types", "device_count", "4.5"},
    {"dcim.manufacturers", "devicetype_count", "4.5"},
};

bool annotated_counter(const store& s, const table& t, std::string_view field)
{
    const std::string_view version = s.api().version;
    return std::ranges::any_of(annotated_counters, [&](const annotated_counter_entry& c) {
        return c.resource == t.key() && c.field == field && (c.until.empty() || version < c.until);
    });
}

/// Prefixes that tell a counter's resource: "device_count" counts "devices".
std::string normalized(std::string_view name)
{
    std::string out;
    for (const char c : name)
        if (c != '-' && c != '_')
            out += c;
    return out;
}

bool is_counter_of(std::string_view field, std::string_view resource)
{
    if (!field.ends_with("_count"))
        return false;
    const std::string thing = normalized(field.substr(0, field.size() - 6));
    const std::string plural = normalized(resource);
    if (thing.empty())
        return false;
    return plural == thing + "s" || plural == thing + "es" ||
           (thing.back() == 'y' && plural == thing.substr(0, thing.size() - 1) + "ies");
}

/// The generic reference a JSON value holds, if it is one: {object_type, object_id}.
bool generic_reference(const json::value& v, std::string_view& type, std::int64_t& id)
{
    const json::object* o = v.if_object();
    const json::value* t = o ? o->if_contains("object_type") : nullptr;
    const json::value* i = o ? o->if_contains("object_id") : nullptr;
    if (!t || !i || !t->is_string() || !i->is_int64())
        return false;
    type = t->get_string();
    id = i->get_int64();
    return true;
}

void append_default(std::string& out, const model::field& f)
{
    const bool nullable = f.has(model::nullable);
    switch (f.kind) {
    case field_kind::string:
    case field_kind::date:
    case field_kind::date_time:
    case field_kind::uri: out += nullable ? "null" : "\"\""; break;
    case field_kind::integer: out += nullable ? "null" : "0"; break;
    case field_kind::number: out += nullable ? "null" : "0.0"; break;
    case field_kind::boolean: out += "false"; break;
    case field_kind::foreign_keys:
    case field_kind::tags:
    case field_kind::objects:
    case field_kind::list: out += "[]"; break;
    case field_kind::custom_fields: out += "{}"; break;
    case field_kind::json:
        out += f.name == "config_context" ? "{}" : nullable ? "null" : "[]";
        break;
    default: out += "null";
    }
}

}  // namespace

bool selection::wants(std::string_view field) const
{
    if (!only.empty() && std::ranges::find(only, field) == only.end())
        return false;
    return std::ranges::find(omit, field) == omit.end();
}

std::string display_of(const table& t, const record& r)
{
    const auto text = [&](std::string_view name) { return text_of(t.get(r, name)); };
    const auto has = [&](std::string_view name) { return t.index_of(name) != no_field; };
    if (has("vid") && has("name"))
        return text("name") + " (" + text("vid") + ")";
    if (has("asn") && !text("asn").empty())
        return "AS" + text("asn");
    if (has("start_address") && has("end_address"))
        return text("start_address") + "-" + text("end_address");
    for (const std::string_view name : {"name", "model", "address", "prefix", "label", "username", "slug"})
        if (has(name))
            if (std::string value = text(name); !value.empty())
                return value;
    if (t.key() == "dcim.cables")
        return "#" + std::to_string(r.id);
    return t.model_name() + " " + std::to_string(r.id);
}

std::string choice_label(const model::field& f, const json::value& value)
{
    const std::string text = text_of(value);
    for (const model::choice_value& c : f.choices)
        if (c.value == text)
            return std::string(c.label.empty() ? c.value : c.label);
    return text;
}

// --- plans ----------------------------------------------------------------------------------------

struct renderer::field_plan {
    std::string key;  ///< `"name": `, escaped once
    how what = how::plain;
    std::size_t index = no_field;
    const model::field* field = nullptr;
    const table* target = nullptr;
    reference counter;
    std::size_t type_index = no_field;  ///< generic_relation: `X_type` and `X_id`
    std::size_t id_index = no_field;
};

struct renderer::plan {
    std::vector<field_plan> fields;  ///< by field index
    std::vector<field_plan> brief;   ///< `?brief=1`
    std::vector<field_plan> nested;  ///< brief objects inside other objects
    std::string url_path;            ///< "/api/dcim/devices/"
    std::string display_url_path;    ///< "/dcim/devices/"
};

renderer::renderer(store& s) : store_(s) {}
renderer::~renderer() = default;

void renderer::set_base_url(std::string_view base_url)
{
    if (base_url == base_url_)
        return;
    base_url_ = base_url;
    store_.changed();
}

const renderer::plan& renderer::plan_of(const table& t)
{
    if (const auto found = plan_by_table_.find(&t); found != plan_by_table_.end())
        return *found->second;

    auto p = std::make_unique<plan>();
    const model::resource& r = t.resource();
    p->url_path = r.list_path;
    p->display_url_path = p->url_path.starts_with("/api/") ? p->url_path.substr(4) : p->url_path;

    const auto make = [&](std::string_view name) {
        field_plan fp;
        fp.key.clear();
        append_string(fp.key, name);
        fp.key += ':';
        fp.index = t.index_of(name);
        if (fp.index == no_field) {
            fp.what = name == "id" ? how::id : name == "url" ? how::url : name == "display" ? how::display : how::missing;
            return fp;
        }
        const model::field& f = t.field_at(fp.index);
        fp.field = &f;
        if (name == "id")
            fp.what = how::id;
        else if (name == "url")
            fp.what = how::url;
        else if (name == "display_url")
            fp.what = how::display_url;
        else if (name == "display")
            fp.what = how::display;
        else if (f.kind == field_kind::foreign_key || f.kind == field_kind::foreign_keys || f.kind == field_kind::tags) {
            fp.what = f.kind == field_kind::foreign_key ? how::foreign_key : how::foreign_keys;
            fp.target = store_.find(f.kind == field_kind::tags ? std::string_view("extras.tags") : f.target);
            if (fp.target == nullptr)
                fp.what = how::plain;
        } else if (f.kind == field_kind::choice)
            fp.what = how::choice;
        else if (f.kind == field_kind::custom_fields)
            fp.what = how::custom_fields;
        else if (f.kind == field_kind::json || f.kind == field_kind::objects) {
            fp.type_index = t.index_of(std::string(name) + "_type");
            fp.id_index = t.index_of(std::string(name) + "_id");
            fp.what = fp.type_index != no_field && fp.id_index != no_field ? how::generic_relation : how::generic;
        } else if (f.kind == field_kind::integer && f.has(model::read_only) && name.ends_with("_count")) {
            for (const reference& ref : store_.references_to(t))
                if (ref.source->field_at(ref.field).kind == field_kind::foreign_key &&
                    is_counter_of(name, ref.source->resource().name) &&
                    (fp.counter.source == nullptr || ref.source->resource().app == r.app))
                    fp.counter = ref;
            if (fp.counter.source != nullptr)
                fp.what = how::counter;
        }
        return fp;
    };
    for (const model::field& f : r.fields)
        p->fields.push_back(make(f.name));
    for (const std::string_view name : r.brief_fields)
        p->brief.push_back(make(name));
    if (p->brief.empty())
        for (const std::string_view name : {"id", "url", "display"})
            p->brief.push_back(make(name));
    if (t.key() == "extras.tags") {
        p->brief.clear();
        for (const std::string_view name : nested_tag_fields)
            p->brief.push_back(make(name));
    }
    for (const std::string_view name : r.brief_fields.empty() ? std::span<const std::string_view>{} : r.brief_fields)
        if (!annotated_counter(store_, t, name))
            p->nested.push_back(make(name));
    if (p->nested.size() == r.brief_fields.size())
        p->nested = p->brief;

    plan* raw = p.get();
    plans_.push_back(std::move(p));
    plan_by_table_.emplace(&t, raw);
    return *raw;
}

std::string renderer::url_of(const table& t, std::int64_t id) const
{
    std::string url = base_url_;
    url += t.resource().list_path;
    append_integer(url, id);
    url += '/';
    return url;
}

void renderer::brief_of(std::string& out, const table& t, std::int64_t id)
{
    if (const record* r = t.find(id))
        nested(out, t, *r);
    else
        out += "null";
}

// --- writing --------------------------------------------------------------------------------------

void renderer::write_object(std::string& out, const plan& p, const std::vector<field_plan>& fields, const table& t,
                            const record& r)
{
    out += '{';
    bool first = true;
    for (const field_plan& fp : fields) {
        if (!first)
            out += ',';
        first = false;
        out += fp.key;
        write_field(out, p, fp, t, r);
    }
    out += '}';
}

void renderer::brief(std::string& out, const table& t, const record& r)
{
    const plan& p = plan_of(t);
    if (p.nested.size() == p.brief.size())
        nested(out, t, r);
    else
        write_object(out, p, p.brief, t, r);
}

void renderer::nested(std::string& out, const table& t, const record& r)
{
    if (r.brief_generation != store_.generation()) {
        r.brief_text.clear();
        const plan& p = plan_of(t);
        write_object(r.brief_text, p, p.nested, t, r);
        r.brief_generation = store_.generation();
    }
    out += r.brief_text;
}

void renderer::full(std::string& out, const table& t, const record& r, const selection& s)
{
    if (!s.all()) {
        write_full(out, t, r, s);
        return;
    }
    if (r.full_generation != store_.generation()) {
        r.full_text.clear();
        write_full(r.full_text, t, r, s);
        r.full_generation = store_.generation();
    }
    out += r.full_text;
}

void renderer::write_full(std::string& out, const table& t, const record& r, const selection& s)
{
    const plan& p = plan_of(t);
    out += '{';
    bool first = true;
    for (const field_plan& fp : p.fields) {
        if (fp.field->has(model::write_only) || (!s.all() && !s.wants(fp.field->name)))
            continue;
        if (!first)
            out += ',';
        first = false;
        out += fp.key;
        write_field(out, p, fp, t, r);
    }
    out += '}';
}

void renderer::write_field(std::string& out, const plan& p, const field_plan& fp, const table& t, const record& r)
{
    static const json::value null;
    const json::value& v = fp.index != no_field ? r.values[fp.index] : null;

    switch (fp.what) {
    case how::id: append_integer(out, r.id); return;
    case how::url:
        out += '"';
        out += base_url_;
        out += p.url_path;
        append_integer(out, r.id);
        out += "/\"";
        return;
    case how::display_url:
        out += '"';
        out += base_url_;
        out += p.display_url_path;
        append_integer(out, r.id);
        out += "/\"";
        return;
    case how::display:
        if (v.is_string())
            append_string(out, v.get_string());
        else
            append_string(out, display_of(t, r));
        return;
    case how::missing: out += fp.key == "\"_depth\":" ? "0" : "null"; return;
    case how::foreign_key:
        if (v.is_int64())
            brief_of(out, *fp.target, v.get_int64());
        else
            out += "null";
        return;
    case how::foreign_keys: {
        out += '[';
        bool first = true;
        if (v.is_array())
            for (const json::value& id : v.get_array()) {
                const record* target = id.is_int64() ? fp.target->find(id.get_int64()) : nullptr;
                if (target == nullptr)
                    continue;
                if (!first)
                    out += ',';
                first = false;
                nested(out, *fp.target, *target);
            }
        out += ']';
        return;
    }
    case how::choice:
        if (v.is_null() || (v.is_string() && v.get_string().empty())) {
            out += "null";
            return;
        }
        out += "{\"value\":";
        append_value(out, v);
        out += ",\"label\":";
        append_string(out, choice_label(*fp.field, v));
        out += '}';
        return;
    case how::custom_fields: {
        out += '{';
        bool first = true;
        const table* definitions = store_.find("extras.custom-fields");
        for (const record* definition : store_.custom_fields_of(t)) {
            if (!first)
                out += ',';
            first = false;
            const std::string name = text_of(definitions->get(*definition, "name"));
            append_string(out, name);
            out += ':';
            const json::value* value = v.is_object() ? v.get_object().if_contains(name) : nullptr;
            append_value(out, value ? *value : null);
        }
        out += '}';
        return;
    }
    case how::generic_relation: {
        const json::value& type = r.values[fp.type_index];
        const json::value& id = r.values[fp.id_index];
        const table* target = type.is_string() ? store_.find_object_type(type.get_string()) : nullptr;
        if (target != nullptr && id.is_int64())
            brief_of(out, *target, id.get_int64());
        else if (v.is_null())
            append_default(out, *fp.field);
        else
            append_value(out, v);
        return;
    }
    case how::generic: {
        if (v.is_null()) {
            append_default(out, *fp.field);
            return;
        }
        const auto write_item = [&](const json::value& item, bool wrapped) {
            std::string_view type;
            std::int64_t id = 0;
            const table* target = generic_reference(item, type, id) ? store_.find_object_type(type) : nullptr;
            if (target == nullptr) {
                append_value(out, item);
            } else if (wrapped) {
                out += "{\"object_type\":";
                append_string(out, type);
                out += ",\"object_id\":";
                append_integer(out, id);
                out += ",\"object\":";
                brief_of(out, *target, id);
                out += '}';
            } else {
                brief_of(out, *target, id);
            }
        };
        const bool wrapped = fp.field->kind == field_kind::objects;
        if (v.is_array()) {
            out += '[';
            bool first = true;
            for (const json::value& item : v.get_array()) {
                if (!first)
                    out += ',';
                first = false;
                write_item(item, wrapped);
            }
            out += ']';
        } else {
            write_item(v, wrapped);
        }
        return;
    }
    case how::counter:
        if (v.is_null())
            append_integer(out, static_cast<std::int64_t>(store_.count_referencing(fp.counter, r.id)));
        else
            append_value(out, v);
        return;
    case how::plain:
        if (v.is_null())
            append_default(out, *fp.field);
        else
            append_value(out, v);
        return;
    }
}

}  // namespace netbox::sim::detail
