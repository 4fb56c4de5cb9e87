#include "engine_query.hpp"

#include "engine_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <regex>

namespace netbox::sim::detail {
namespace {

using model::field_kind;

constexpr std::string_view control_parameters[] = {"limit", "offset", "ordering", "brief", "fields",
                                                  "omit", "exclude", "start", "format"};

/// Where a filter finds a record's values.
enum class source_kind : std::uint8_t {
    id,            ///< the record's id
    value,         ///< a stored scalar or choice value
    target_id,     ///< the id(s) a foreign key (list) holds
    target_label,  ///< slug and name of the target(s) of a foreign key (list)
    custom_field,  ///< one member of custom_fields
    search,        ///< every text field (`q`)
};

struct source {
    source_kind kind = source_kind::value;
    std::size_t index = no_field;
    const table* target = nullptr;
    std::string custom_field;
    /// Foreign keys followed first (`site_id` on interfaces goes through `device`).
    std::vector<std::pair<std::size_t, const table*>> hops;
};

struct condition {
    source from;
    std::uint32_t lookup = model::exact;  ///< the positive form
    bool negated = false;
    std::vector<std::string> values;
};

bool points_at_records(const model::field& f)
{
    return f.kind == field_kind::foreign_key || f.kind == field_kind::foreign_keys || f.kind == field_kind::tags;
}

const table* target_of(store& s, const model::field& f)
{
    return s.find(f.kind == field_kind::tags ? std::string_view("extras.tags") : f.target);
}

/// How `name` (a filter without its lookup) reads records of `t`; nullopt when it cannot.
std::optional<source> resolve(store& s, const table& t, std::string_view name, bool may_hop)
{
    source src;
    if (name == "id") {
        src.kind = source_kind::id;
        return src;
    }
    if (name == "q") {
        src.kind = source_kind::search;
        return src;
    }
    if (name.starts_with("cf_") && t.index_of("custom_fields") != no_field) {
        src.kind = source_kind::custom_field;
        src.index = t.index_of("custom_fields");
        src.custom_field = name.substr(3);
        return src;
    }
    const bool tag = name == "tag" || name == "tag_id";
    const std::string_view field_name = tag ? "tags" : name;
    if (const std::size_t index = t.index_of(field_name); index != no_field) {
        const model::field& f = t.field_at(index);
        src.index = index;
        if (points_at_records(f)) {
            src.target = target_of(s, f);
            src.kind = name == "tag_id" ? source_kind::target_id : source_kind::target_label;
        }
        return src;
    }
    if (name.ends_with("_id")) {
        const std::size_t index = t.index_of(name.substr(0, name.size() - 3));
        if (index != no_field && points_at_records(t.field_at(index))) {
            src.kind = source_kind::target_id;
            src.index = index;
            src.target = target_of(s, t.field_at(index));
            return src;
        }
    }
    if (!may_hop)
        return std::nullopt;
    for (std::size_t i = 0; i < t.field_count(); ++i) {
        const model::field& f = t.field_at(i);
        const table* target = f.kind == field_kind::foreign_key ? s.find(f.target) : nullptr;
        if (target == nullptr || target == &t)
            continue;
        if (auto inner = resolve(s, *target, name, false)) {
            inner->hops.insert(inner->hops.begin(), {i, target});
            return inner;
        }
    }
    return std::nullopt;
}

void collect(const table& t, const record& r, const source& src, std::size_t hop, std::vector<json::value>& out)
{
    if (hop < src.hops.size()) {
        const auto& [index, target] = src.hops[hop];
        const json::value& id = r.values[index];
        if (const record* next = id.is_int64() ? target->find(id.get_int64()) : nullptr)
            collect(*target, *next, src, hop + 1, out);
        else
            out.emplace_back(nullptr);
        return;
    }
    switch (src.kind) {
    case source_kind::id: out.emplace_back(r.id); return;
    case source_kind::value: out.push_back(r.values[src.index]); return;
    case source_kind::target_id: {
        const json::value& v = r.values[src.index];
        if (v.is_array())
            for (const json::value& item : v.get_array())
                out.push_back(item);
        else
            out.push_back(v);
        return;
    }
    case source_kind::target_label: {
        const json::value& v = r.values[src.index];
        const auto add = [&](const json::value& id) {
            if (const record* target = id.is_int64() ? src.target->find(id.get_int64()) : nullptr) {
                for (const std::string_view label : {"slug", "name", "model"})
                    if (const json::value& text = src.target->get(*target, label); !text.is_null())
                        out.push_back(text);
            }
        };
        if (v.is_array())
            for (const json::value& item : v.get_array())
                add(item);
        else
            add(v);
        return;
    }
    case source_kind::custom_field: {
        const json::value& v = r.values[src.index];
        const json::value* member = v.is_object() ? v.get_object().if_contains(src.custom_field) : nullptr;
        out.push_back(member ? *member : json::value());
        return;
    }
    case source_kind::search:
        for (std::size_t i = 0; i < t.field_count(); ++i)
            if (t.field_at(i).kind == field_kind::string && r.values[i].is_string())
                out.push_back(r.values[i]);
        return;
    }
}

bool is_blank(const json::value& v)
{
    return v.is_null() || (v.is_string() && v.get_string().empty()) || (v.is_array() && v.get_array().empty());
}

bool truthy(std::string_view text)
{
    const std::string l = lower(text);
    return l == "true" || l == "1" || l == "yes" || l == "on";
}

/// One stored value against one query value under a positive lookup.
bool matches(const json::value& v, const std::string& wanted, std::uint32_t lookup)
{
    if (wanted == "null" && (lookup == model::exact || lookup == model::ie))
        return is_blank(v);
    if (v.is_bool())
        return lookup == model::exact || lookup == model::ie ? v.get_bool() == truthy(wanted) : false;
    double stored = 0;
    double query = 0;
    const bool numeric = v.is_number() && number_of(json::value(wanted), query) && number_of(v, stored);
    const std::string text = text_of(v);
    switch (lookup) {
    case model::exact: return numeric ? stored == query : text == wanted;
    case model::ie: return lower(text) == lower(wanted);
    case model::ic: return lower(text).find(lower(wanted)) != std::string::npos;
    case model::isw: return lower(text).starts_with(lower(wanted));
    case model::iew: return lower(text).ends_with(lower(wanted));
    case model::gt:
    case model::after: return numeric ? stored > query : !v.is_null() && text > wanted;
    case model::gte: return numeric ? stored >= query : !v.is_null() && text >= wanted;
    case model::lt:
    case model::before: return numeric ? stored < query : !v.is_null() && text < wanted;
    case model::lte: return numeric ? stored <= query : !v.is_null() && text <= wanted;
    case model::regex:
    case model::iregex:
        try {
            const auto flags = lookup == model::iregex ? std::regex::ECMAScript | std::regex::icase : std::regex::ECMAScript;
            return std::regex_search(text, std::regex(wanted, flags));
        } catch (const std::regex_error&) {
            return false;
        }
    default: return false;
    }
}

/// The positive form of a negated lookup ("nic" → ic), or 0 when `bit` is not negated.
std::uint32_t positive_of(std::uint32_t bit)
{
    switch (bit) {
    case model::n: return model::exact;
    case model::nic: return model::ic;
    case model::nie: return model::ie;
    case model::nisw: return model::isw;
    case model::niew: return model::iew;
    default: return 0;
    }
}

bool accepts(const condition& c, const table& t, const record& r, std::vector<json::value>& scratch)
{
    scratch.clear();
    collect(t, r, c.from, 0, scratch);
    if (c.lookup == model::empty) {
        const bool blank = std::ranges::all_of(scratch, is_blank);
        return c.values.empty() || blank == truthy(c.values.back());
    }
    bool any = false;
    for (const std::string& wanted : c.values) {
        if (scratch.empty() && wanted == "null")
            any = true;
        for (const json::value& v : scratch)
            any = any || matches(v, wanted, c.lookup);
        if (any)
            break;
    }
    return c.negated ? !any : any;
}

/// "name__ic" → {"name", ic}; "name" → {"name", exact}.
std::pair<std::string_view, std::uint32_t> split_lookup(std::string_view parameter)
{
    const std::size_t separator = parameter.rfind("__");
    if (separator != std::string_view::npos && separator > 0)
        if (const std::uint32_t bit = model::lookup_from_suffix(parameter.substr(separator + 2)); bit != 0)
            return {parameter.substr(0, separator), bit};
    return {parameter, model::exact};
}

std::vector<condition> conditions_of(store& s, const table& t, const query_parameters& query)
{
    std::map<std::string, condition> by_parameter;  // repeated keys: one condition, values OR'ed
    for (const auto& [key, value] : query) {
        if (is_control_parameter(key))
            continue;
        if (auto found = by_parameter.find(key); found != by_parameter.end()) {
            found->second.values.push_back(value);
            continue;
        }
        const auto [base, bit] = split_lookup(key);
        auto from = resolve(s, t, base, true);
        if (!from)
            continue;  // unknown filters are ignored
        condition c;
        c.from = std::move(*from);
        const std::uint32_t positive = positive_of(bit);
        c.negated = positive != 0;
        c.lookup = c.negated ? positive : c.from.kind == source_kind::search ? model::ic : bit;
        c.values.push_back(value);
        by_parameter.emplace(key, std::move(c));
    }
    std::vector<condition> conditions;
    for (auto& [key, c] : by_parameter)
        conditions.push_back(std::move(c));
    return conditions;
}

int compare_values(const json::value& a, const json::value& b)
{
    const auto rank = [](const json::value& v) { return v.is_null() ? 0 : v.is_number() || v.is_bool() ? 1 : 2; };
    if (rank(a) != rank(b))
        return rank(a) < rank(b) ? -1 : 1;
    if (rank(a) == 1) {
        const double x = a.is_bool() ? a.get_bool() : a.to_number<double>();
        const double y = b.is_bool() ? b.get_bool() : b.to_number<double>();
        return x < y ? -1 : x > y ? 1 : 0;
    }
    if (rank(a) == 2) {
        const std::string x = text_of(a);
        const std::string y = text_of(b);
        return x.compare(y) < 0 ? -1 : x == y ? 0 : 1;
    }
    return 0;
}

}  // namespace

bool is_control_parameter(std::string_view name)
{
    return std::ranges::find(control_parameters, name) != std::end(control_parameters);
}

std::vector<std::string> values_of(const query_parameters& query, std::string_view name)
{
    std::vector<std::string> values;
    for (const auto& [key, value] : query)
        if (key == name)
            values.push_back(value);
    return values;
}

const std::string* last_value(const query_parameters& query, std::string_view name)
{
    const std::string* found = nullptr;
    for (const auto& [key, value] : query)
        if (key == name)
            found = &value;
    return found;
}

std::vector<const record*> filter_records(store& s, const table& t, const query_parameters& query)
{
    const std::vector<condition> conditions = conditions_of(s, t, query);
    std::vector<const record*> out;
    if (conditions.empty()) {  // every record: one pass without per-record tests (large unfiltered lists)
        out.resize(t.rows().size());
        std::ranges::transform(t.rows(), out.begin(), [](const auto& r) { return static_cast<const record*>(r.get()); });
        return out;
    }
    std::vector<json::value> scratch;
    for (const auto& r : t.rows())
        if (std::ranges::all_of(conditions, [&](const condition& c) { return accepts(c, t, *r, scratch); }))
            out.push_back(r.get());
    return out;
}

void order_records(store& s, const table& t, std::vector<const record*>& records, std::string_view ordering)
{
    struct key {
        source from;
        bool descending;
    };
    std::vector<key> keys;
    while (!ordering.empty()) {
        const std::size_t comma = std::min(ordering.find(','), ordering.size());
        std::string_view name = ordering.substr(0, comma);
        ordering.remove_prefix(std::min(comma + 1, ordering.size()));
        const bool descending = name.starts_with('-');
        if (descending)
            name.remove_prefix(1);
        auto from = name.empty() ? std::nullopt : resolve(s, t, name, false);
        if (from && from->kind != source_kind::search && from->kind != source_kind::target_label)
            keys.push_back({std::move(*from), descending});
        else if (from && from->kind == source_kind::target_label)
            keys.push_back({source{source_kind::target_id, from->index, from->target, {}, {}}, descending});
    }
    if (keys.empty())
        return;
    std::vector<json::value> a;
    std::vector<json::value> b;
    std::ranges::stable_sort(records, [&](const record* x, const record* y) {
        for (const key& k : keys) {
            a.clear();
            b.clear();
            collect(t, *x, k.from, 0, a);
            collect(t, *y, k.from, 0, b);
            const int c = compare_values(a.empty() ? json::value() : a.front(), b.empty() ? json::value() : b.front());
            if (c != 0)
                return k.descending ? c > 0 : c < 0;
        }
        return false;
    });
}

std::string form_encode(std::string_view text)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '_' || c == '.' || c == '-' || c == '~')
            out += c;
        else if (c == ' ')
            out += '+';
        else {
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 0xf];
        }
    }
    return out;
}

std::optional<std::size_t> count_of(const std::string* text)
{
    if (text == nullptr)
        return std::nullopt;
    std::size_t value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc{} || end != text->data() + text->size())
        return std::nullopt;
    return value;
}

std::optional<std::size_t> page_size(const query_parameters& query, std::size_t default_size, std::size_t max_size)
{
    const std::optional<std::size_t> requested = count_of(last_value(query, "limit"));
    if (!requested)
        return default_size;
    if (max_size == 0)
        return *requested == 0 ? std::nullopt : requested;
    const std::size_t maximum = std::max(max_size, default_size);
    return *requested == 0 ? maximum : std::min(*requested, maximum);
}

std::size_t results_limit(const query_parameters& query, std::size_t default_size, std::size_t max_size)
{
    std::size_t limit = count_of(last_value(query, "limit")).value_or(default_size);
    if (limit == 0)
        limit = max_size;
    return max_size == 0 ? limit : std::min(limit, max_size);
}

std::string page_link(std::string_view url, const query_parameters& query,
                      const std::vector<std::pair<std::string, std::string>>& replace)
{
    std::map<std::string, std::vector<std::string>> sorted;
    for (const auto& [key, value] : query)
        sorted[key].push_back(value);
    for (const auto& [key, value] : replace) {
        if (value.empty())
            sorted.erase(key);
        else
            sorted[key] = {value};
    }
    std::string link(url);
    char separator = '?';
    for (const auto& [key, values] : sorted)
        for (const std::string& value : values) {
            link += separator;
            separator = '&';
            link += form_encode(key);
            link += '=';
            link += form_encode(value);
        }
    return link;
}

}  // namespace netbox::sim::detail
