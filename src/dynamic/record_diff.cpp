// record: serialize() and updates(), the write form of a record and what save() sends.
//
// How a field is written comes from the API model when the record's endpoint and field are in it:
//   foreign_key, object       a nested object with an `id` → the id
//   foreign_keys, tags,
//   objects                   each nested object with an `id` → the id; compared as a set
//   choice                    `{value, label}` → value
//   custom_fields             per key: see custom_value()
//   json, list, the rest      as they are, compared by value
// Fields the model does not know (no model yet, plugins, newer NetBox) go by their name and shape:
// the model's JSON field names stay raw, an object with an integer `id` → the id, `{value, label}`
// → value, a list of objects that all have an integer `id` → the ids (compared as a set), anything
// else as it is.
#include "dynamic/state.hpp"

#include <algorithm>

namespace netbox {

namespace json = boost::json;

namespace {

enum class shape {
    raw,            ///< as it is, compared by value
    nested,         ///< a nested object → its id
    nested_list,    ///< nested objects → their ids, compared as a set
    choice,         ///< {value, label} → value
    custom_fields,  ///< per key
    guess,          ///< not in the model: by name and shape
};

/// Field names that hold free JSON in the API model (any release line); their content is never
/// collapsed, even when the model is unknown.
bool is_json_name(std::string_view name)
{
    static constexpr std::string_view names[] = {
        "config_context", "local_context_data", "data",       "environment_params", "parameters",
        "schema",         "vars",               "config",     "layout",             "conditions",
        "attributes",     "constraints",        "default",    "extra_choices",      "related_object_filter",
        "log_entries",    "prechange_data",     "postchange_data", "vid_ranges",    "custom_field_data",
    };
    return std::ranges::find(names, name) != std::end(names);
}

shape shape_of(const model::resource* r, std::string_view name)
{
    if (name == "custom_fields")
        return shape::custom_fields;
    const model::field* f = r ? r->find_field(name) : nullptr;
    if (f == nullptr)
        return is_json_name(name) ? shape::raw : name == "tags" ? shape::nested_list : shape::guess;
    switch (f->kind) {
    case model::field_kind::foreign_key:
    case model::field_kind::object:
        return shape::nested;
    case model::field_kind::foreign_keys:
    case model::field_kind::tags:
    case model::field_kind::objects:
        return shape::nested_list;
    case model::field_kind::choice:
        return shape::choice;
    case model::field_kind::custom_fields:
        return shape::custom_fields;
    default:
        return shape::raw;
    }
}

const json::value* id_of(const json::value& v) noexcept
{
    if (const json::object* o = v.if_object())
        if (const json::value* id = o->if_contains("id"); id && (id->is_int64() || id->is_uint64()))
            return id;
    return nullptr;
}

/// A non-empty list whose items are all nested objects with an id.
bool is_nested_list(const json::value& v) noexcept
{
    const json::array* a = v.if_array();
    return a && !a->empty() && std::ranges::all_of(*a, [](const json::value& item) { return id_of(item) != nullptr; });
}

json::value collapse_nested(const json::value& v)
{
    if (const json::value* id = id_of(v))
        return *id;
    return v;
}

json::value collapse_list(const json::value& v)
{
    const json::array* a = v.if_array();
    if (a == nullptr)
        return v;
    json::array out;
    out.reserve(a->size());
    for (const json::value& item : *a)
        out.push_back(collapse_nested(item));
    return out;
}

json::value collapse_choice(const json::value& v)
{
    if (const json::object* o = v.if_object(); o && !o->contains("id"))
        if (const json::value* value = o->if_contains("value"))
            return *value;
    return v;
}

json::value guess(const json::value& v)
{
    if (const json::value* id = id_of(v))
        return *id;
    if (const json::object* o = v.if_object(); o && o->size() == 2 && o->contains("value") && o->contains("label"))
        return o->at("value");
    if (is_nested_list(v))
        return collapse_list(v);
    return v;
}

/// A custom field's value as written: an object-type field's object → its id, a multi-object
/// field's objects → their ids; text, numbers, selections, multi-selections and JSON as they are.
json::value custom_value(const json::value& v)
{
    if (const json::value* id = id_of(v))
        return *id;
    if (is_nested_list(v))
        return collapse_list(v);
    return v;
}

json::value custom_fields_of(const json::value& v)
{
    const json::object* o = v.if_object();
    if (o == nullptr)
        return v;
    json::object out;
    out.reserve(o->size());
    for (const auto& [key, value] : *o)
        out.emplace(key, custom_value(value));
    return out;
}

json::value written(shape how, const json::value& v)
{
    switch (how) {
    case shape::nested:
        return collapse_nested(v);
    case shape::nested_list:
        return collapse_list(v);
    case shape::choice:
        return collapse_choice(v);
    case shape::custom_fields:
        return custom_fields_of(v);
    case shape::guess:
        return guess(v);
    case shape::raw:
        break;
    }
    return v;
}

/// Whether two written lists hold the same items, in any order.
bool same_set(const json::array& a, const json::array& b)
{
    if (a.size() != b.size())
        return false;
    const auto all_ints = [](const json::array& x) {
        return std::ranges::all_of(x, [](const json::value& v) { return v.is_int64() || v.is_uint64(); });
    };
    if (all_ints(a) && all_ints(b)) {
        std::vector<std::int64_t> x, y;
        x.reserve(a.size());
        y.reserve(b.size());
        for (const json::value& v : a)
            x.push_back(v.to_number<std::int64_t>());
        for (const json::value& v : b)
            y.push_back(v.to_number<std::int64_t>());
        std::ranges::sort(x);
        std::ranges::sort(y);
        return x == y;
    }
    std::vector<bool> used(b.size(), false);
    for (const json::value& v : a) {
        bool found = false;
        for (std::size_t i = 0; i < b.size() && !found; ++i)
            if (!used[i] && b[i] == v)
                used[i] = found = true;
        if (!found)
            return false;
    }
    return true;
}

/// Compares written values; `as_set` for lists of nested objects.
bool same(const json::value& now, const json::value& before, bool as_set)
{
    if (as_set && now.is_array() && before.is_array())
        return same_set(now.get_array(), before.get_array());
    // 1 and 1.0 are the same number to NetBox (u_height, weights).
    if (now.is_number() && before.is_number() && (now.is_double() || before.is_double()))
        return now.to_number<double>() == before.to_number<double>();
    return now == before;
}

}  // namespace

json::object record::serialize() const
{
    const model::resource* r = where_ ? where_->resource() : nullptr;
    json::object out;
    const auto add = [&](std::string_view name, const json::value& value) {
        out.insert_or_assign(name, written(shape_of(r, name), value));
    };
    if (data_)
        for (const auto& [name, value] : *data_)
            if (!edits_.contains(name))
                add(name, value);
    for (const auto& [name, value] : edits_)
        add(name, value);
    return out;
}

json::object record::updates() const
{
    const model::resource* r = where_ ? where_->resource() : nullptr;
    json::object out;
    // Only edited fields can differ: data_ is what was fetched and is never changed.
    for (const auto& [name, value] : edits_) {
        const json::value* fetched = data_ ? data_->if_contains(name) : nullptr;
        const shape how = shape_of(r, name);
        if (how == shape::custom_fields && value.is_object() && (fetched == nullptr || fetched->is_object())) {
            // NetBox merges custom_fields on PATCH: send the changed keys only. A key removed from
            // the object is not sent (set it to null to clear the field).
            const json::object* before = fetched ? &fetched->get_object() : nullptr;
            json::object changed;
            for (const auto& [key, now_value] : value.get_object()) {
                const json::value* was = before ? before->if_contains(key) : nullptr;
                json::value now = custom_value(now_value);
                if (was == nullptr) {
                    changed.emplace(key, std::move(now));
                    continue;
                }
                // Multi-object fields are sets of ids; multi-selections keep their order.
                const bool as_set = is_nested_list(now_value) || is_nested_list(*was);
                if (!same(now, custom_value(*was), as_set))
                    changed.emplace(key, std::move(now));
            }
            if (!changed.empty())
                out.emplace(name, std::move(changed));
            continue;
        }
        json::value now = written(how, value);
        if (fetched == nullptr) {
            out.emplace(name, std::move(now));
            continue;
        }
        const bool as_set = how == shape::nested_list || (how == shape::guess && (is_nested_list(value) || is_nested_list(*fetched)));
        if (!same(now, written(how, *fetched), as_set))
            out.emplace(name, std::move(now));
    }
    return out;
}

}  // namespace netbox
