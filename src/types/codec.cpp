// The state of generated codecs (netbox/types/codec.hpp) and the primitives they call
// (types/codec_impl.hpp).
#include "types/codec_impl.hpp"

#include <netbox/model/api_model.hpp>

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <mutex>
#include <regex>
#include <unordered_map>

namespace netbox {
namespace detail {

std::size_t find_choice(std::span<const std::string_view> values, std::string_view raw) noexcept {
    for (std::size_t i = 0; i < values.size(); ++i)
        if (values[i] == raw) return i + 1;
    return 0;
}

std::string filter_text(std::string_view v) { return std::string(v); }
std::string filter_text(const char* v) { return std::string(v); }
std::string filter_text(std::int64_t v) { return std::to_string(v); }
std::string filter_text(bool v) { return v ? "true" : "false"; }
std::string filter_text(double v) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

}  // namespace detail

namespace codec {
namespace json = boost::json;

namespace {

/// A JSON pointer step: `~` and `/` escaped (RFC 6901).
void append_step(std::string& out, std::string_view key) {
    out += '/';
    for (char c : key) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
    }
}

}  // namespace

std::string json_path::pointer() const {
    std::string out;
    for (const auto& s : steps_) {
        if (s.key.empty()) append_step(out, std::to_string(s.index));
        else append_step(out, s.key);
    }
    return out;
}

std::string json_path::pointer(std::string_view last) const {
    std::string out = pointer();
    if (!last.empty()) append_step(out, last);
    return out;
}

void decoder::fail(const std::string& what, std::string_view key) const { throw decode_error(path_.pointer(key), what); }

void decoder::tolerate(const std::string& what, std::string_view key) {
    if (mode_ == decode_mode::strict) fail(what, key);
    notes_.push_back({path_.pointer(key), what});
}

void validator::add(const std::string& what, std::string_view key) { violations_.push_back({path_.pointer(key), what}); }

namespace impl {

namespace {

const char* kind_name(const json::value& v) {
    switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "a boolean";
    case json::kind::int64:
    case json::kind::uint64: return "an integer";
    case json::kind::double_: return "a number";
    case json::kind::string: return "a string";
    case json::kind::array: return "an array";
    case json::kind::object: return "an object";
    }
    return "a value";
}

[[noreturn]] void wrong_kind(const json::value& v, const char* expected, decoder& d) {
    d.fail(std::string("expected ") + expected + ", got " + kind_name(v));
}

}  // namespace

const json::object& object_of(const json::value& v, decoder& d) {
    if (const auto* o = v.if_object()) return *o;
    wrong_kind(v, "an object", d);
}

const json::array& array_of(const json::value& v, decoder& d) {
    if (const auto* a = v.if_array()) return *a;
    wrong_kind(v, "an array", d);
}

void read(const json::value& v, std::string& out, decoder& d) {
    const auto* s = v.if_string();
    if (!s) wrong_kind(v, "a string", d);
    out.assign(s->data(), s->size());
}

void read(const json::value& v, std::int64_t& out, decoder& d) {
    if (const auto* i = v.if_int64()) {
        out = *i;
        return;
    }
    if (const auto* u = v.if_uint64(); u && *u <= static_cast<std::uint64_t>(INT64_MAX)) {
        out = static_cast<std::int64_t>(*u);
        return;
    }
    if (const auto* f = v.if_double(); f && std::trunc(*f) == *f && std::abs(*f) < 9.2e18) {
        out = static_cast<std::int64_t>(*f);  // 42.0: some serializers write integers so
        return;
    }
    wrong_kind(v, "an integer", d);
}

void read(const json::value& v, double& out, decoder& d) {
    switch (v.kind()) {
    case json::kind::double_: out = v.get_double(); return;
    case json::kind::int64: out = static_cast<double>(v.get_int64()); return;
    case json::kind::uint64: out = static_cast<double>(v.get_uint64()); return;
    case json::kind::string: {
        // DRF's DecimalField answers decimals as strings ("1.50") unless COERCE_DECIMAL_TO_STRING is off.
        const auto& s = v.get_string();
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        if (ec == std::errc() && end == s.data() + s.size()) return;
        break;
    }
    default: break;
    }
    wrong_kind(v, "a number", d);
}

void read(const json::value& v, bool& out, decoder& d) {
    const auto* b = v.if_bool();
    if (!b) wrong_kind(v, "a boolean", d);
    out = *b;
}

void read(const json::value& v, json_value& out, decoder&) { out = json_value(v); }

void read(const json::value& v, std::array<std::int64_t, 2>& out, decoder& d) {
    const json::array& a = array_of(v, d);
    if (a.size() != 2) d.fail("expected a pair of integers, got " + std::to_string(a.size()) + " items");
    for (std::size_t i = 0; i < 2; ++i) {
        d.path().push(i);
        read(a[i], out[i], d);
        d.path().pop();
    }
}

void read(const json::value& v, ref& out, decoder& d) {
    if (v.is_object()) {
        out = ref::by(json_value(v));
        return;
    }
    std::int64_t id = 0;
    if (!v.is_int64() && !v.is_uint64()) wrong_kind(v, "an id or an object", d);
    read(v, id, d);
    out = ref(id);
}

void read(const json::value&, upload&, decoder& d) { d.fail("a file cannot be read from JSON"); }

namespace {

std::string choice_text_of(const json::value& v, decoder& d) {
    switch (v.kind()) {
    case json::kind::string: return std::string(v.get_string());
    case json::kind::int64: return std::to_string(v.get_int64());
    case json::kind::uint64: return std::to_string(v.get_uint64());
    default: wrong_kind(v, "a choice value (text or integer)", d);
    }
}

}  // namespace

void read_choice(const json::value& v, std::span<const std::string_view>, std::string& raw, std::string& label,
                 decoder& d) {
    if (const auto* o = v.if_object()) {
        const json::value* value = o->if_contains("value");
        if (!value) d.fail("a choice object without \"value\"");
        d.path().push(std::string_view("value"));
        raw = choice_text_of(*value, d);
        d.path().pop();
        if (const auto* l = o->if_contains("label"); l && l->is_string()) label = std::string(l->get_string());
        return;
    }
    raw = choice_text_of(v, d);
}

void fail_at_member(const decode_error& e, std::string_view key, decoder& d) {
    throw decode_error(d.path().pointer(key), e.reason());
}

void unexpected_null(std::string_view key, decoder& d) { d.tolerate("null, which the schema does not allow", key); }

void missing_member(std::string_view key, decoder& d) { d.fail("missing (the schema requires it)", key); }

void check_keys(const json::object& o, std::span<const std::string_view> keys, decoder& d) {
    for (const auto& kv : o) {
        const std::string_view k = kv.key();
        if (std::find(keys.begin(), keys.end(), k) == keys.end())
            d.fail("a member the schema does not list", k);
    }
}

// --- encoding ---------------------------------------------------------------------------------------

void write(const std::string& in, json::value& out) { out = json::string(in); }
void write(std::int64_t in, json::value& out) { out = in; }
void write(double in, json::value& out) { out = in; }
void write(bool in, json::value& out) { out = in; }
void write(const json_value& in, json::value& out) { out = in.get(); }
void write(const std::array<std::int64_t, 2>& in, json::value& out) { out = json::array{in[0], in[1]}; }
void write(const ref& in, json::value& out) {
    if (in.is_id()) out = in.id();
    else out = in.attributes().get();
}
void write(const upload& in, json::value& out) { out = json::string(in.filename); }

void write_choice(const std::string& raw, bool integer, json::value& out) {
    if (integer) {
        std::int64_t n = 0;
        auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), n);
        if (ec == std::errc() && end == raw.data() + raw.size() && !raw.empty()) {
            out = n;
            return;
        }
    }
    out = json::string(raw);
}

// --- validation -------------------------------------------------------------------------------------

namespace {

bool is_slug_pattern(std::string_view p) { return p == "^[-a-zA-Z0-9_]+$"; }

bool is_slug(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '_';
    });
}

/// Compiled patterns, once per process (the set is the schemas' few distinct ones).
bool matches(std::string_view pattern, const std::string& s) {
    static std::mutex mutex;
    static std::unordered_map<std::string, std::regex> cache;
    const std::regex* re = nullptr;
    {
        std::lock_guard lock(mutex);
        auto it = cache.find(std::string(pattern));
        if (it == cache.end()) it = cache.emplace(std::string(pattern), std::regex(std::string(pattern), std::regex::ECMAScript)).first;
        re = &it->second;  // node-based map: stable address
    }
    return std::regex_search(s, *re);
}

/// Code points, not bytes: Django counts characters.
std::int64_t utf8_length(const std::string& s) {
    return std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

std::string number_text(double d) {
    if (std::trunc(d) == d && std::abs(d) < 1e15) return std::to_string(static_cast<long long>(d));
    return detail::filter_text(d);
}

void check_bounds(double x, const rule& r, validator& v) {
    if (r.minimum && (r.exclusive_minimum ? x <= *r.minimum : x < *r.minimum))
        v.add("must be " + std::string(r.exclusive_minimum ? "greater than " : "at least ") + number_text(*r.minimum));
    if (r.maximum && (r.exclusive_maximum ? x >= *r.maximum : x > *r.maximum))
        v.add("must be " + std::string(r.exclusive_maximum ? "less than " : "at most ") + number_text(*r.maximum));
}

}  // namespace

void check_value(const std::string& in, const rule& r, validator& v) {
    if (r.min_length >= 0 || r.max_length >= 0) {
        const std::int64_t n = utf8_length(in);
        if (r.min_length == 1 && n == 0)
            v.add("may not be empty");
        else if (r.min_length >= 0 && n < r.min_length)
            v.add("must have at least " + std::to_string(r.min_length) + " characters (has " + std::to_string(n) + ")");
        if (r.max_length >= 0 && n > r.max_length)
            v.add("must have at most " + std::to_string(r.max_length) + " characters (has " + std::to_string(n) + ")");
    }
    if (!r.pattern.empty()) {
        const bool ok = is_slug_pattern(r.pattern) ? is_slug(in) : matches(r.pattern, in);
        if (!ok) v.add("does not match " + std::string(r.pattern));
    }
}

void check_value(std::int64_t in, const rule& r, validator& v) { check_bounds(static_cast<double>(in), r, v); }
void check_value(double in, const rule& r, validator& v) { check_bounds(in, r, v); }

void check_value(const ref& in, const rule&, validator& v) {
    if (in.is_id() && in.id() <= 0) v.add("must be a positive id");
    if (!in.is_id() && in.is_set() && !in.attributes().get().is_object()) v.add("must be an id or an object of attributes");
}

void check_choice(bool known, std::string_view raw, std::span<const std::string_view> values, bool allow_blank,
                  validator& v) {
    if (known || (allow_blank && raw.empty())) return;
    std::string list;
    for (std::size_t i = 0; i < values.size() && i < 12; ++i) {
        if (!list.empty()) list += ", ";
        list += values[i];
    }
    if (values.size() > 12) list += ", …";
    v.add("'" + std::string(raw) + "' is not one of " + list);
}

void check_items(std::size_t count, const rule& r, validator& v) {
    const auto n = static_cast<std::int64_t>(count);
    if (r.min_items >= 0 && n < r.min_items) v.add("must have at least " + std::to_string(r.min_items) + " items");
    if (r.max_items >= 0 && n > r.max_items) v.add("must have at most " + std::to_string(r.max_items) + " items");
}

void refuse_unset(validator& v) { v.add("is required"); }
void refuse_null(validator& v) { v.add("may not be null"); }

// --- query parameters -------------------------------------------------------------------------------

namespace {

std::string parameter_name(std::string_view name, lookup op) {
    const auto suffix = model::lookup_suffixes[static_cast<std::size_t>(op)];
    std::string key(name);
    if (!suffix.empty()) {
        key += "__";
        key += suffix;
    }
    return key;
}

}  // namespace

void write_filter(query_writer& q, std::string_view name, const filter_terms& f) {
    for (const auto& t : f.terms()) q.add(parameter_name(name, t.op), t.value);
}

void check_filter(validator& v, std::string_view name, const filter_terms& f, std::uint32_t allowed) {
    for (const auto& t : f.terms()) {
        if (allowed & (1u << static_cast<unsigned>(t.op))) continue;
        v.add("the filter does not accept the lookup '" +
              std::string(t.op == lookup::exact ? "exact" : model::lookup_suffixes[static_cast<std::size_t>(t.op)]) +
              "'", parameter_name(name, t.op));
    }
}

void write_list_options(query_writer& q, const std::optional<bool>& brief, const std::vector<std::string>& fields,
                        const std::vector<std::string>& omit, const std::vector<std::string>& exclude,
                        const std::optional<std::int64_t>& limit, const std::optional<std::int64_t>& offset,
                        const std::vector<std::string>& ordering,
                        const std::vector<std::pair<std::string, std::string>>& extra) {
    auto joined = [](const std::vector<std::string>& v) {
        std::string out;
        for (const auto& s : v) {
            if (!out.empty()) out += ',';
            out += s;
        }
        return out;
    };
    if (brief) q.add("brief", *brief ? "true" : "false");
    if (!fields.empty()) q.add("fields", joined(fields));
    if (!omit.empty()) q.add("omit", joined(omit));
    if (!exclude.empty()) q.add("exclude", joined(exclude));
    if (!ordering.empty()) q.add("ordering", joined(ordering));
    if (limit) q.add("limit", std::to_string(*limit));
    if (offset) q.add("offset", std::to_string(*offset));
    for (const auto& [k, val] : extra) q.add(k, val);
}

}  // namespace impl
}  // namespace codec
}  // namespace netbox
