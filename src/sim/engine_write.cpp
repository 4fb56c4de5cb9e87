#include "engine_write.hpp"

#include "engine_dataset.hpp"
#include "engine_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/string.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <set>

namespace netbox::sim::detail {
namespace {

using model::field_kind;

constexpr std::string_view required_message = "This field is required.";
/// Required foreign keys named like this belong to their target: deleting it deletes them.
constexpr std::string_view cascading_fields[] = {"device", "virtual_machine", "module", "device_type",
                                                 "module_type", "circuit", "power_panel"};

/// Python's repr of a JSON value, as NetBox quotes request data in messages.
std::string python_repr(const json::value& v)
{
    switch (v.kind()) {
    case json::kind::null: return "None";
    case json::kind::bool_: return v.get_bool() ? "True" : "False";
    case json::kind::string: return "'" + std::string(v.get_string()) + "'";
    case json::kind::object: {
        std::string out = "{";
        for (const auto& member : v.get_object()) {
            if (out.size() > 1)
                out += ", ";
            out += "'" + std::string(member.key()) + "': " + python_repr(member.value());
        }
        return out + "}";
    }
    case json::kind::array: {
        std::string out = "[";
        for (const json::value& item : v.get_array()) {
            if (out.size() > 1)
                out += ", ";
            out += python_repr(item);
        }
        return out + "]";
    }
    default: return text_of(v);
    }
}

/// "DeviceRole" → "device role".
std::string verbose_name(std::string_view model_name)
{
    std::string out;
    for (std::size_t i = 0; i < model_name.size(); ++i) {
        const char c = model_name[i];
        const bool upper = c >= 'A' && c <= 'Z';
        const bool next_lower = i + 1 < model_name.size() && model_name[i + 1] >= 'a' && model_name[i + 1] <= 'z';
        if (upper && i > 0 && (next_lower || (model_name[i - 1] >= 'a' && model_name[i - 1] <= 'z')))
            out += ' ';
        out += upper && next_lower ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

/// Orders the members of an error object like the resource's fields, as DRF reports them.
void order_by_fields(const table& t, json::object& errors)
{
    std::vector<std::pair<std::string, json::value>> members;
    for (auto& member : errors)
        members.emplace_back(std::string(member.key()), std::move(member.value()));
    std::ranges::stable_sort(members, {}, [&](const auto& m) { return t.index_of(m.first); });
    errors.clear();
    for (auto& [key, value] : members)
        errors[key] = std::move(value);
}

void add_error(json::object& errors, std::string_view field, std::string_view message)
{
    json::value& slot = errors[field];
    if (!slot.is_array())
        slot = json::array{};
    slot.get_array().emplace_back(message);
}

std::string type_name(const json::value& v)
{
    switch (v.kind()) {
    case json::kind::string: return "str";
    case json::kind::object: return "dict";
    case json::kind::array: return "list";
    case json::kind::bool_: return "bool";
    case json::kind::double_: return "float";
    default: return "int";
    }
}

/// What DRF's IntegerField makes of a value: int(str(value)) with a trailing ".0" dropped. An
/// integer beyond int64 is too large or too small rather than invalid (Python has no such bound).
enum class integer_parse { ok, invalid, too_large, too_small };

integer_parse parse_integer(const json::value& v, std::int64_t& out)
{
    if (v.is_int64()) {
        out = v.get_int64();
        return integer_parse::ok;
    }
    if (v.is_uint64())
        return integer_parse::too_large;  // Boost.JSON keeps uint64 for what int64 cannot hold
    if (v.is_double()) {
        // str() of a float from 1e16 on is "1e+16", which int() refuses.
        const double d = v.get_double();
        if (std::floor(d) != d || std::fabs(d) >= 1e16)
            return integer_parse::invalid;
        out = static_cast<std::int64_t>(d);
        return integer_parse::ok;
    }
    if (!v.is_string())
        return integer_parse::invalid;
    std::string_view text = v.get_string();
    constexpr std::string_view space = " \t\n\r\v\f";
    text.remove_prefix(std::min(text.find_first_not_of(space), text.size()));
    text.remove_suffix(text.size() - std::min(text.find_last_not_of(space) + 1, text.size()));
    if (const std::size_t dot = text.rfind('.');
        dot != std::string_view::npos && text.find_first_not_of('0', dot + 1) == std::string_view::npos)
        text = text.substr(0, dot);
    const bool negative = text.starts_with('-');
    if (negative || text.starts_with('+'))
        text.remove_prefix(1);
    if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos)
        return integer_parse::invalid;
    std::uint64_t magnitude = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), magnitude);
    constexpr auto limit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (ec != std::errc{} || magnitude > limit + (negative ? 1 : 0))
        return negative ? integer_parse::too_small : integer_parse::too_large;
    out = negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
    return integer_parse::ok;
}

bool as_integer(const json::value& v, std::int64_t& out)
{
    return parse_integer(v, out) == integer_parse::ok;
}

/// NetBox's MinValueValidator/MaxValueValidator of integer fields (dcim/constants.py,
/// ipam/constants.py), which DRF reports as the field's min_value/max_value.
struct integer_bounds {
    std::string_view table;
    std::string_view field;
    std::int64_t min;
    std::int64_t max;
};

constexpr integer_bounds bounded_integers[] = {
    {"dcim.racks", "u_height", rack_units_min, rack_units_max},
    {"dcim.racks", "starting_unit", starting_unit_min, starting_unit_max},
    {"dcim.rack-types", "u_height", rack_units_min, rack_units_max},
    {"dcim.rack-types", "starting_unit", starting_unit_min, starting_unit_max},
    {"ipam.vlans", "vid", vlan_vid_min, vlan_vid_max},
    {"ipam.vlan-translation-rules", "local_vid", vlan_vid_min, vlan_vid_max},
    {"ipam.vlan-translation-rules", "remote_vid", vlan_vid_min, vlan_vid_max},
    {"ipam.asns", "asn", asn_min, asn_max},
    {"ipam.asn-ranges", "start", asn_min, asn_max},
    {"ipam.asn-ranges", "end", asn_min, asn_max},
};

const integer_bounds* bounds_of(const table& t, const model::field& f)
{
    const auto found = std::ranges::find_if(bounded_integers, [&](const integer_bounds& b) {
        return b.table == t.key() && b.field == f.name;
    });
    return found == std::end(bounded_integers) ? nullptr : found;
}

/// ipam.vlan-groups `vid_ranges`: IntegerRangeSerializer(many=True), [[lower, upper], ...].
bool is_integer_ranges(const table& t, const model::field& f)
{
    return t.key() == "ipam.vlan-groups" && f.name == "vid_ranges";
}

/// Validates a list of [lower, upper] pairs of JSON integers as IntegerRangeSerializer(many=True)
/// does; `detail` is the field's error as DRF nests it (a list of messages per item, {} for a good
/// one). Bounds and order are VLANGroup.clean()'s business (see writer::clean).
bool convert_integer_ranges(const json::value& in, json::value& out, json::value& detail)
{
    if (in.is_null()) {
        detail = json::array{"This field may not be null."};
        return false;
    }
    if (!in.is_array()) {
        detail = json::object{
            {"non_field_errors", json::array{"Expected a list of items but got type \"" + type_name(in) + "\"."}}};
        return false;
    }
    json::array items;
    bool failed = false;
    for (const json::value& item : in.get_array()) {
        const json::array* pair = item.if_array();
        // Python's type(x) is int: not a bool, a float or a string.
        const auto integral = [](const json::value& v) { return v.is_int64() || v.is_uint64(); };
        if (pair == nullptr || pair->size() != 2)
            items.emplace_back(json::array{"Ranges must be specified in the form (lower, upper)."});
        else if (!integral((*pair)[0]) || !integral((*pair)[1]))
            items.emplace_back(json::array{"Range boundaries must be defined as integers."});
        else
            items.emplace_back(json::object{});
        failed = failed || !items.back().is_object();
    }
    if (failed) {
        detail = std::move(items);
        return false;
    }
    out = in;
    return true;
}

/// A JSON integer for comparison with small bounds: beyond int64 (uint64) counts as int64's max.
std::int64_t saturated(const json::value& v)
{
    return v.is_int64() ? v.get_int64() : std::numeric_limits<std::int64_t>::max();
}

}  // namespace

std::string detail_body(std::string_view text)
{
    std::string out = "{\"detail\":";
    append_string(out, text);
    return out + "}";
}

std::string not_found_body(const table& t)
{
    return detail_body("No " + t.model_name() + " matches the given query.");
}

// --- validation -------------------------------------------------------------------------------------

bool writer::resolve_related(const table& target, const json::value& in, json::value& out, std::string& error)
{
    std::int64_t id = 0;
    if (!in.is_bool() && as_integer(in, id)) {
        if (target.find(id) == nullptr) {
            error = "Related object not found using the provided numeric ID: " + std::to_string(id);
            return false;
        }
        out = id;
        return true;
    }
    if (const json::object* attributes = in.if_object()) {
        std::vector<std::int64_t> found;
        for (const auto& r : target.rows()) {
            const bool all = std::ranges::all_of(*attributes, [&](const auto& member) {
                const json::value& stored =
                    member.key() == "id" ? json::value(r->id) : target.get(*r, member.key());
                return text_of(stored) == text_of(member.value());
            });
            if (all)
                found.push_back(r->id);
            if (found.size() > 1)
                break;
        }
        if (found.size() == 1) {
            out = found.front();
            return true;
        }
        error = (found.empty() ? "Related object not found using the provided attributes: "
                               : "Multiple objects match the provided attributes: ") +
                python_repr(in);
        return false;
    }
    // NetBox formats the value with str(): a string comes without quotes.
    error = "Related objects must be referenced by numeric ID or by dictionary of attributes. Received an "
            "unrecognized value: " +
            (in.is_string() ? std::string(in.get_string()) : python_repr(in));
    return false;
}

bool writer::convert(const table& t, const model::field& f, const json::value& in, json::value& out,
                     std::string& error)
{
    if (in.is_null()) {
        const bool allowed = f.has(model::nullable) || f.kind == field_kind::choice || f.kind == field_kind::json;
        if (!allowed) {
            error = "This field may not be null.";
            return false;
        }
        out = nullptr;
        return true;
    }
    switch (f.kind) {
    case field_kind::string:
    case field_kind::date:
    case field_kind::date_time:
    case field_kind::uri:
        if (in.is_object() || in.is_array() || in.is_bool()) {
            error = "Not a valid string.";
            return false;
        }
        out = json::value(text_of(in));
        if (out.get_string().empty() && f.has(model::required)) {
            error = "This field may not be blank.";
            return false;
        }
        if (!f.choices.empty() && !out.get_string().empty() &&
            std::ranges::none_of(f.choices, [&](const auto& c) { return c.value == out.get_string(); })) {
            error = text_of(in) + " is not a valid choice.";
            return false;
        }
        return true;
    case field_kind::integer: {
        std::int64_t value = 0;
        const integer_parse parsed = in.is_bool() ? integer_parse::invalid : parse_integer(in, value);
        const integer_bounds* bounds = bounds_of(t, f);
        if (parsed == integer_parse::invalid || (parsed != integer_parse::ok && bounds == nullptr)) {
            error = "A valid integer is required.";
            return false;
        }
        if (bounds != nullptr && (parsed == integer_parse::too_large || value > bounds->max)) {
            error = "Ensure this value is less than or equal to " + std::to_string(bounds->max) + ".";
            return false;
        }
        if (bounds != nullptr && (parsed == integer_parse::too_small || value < bounds->min)) {
            error = "Ensure this value is greater than or equal to " + std::to_string(bounds->min) + ".";
            return false;
        }
        out = value;
        return true;
    }
    case field_kind::number: {
        double value = 0;
        if (in.is_bool() || !number_of(in, value)) {
            error = "A valid number is required.";
            return false;
        }
        out = value;
        return true;
    }
    case field_kind::boolean: {
        if (in.is_bool()) {
            out = in;
            return true;
        }
        const std::string text = lower(text_of(in));
        if (text == "true" || text == "1" || text == "false" || text == "0") {
            out = text == "true" || text == "1";
            return true;
        }
        error = "Must be a valid boolean.";
        return false;
    }
    case field_kind::choice: {
        const std::string text = text_of(in);
        if (text.empty()) {
            out = nullptr;
            return true;
        }
        if (f.choices.empty()) {
            out = in;
            return true;
        }
        const auto found = std::ranges::find_if(f.choices, [&](const auto& c) { return c.value == text; });
        if (found == f.choices.end() || in.is_object() || in.is_array()) {
            error = text + " is not a valid choice.";
            return false;
        }
        std::int64_t number = 0;
        out = in.is_number() || !as_integer(json::value(text), number) ? in : json::value(number);
        if (in.is_string() && as_integer(in, number))
            out = number;  // integer choices ("4") are stored as numbers
        return true;
    }
    case field_kind::foreign_key: {
        const table* target = store_.find(f.target);
        if (target == nullptr) {
            out = in;
            return true;
        }
        return resolve_related(*target, in, out, error);
    }
    case field_kind::foreign_keys:
    case field_kind::tags: {
        if (!in.is_array()) {
            error = "Expected a list of items but got type \"" + type_name(in) + "\".";
            return false;
        }
        const table* target = store_.find(f.kind == field_kind::tags ? std::string_view("extras.tags") : f.target);
        json::array ids;
        for (const json::value& item : in.get_array()) {
            json::value id;
            if (target != nullptr && !resolve_related(*target, item, id, error))
                return false;
            ids.push_back(target != nullptr ? id : item);
        }
        if (f.kind == field_kind::tags && target != nullptr)
            std::ranges::sort(ids, {}, [&](const json::value& id) { return text_of(target->get(*target->find(id.get_int64()), "name")); });
        out = std::move(ids);
        return true;
    }
    case field_kind::custom_fields: {
        if (!in.is_object()) {
            error = "Invalid data. Expected a dictionary, but got " + type_name(in) + ".";
            return false;
        }
        const table* definitions = store_.find("extras.custom-fields");
        for (const auto& member : in.get_object()) {
            const bool known = definitions != nullptr &&
                               std::ranges::any_of(store_.custom_fields_of(t), [&](const record* d) {
                                   return text_of(definitions->get(*d, "name")) == member.key();
                               });
            if (!known) {
                error = "Unknown field name '" + std::string(member.key()) + "' in custom field data.";
                return false;
            }
        }
        out = in;
        return true;
    }
    default:
        out = in;
        return true;
    }
}

bool writer::stage(table& t, record& target, const json::object& item, write_mode mode, json::object& errors,
                   const std::vector<const record*>& batch)
{
    const std::size_t before = errors.size();
    for (const auto& member : item) {
        const std::size_t index = t.index_of(member.key());
        if (index == no_field)
            continue;  // unknown fields are ignored, as DRF does
        const model::field& f = t.field_at(index);
        if (f.has(model::read_only))
            continue;
        json::value converted;
        std::string error;
        if (is_integer_ranges(t, f)) {
            if (json::value detail; !convert_integer_ranges(member.value(), converted, detail)) {
                errors[f.name] = std::move(detail);
                continue;
            }
        } else if (!convert(t, f, member.value(), converted, error)) {
            add_error(errors, f.name, error);
            continue;
        }
        if (f.kind == field_kind::custom_fields && target.values[index].is_object() && converted.is_object()) {
            json::object merged = target.values[index].get_object();
            for (const auto& cf : converted.get_object())
                merged[cf.key()] = cf.value();
            converted = std::move(merged);
        }
        target.values[index] = std::move(converted);
    }
    if (mode != write_mode::partial)
        for (std::size_t i = 0; i < t.field_count(); ++i) {
            const model::field& f = t.field_at(i);
            if (f.has(model::required) && !f.has(model::read_only) && !item.contains(f.name))
                add_error(errors, f.name, required_message);
        }
    if (errors.size() == before) {
        clean(t, target, errors);
        check_unique(t, target, errors, batch);
    }
    order_by_fields(t, errors);
    return errors.size() == before;
}

void writer::clean(const table& t, const record& r, json::object& errors)
{
    if (t.key() == "ipam.vlan-groups") {  // VLANGroup.clean(): the first fault found
        const json::array* ranges = t.get(r, "vid_ranges").if_array();
        std::vector<std::pair<std::int64_t, std::int64_t>> bounds;
        static const json::array none;
        for (const json::value& range : ranges ? *ranges : none) {
            const json::array* pair = range.if_array();
            if (pair == nullptr || pair->size() != 2)
                continue;
            const json::value& lower = (*pair)[0];
            const json::value& upper = (*pair)[1];
            std::string message;
            if (saturated(lower) < vlan_vid_min)
                message = "Starting VLAN ID in range (" + text_of(lower) + ") cannot be less than " +
                          std::to_string(vlan_vid_min);
            else if (saturated(upper) > vlan_vid_max)
                message = "Ending VLAN ID in range (" + text_of(upper) + ") cannot exceed " + std::to_string(vlan_vid_max);
            else if (saturated(lower) > saturated(upper))
                message = "Ending VLAN ID in range must be greater than or equal to the starting VLAN ID (" +
                          text_of(lower) + "-" + text_of(upper) + ")";
            if (!message.empty()) {
                add_error(errors, "vid_ranges", message);
                return;
            }
            bounds.emplace_back(lower.get_int64(), upper.get_int64());
        }
        std::ranges::sort(bounds);
        for (std::size_t i = 1; i < bounds.size(); ++i)
            if (bounds[i - 1].second >= bounds[i].first) {
                add_error(errors, "vid_ranges", "Ranges cannot overlap.");
                return;
            }
    }
    if (t.key() == "ipam.asn-ranges") {  // ASNRange.clean()
        const json::value& start = t.get(r, "start");
        const json::value& end = t.get(r, "end");
        if (start.is_int64() && end.is_int64() && end.get_int64() <= start.get_int64())
            add_error(errors, "__all__",
                      "Starting ASN (" + text_of(start) + ") must be lower than ending ASN (" + text_of(end) + ").");
    }
}

void writer::check_unique(const table& t, const record& r, json::object& errors,
                          const std::vector<const record*>& batch)
{
    const auto clashes = [&](const auto& same) {
        for (const auto& other : t.rows())
            if (other->id != r.id && same(*other))
                return true;
        return std::ranges::any_of(batch, [&](const record* other) { return other != &r && same(*other); });
    };
    const auto equal = [&](std::string_view field) {
        const std::size_t index = t.index_of(field);
        return [&, index](const record& other) {
            return !r.values[index].is_null() && text_of(other.values[index]) == text_of(r.values[index]);
        };
    };
    const bool has_slug = t.index_of("slug") != no_field;
    for (const std::string_view field : {"name", "slug"}) {
        if (t.index_of(field) == no_field || (field == "name" && !has_slug))
            continue;
        if (clashes(equal(field)))
            add_error(errors, field, verbose_name(t.model_name()) + " with this " + std::string(field) + " already exists.");
    }
    if (t.key() == "dcim.devices") {
        const auto name = equal("name");
        const auto site = equal("site");
        const std::size_t tenant = t.index_of("tenant");
        const bool clash = clashes([&](const record& other) {
            return name(other) && site(other) && text_of(other.values[tenant]) == text_of(r.values[tenant]);
        });
        if (clash)
            add_error(errors, "__all__", "Device name must be unique per site and tenant.");
    }
}

void writer::finish(table& t, record& r, bool created)
{
    const std::string now = store_.timestamp();
    if (created)
        t.set(r, "created", json::value(now));
    t.set(r, "last_updated", json::value(now));
    t.set(r, "display", json::value(display_of(t, r)));
}

// --- creates and updates ----------------------------------------------------------------------------

std::unique_ptr<record> writer::stage_create(table& t, const json::value& item, const json::object& defaults,
                                             json::object& errors)
{
    auto staged = t.make();
    for (const auto& member : defaults)
        t.set(*staged, member.key(), member.value());
    if (!item.is_object()) {
        add_error(errors, "non_field_errors", "Invalid data. Expected a dictionary, but got " + type_name(item) + ".");
        return nullptr;
    }
    json::object effective = item.get_object();
    for (const auto& member : defaults)
        if (!effective.contains(member.key()) && !t.field_at(t.index_of(member.key())).has(model::read_only))
            effective[member.key()] = member.value();
    return stage(t, *staged, effective, write_mode::create, errors, {}) ? std::move(staged) : nullptr;
}

write_result writer::commit_created(table& t, std::vector<std::unique_ptr<record>> staged, bool as_list)
{
    std::vector<record*> created;
    std::int64_t next = staged.empty() ? 0 : t.make()->id;
    for (auto& r : staged) {
        r->id = next++;
        finish(t, *r, true);
        created.push_back(&t.insert(std::move(r)));
    }
    for (record* r : created)
        if (t.key() == "dcim.cables") {
            const json::value& a = t.get(*r, "a_terminations");
            const json::value& b = t.get(*r, "b_terminations");
            if (a.is_array() && b.is_array())
                connect_cable_ends(store_, r->id, a.get_array(), b.get_array());
        }
    store_.changed();
    write_result result{201, {}, created.size()};
    if (as_list)
        result.body += '[';
    for (std::size_t i = 0; i < created.size(); ++i) {
        if (i > 0)
            result.body += ',';
        render_.full(result.body, t, *created[i]);
    }
    if (as_list)
        result.body += ']';
    return result;
}

write_result writer::create(table& t, const json::value& body)
{
    const bool bulk = body.is_array();
    json::array item_errors;
    bool failed = false;
    std::vector<std::unique_ptr<record>> staged;
    std::vector<const record*> batch;
    std::int64_t next = t.make()->id;
    const auto items = bulk ? body.get_array() : json::array{body};
    for (const json::value& item : items) {
        json::object errors;
        std::unique_ptr<record> r;
        if (!item.is_object()) {
            add_error(errors, "non_field_errors", "Invalid data. Expected a dictionary, but got " + type_name(item) + ".");
        } else {
            r = t.make();
            r->id = next++;
            if (!stage(t, *r, item.get_object(), write_mode::create, errors, batch))
                r.reset();
        }
        failed = failed || r == nullptr;
        item_errors.emplace_back(std::move(errors));
        if (r) {
            batch.push_back(r.get());
            staged.push_back(std::move(r));
        }
    }
    if (failed) {
        std::string text;
        append_value(text, bulk ? json::value(std::move(item_errors)) : item_errors.front());
        return {400, std::move(text), 0};
    }
    return commit_created(t, std::move(staged), bulk);
}

write_result writer::update(table& t, std::int64_t id, const json::value& body, write_mode mode)
{
    record* existing = t.find(id);
    if (existing == nullptr)
        return {404, not_found_body(t), 0};
    if (!body.is_object()) {
        json::object errors;
        add_error(errors, "non_field_errors", "Invalid data. Expected a dictionary, but got " + type_name(body) + ".");
        return {400, json_text(errors), 0};
    }
    record staged;
    staged.id = existing->id;
    staged.values = existing->values;
    json::object errors;
    if (!stage(t, staged, body.get_object(), mode, errors, {}))
        return {400, json_text(errors), 0};
    existing->values = std::move(staged.values);
    finish(t, *existing, false);
    store_.changed();
    write_result result{200, {}, 1};
    render_.full(result.body, t, *existing);
    return result;
}

write_result writer::bulk_update(table& t, const json::value& body, write_mode mode)
{
    if (!body.is_array())
        return {400, detail_body("Bulk update requires a list of objects."), 0};
    std::vector<std::pair<record*, record>> staged;
    json::array item_errors;
    bool failed = false;
    for (const json::value& item : body.get_array()) {
        json::object errors;
        std::int64_t id = 0;
        const json::value* id_value = item.is_object() ? item.get_object().if_contains("id") : nullptr;
        record* existing = id_value && as_integer(*id_value, id) ? t.find(id) : nullptr;
        if (!item.is_object())
            add_error(errors, "non_field_errors", "Invalid data. Expected a dictionary, but got " + type_name(item) + ".");
        else if (id_value == nullptr)
            add_error(errors, "id", required_message);
        else if (existing == nullptr)
            return {404, not_found_body(t), 0};
        if (errors.empty()) {
            record copy;
            copy.id = existing->id;
            copy.values = existing->values;
            if (stage(t, copy, item.get_object(), mode, errors, {}))
                staged.emplace_back(existing, std::move(copy));
        }
        failed = failed || !errors.empty();
        item_errors.emplace_back(std::move(errors));
    }
    if (failed)
        return {400, json_text(item_errors), 0};
    write_result result{200, "[", staged.size()};
    for (auto& [existing, copy] : staged) {
        existing->values = std::move(copy.values);
        finish(t, *existing, false);
    }
    store_.changed();
    for (std::size_t i = 0; i < staged.size(); ++i) {
        if (i > 0)
            result.body += ',';
        render_.full(result.body, t, *staged[i].first);
    }
    result.body += ']';
    return result;
}

// --- deletes ----------------------------------------------------------------------------------------

bool writer::protected_by(table& t, std::int64_t id, std::string& message)
{
    std::vector<std::string> blockers;
    for (const reference& ref : store_.references_to(t)) {
        const model::field& f = ref.source->field_at(ref.field);
        const bool cascades = std::ranges::find(cascading_fields, f.name) != std::end(cascading_fields);
        if (f.kind != field_kind::foreign_key || f.has(model::nullable) || cascades)
            continue;
        if (store_.count_referencing(ref, id) == 0)
            continue;
        for (const auto& r : ref.source->rows())
            if (const json::value& v = r->values[ref.field]; v.is_int64() && v.get_int64() == id)
                blockers.push_back(display_of(*ref.source, *r) + " (" + std::to_string(r->id) + ")");
    }
    if (blockers.empty())
        return false;
    message = "Unable to delete object. " + std::to_string(blockers.size()) + " dependent objects were found: ";
    for (std::size_t i = 0; i < blockers.size(); ++i)
        message += (i > 0 ? ", " : "") + blockers[i];
    return true;
}

void writer::erase(table& t, std::int64_t id)
{
    if (t.key() == "dcim.cables")
        if (record* cable = t.find(id)) {
            const json::value& a = t.get(*cable, "a_terminations");
            const json::value& b = t.get(*cable, "b_terminations");
            if (a.is_array() && b.is_array())
                connect_cable_ends(store_, 0, a.get_array(), b.get_array());
        }
    t.erase(id);
    for (const reference& ref : store_.references_to(t)) {
        const model::field& f = ref.source->field_at(ref.field);
        std::vector<std::int64_t> cascade;
        for (const auto& r : ref.source->rows()) {
            json::value& v = r->values[ref.field];
            if (v.is_int64() && v.get_int64() == id) {
                if (f.has(model::nullable) || f.kind != field_kind::foreign_key)
                    v = nullptr;
                else
                    cascade.push_back(r->id);
            } else if (v.is_array()) {
                auto& items = v.get_array();
                items.erase(std::remove_if(items.begin(), items.end(),
                                           [&](const json::value& item) { return item.is_int64() && item.get_int64() == id; }),
                            items.end());
            }
        }
        for (const std::int64_t dependent : cascade)
            erase(*ref.source, dependent);
    }
    store_.changed();
}

write_result writer::remove(table& t, std::int64_t id)
{
    if (t.find(id) == nullptr)
        return {404, not_found_body(t), 0};
    if (std::string message; protected_by(t, id, message))
        return {409, detail_body(message), 0};
    erase(t, id);
    return {204, {}, 0};
}

write_result writer::bulk_remove(table& t, const json::value& body)
{
    if (!body.is_array())
        return {400, detail_body("Bulk delete requires a list of objects."), 0};
    std::vector<std::int64_t> ids;
    json::array item_errors;
    bool failed = false;
    for (const json::value& item : body.get_array()) {
        json::object errors;
        std::int64_t id = 0;
        const json::value* id_value = item.is_object() ? item.get_object().if_contains("id") : nullptr;
        if (id_value == nullptr || !as_integer(*id_value, id))
            add_error(errors, "id", required_message);
        else if (t.find(id) == nullptr)
            return {404, not_found_body(t), 0};
        else
            ids.push_back(id);
        failed = failed || !errors.empty();
        item_errors.emplace_back(std::move(errors));
    }
    if (failed)
        return {400, json_text(item_errors), 0};
    for (const std::int64_t id : ids)
        if (std::string message; protected_by(t, id, message))
            return {409, detail_body(message), 0};
    for (const std::int64_t id : ids)
        erase(t, id);
    return {204, {}, 0};
}

}  // namespace netbox::sim::detail
