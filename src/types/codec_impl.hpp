// The primitives generated codecs call (src/v4_x/*.cpp). Internal: included by generated sources
// and the typed client only. Overloads by member type; the generated code is one call per member:
//
//     void decode(const json::value& in, brief_site& out, codec::decoder& d) {
//         const json::object& o = impl::object_of(in, d);
//         impl::member(o, "id", out.id, d, impl::required);
//         impl::member(o, "description", out.description, d, impl::optional_member);
//         if (d.mode() == codec::decode_mode::strict) impl::check_keys(o, brief_site_keys, d);
//     }
#pragma once

#include <netbox/types.hpp>

#include <boost/json/object.hpp>
#include <boost/json/array.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <concepts>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace netbox::codec::impl {

namespace json = boost::json;

// --- decoding -------------------------------------------------------------------------------------

/// How the schema declares a member of a response (or any decoded) object.
enum member_flags : unsigned {
    optional_member = 0,
    required = 1u << 0,  ///< listed in `required`: absent is an error in strict mode
    nullable = 1u << 1,  ///< `nullable: true`: null is a value, not a defect
};

const json::object& object_of(const json::value& v, decoder& d);
const json::array& array_of(const json::value& v, decoder& d);

void read(const json::value& v, std::string& out, decoder& d);
void read(const json::value& v, std::int64_t& out, decoder& d);
void read(const json::value& v, double& out, decoder& d);
void read(const json::value& v, bool& out, decoder& d);
void read(const json::value& v, json_value& out, decoder& d);
void read(const json::value& v, std::array<std::int64_t, 2>& out, decoder& d);
void read(const json::value& v, ref& out, decoder& d);
void read(const json::value& v, upload& out, decoder& d);  ///< always fails: no answer carries a file
/// Any choice: `{value, label}` (responses) or the bare value (requests), text or integer.
void read_choice(const json::value& v, std::span<const std::string_view> values, std::string& raw,
                 std::string& label, decoder& d);

template <class T>
concept generated_struct = requires(const json::value& v, T& t, decoder& d) { decode(v, t, d); };

template <class E>
void read(const json::value& v, choice_of<E>& out, decoder& d) {
    std::string raw, label;
    read_choice(v, choice_traits<E>::values, raw, label, d);
    out = choice_of<E>::from_raw(std::move(raw), std::move(label));
}

template <class T>
void read(const json::value& v, std::vector<T>& out, decoder& d);
template <class T>
void read(const json::value& v, std::optional<T>& out, decoder& d);
template <class T>
void read(const json::value& v, tri_state<T>& out, decoder& d);

template <generated_struct T>
void read(const json::value& v, T& out, decoder& d) {
    decode(v, out, d);
}

template <class T>
void read(const json::value& v, std::vector<T>& out, decoder& d) {
    const json::array& a = array_of(v, d);
    out.clear();
    out.reserve(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        d.path().push(i);
        read(a[i], out.emplace_back(), d);
        d.path().pop();
    }
}

template <class T>
void read(const json::value& v, std::optional<T>& out, decoder& d) {
    if (v.is_null()) {
        out.reset();
        return;
    }
    read(v, out.emplace(), d);
}

template <class T>
void read(const json::value& v, tri_state<T>& out, decoder& d) {
    if (v.is_null()) {
        out.set_null();
        return;
    }
    read(v, out.emplace(), d);
}

template <class T>
inline constexpr bool holds_null = false;
template <class T>
inline constexpr bool holds_null<std::optional<T>> = true;
template <class T>
inline constexpr bool holds_null<tri_state<T>> = true;
template <>
inline constexpr bool holds_null<json_value> = true;

/// A null the schema does not allow: tolerated (and noted) when lenient.
void unexpected_null(std::string_view key, decoder& d);
void missing_member(std::string_view key, decoder& d);

/// The member `key` of `o`, found through the decoder's hint when it is the one after the last
/// found (the usual case), else by lookup.
inline const json::value* find_member(const json::object& o, std::string_view key, decoder& d) {
    auto& h = d.hint();
    // In a new object the first member read is usually its first key.
    const std::size_t next = h.object == &o ? h.index + 1 : 0;
    if (next < o.size()) {
        const auto& kv = o.begin()[next];
        if (kv.key() == key) {
            h.object = &o;
            h.index = next;
            return &kv.value();
        }
    }
    auto it = o.find(key);
    if (it == o.end()) return nullptr;
    h.object = &o;
    h.index = static_cast<std::size_t>(it - o.begin());
    return &it->value();
}

/// Values decoded without descending into another object or array: their errors get the member's
/// key appended instead of pushing it on the path for every member.
template <class T>
inline constexpr bool is_leaf = std::is_arithmetic_v<T> || std::is_same_v<T, std::string>;
template <class E>
inline constexpr bool is_leaf<choice_of<E>> = true;
template <class T>
inline constexpr bool is_leaf<std::optional<T>> = is_leaf<T>;
template <class T>
inline constexpr bool is_leaf<tri_state<T>> = is_leaf<T>;

[[noreturn]] void fail_at_member(const decode_error& e, std::string_view key, decoder& d);

template <class T>
void member(const json::object& o, std::string_view key, T& out, decoder& d, unsigned flags) {
    const json::value* v = find_member(o, key, d);
    if (!v) {
        if ((flags & required) && d.mode() == decode_mode::strict) missing_member(key, d);
        return;
    }
    if (v->is_null() && !(flags & nullable)) {
        unexpected_null(key, d);  // throws when strict
        if constexpr (!holds_null<T>) return;  // keeps the default
    }
    if constexpr (is_leaf<T>) {
        try {
            read(*v, out, d);
        } catch (const decode_error& e) {
            fail_at_member(e, key, d);
        }
    } else {
        // A nested object moves the hint; this object's is put back for its next member.
        const decoder::lookup_hint saved = d.hint();
        d.path().push(key);
        read(*v, out, d);
        d.path().pop();
        d.hint() = saved;
    }
}

/// Strict mode: a key the schema does not list is an error.
void check_keys(const json::object& o, std::span<const std::string_view> keys, decoder& d);

// --- encoding -------------------------------------------------------------------------------------

void write(const std::string& in, json::value& out);
void write(std::int64_t in, json::value& out);
void write(double in, json::value& out);
void write(bool in, json::value& out);
void write(const json_value& in, json::value& out);
void write(const std::array<std::int64_t, 2>& in, json::value& out);
void write(const ref& in, json::value& out);
/// A file goes into a multipart part, not JSON: the typed client sends the request as form data and
/// this writes the file name only (what NetBox shows for such a field).
void write(const upload& in, json::value& out);
void write_choice(const std::string& raw, bool integer, json::value& out);

template <class E>
void write(const choice_of<E>& in, json::value& out) {
    write_choice(in.raw(), choice_traits<E>::integer, out);
}

template <class T>
concept encodable_struct = requires(const T& t, json::value& v) { encode(t, v); };

template <encodable_struct T>
void write(const T& in, json::value& out) {
    encode(in, out);
}

template <class T>
void write(const std::vector<T>& in, json::value& out) {
    json::array& a = out.emplace_array();
    a.reserve(in.size());
    for (const T& item : in) write(item, a.emplace_back(nullptr));
}

/// Is there anything to send for this member? (unset optionals, tri_states, refs and choices are left out)
template <class T>
bool is_present(const T&) {
    return true;
}
template <class T>
bool is_present(const std::optional<T>& v) {
    return v.has_value();
}
template <class T>
bool is_present(const tri_state<T>& v) {
    return !v.is_unset();
}
template <class E>
bool is_present(const choice_of<E>& v) {
    return v.is_set();
}
inline bool is_present(const ref& v) {
    return v.is_set();
}

template <class T>
void write(const std::optional<T>& in, json::value& out) {
    if (in) write(*in, out);
    else out = nullptr;
}
template <class T>
void write(const tri_state<T>& in, json::value& out) {
    if (in.has_value()) write(*in, out);
    else out = nullptr;
}

template <class T>
void member(json::object& o, std::string_view key, const T& in) {
    if (!is_present(in)) return;
    write(in, o[key]);
}

// --- validation -----------------------------------------------------------------------------------

/// The constraints of one request member (from the schema). Unset numbers mean "no limit".
struct rule {
    bool required = false;  ///< must be set (a ref, choice, optional or tri_state left unset is refused)
    bool nullable = true;   ///< may be null (a tri_state set to null)
    std::int64_t min_length = -1;
    std::int64_t max_length = -1;
    std::optional<double> minimum{};
    std::optional<double> maximum{};
    bool exclusive_minimum = false;
    bool exclusive_maximum = false;
    std::string_view pattern{};  ///< an ECMAScript regular expression; the slug pattern has a fast path
    std::int64_t min_items = -1;
    std::int64_t max_items = -1;
    bool allow_blank = false;  ///< a choice may be "" (the schema's enum lists it)
};

void check_value(const std::string& in, const rule& r, validator& v);
void check_value(std::int64_t in, const rule& r, validator& v);
void check_value(double in, const rule& r, validator& v);
inline void check_value(bool, const rule&, validator&) {}
inline void check_value(const json_value&, const rule&, validator&) {}
inline void check_value(const std::array<std::int64_t, 2>&, const rule&, validator&) {}
inline void check_value(const upload&, const rule&, validator&) {}
void check_value(const ref& in, const rule& r, validator& v);
void check_choice(bool known, std::string_view raw, std::span<const std::string_view> values, bool allow_blank,
                  validator& v);

template <class E>
void check_value(const choice_of<E>& in, const rule& r, validator& v) {
    check_choice(in.is_known(), in.raw(), choice_traits<E>::values, r.allow_blank, v);
}

template <class T>
concept validatable_struct = requires(const T& t, validator& v) { validate(t, v); };

template <validatable_struct T>
void check_value(const T& in, const rule&, validator& v) {
    validate(in, v);
}

void check_items(std::size_t count, const rule& r, validator& v);

template <class T>
void check_value(const std::vector<T>& in, const rule& r, validator& v) {
    check_items(in.size(), r, v);
    for (std::size_t i = 0; i < in.size(); ++i) {
        v.path().push(i);
        check_value(in[i], r, v);
        v.path().pop();
    }
}

void refuse_unset(validator& v);
void refuse_null(validator& v);

template <class T>
void check_present(const T& in, const rule& r, validator& v) {
    if (!is_present(in)) {
        if (r.required) refuse_unset(v);
        return;
    }
    check_value(in, r, v);
}
template <class T>
void check_present(const std::optional<T>& in, const rule& r, validator& v) {
    if (!in) {
        if (r.required) refuse_unset(v);
        return;
    }
    check_value(*in, r, v);
}
template <class T>
void check_present(const tri_state<T>& in, const rule& r, validator& v) {
    if (in.is_unset()) {
        if (r.required) refuse_unset(v);
    } else if (in.is_null()) {
        if (!r.nullable) refuse_null(v);
    } else {
        check_value(*in, r, v);
    }
}

/// Validates member `key` of a request struct against `r`.
template <class T>
void check(validator& v, std::string_view key, const T& in, const rule& r) {
    v.path().push(key);
    check_present(in, r, v);
    v.path().pop();
}

// --- query parameters -----------------------------------------------------------------------------

/// Writes the terms of filter family `name` (`name`, `name__ic`, …), refusing lookups not in
/// `allowed` (a model::lookup mask) into `v` when given.
void write_filter(query_writer& q, std::string_view name, const filter_terms& f);
void check_filter(validator& v, std::string_view name, const filter_terms& f, std::uint32_t allowed);

/// The options every list params struct ends with (brief, fields, omit, exclude, limit, offset,
/// ordering, extra), as query parameters.
void write_list_options(query_writer& q, const std::optional<bool>& brief, const std::vector<std::string>& fields,
                        const std::vector<std::string>& omit, const std::vector<std::string>& exclude,
                        const std::optional<std::int64_t>& limit, const std::optional<std::int64_t>& offset,
                        const std::vector<std::string>& ordering,
                        const std::vector<std::pair<std::string, std::string>>& extra);

}  // namespace netbox::codec::impl
