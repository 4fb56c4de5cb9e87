// netbox-cpp: filter_of<T>, one filter family of a typed list call. NetBox accepts `name`,
// `name__n`, `name__ic`, `name__gte`, … for one field; a filter_of<T> member holds any of them:
//     .site = {"ber-dc1", "ams-dc2"}          exact values (repeated `site=` keys)
//     .name = netbox::ic("core")             one lookup
//     .id = {netbox::gte(100), netbox::lt(200)}    several lookups (all must hold)
// The generated list params know which lookups each field accepts; validation refuses others.
#pragma once

#include <netbox/types/tri_state.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace netbox {

/// The lookup suffixes NetBox filters accept (bit i = model::lookup bit i).
enum class lookup : std::uint8_t {
    exact, n, ic, nic, ie, nie, isw, nisw, iew, niew, regex, iregex, gt, gte, lt, lte, empty, before, after,
};

namespace detail {
std::string filter_text(std::string_view v);
std::string filter_text(const char* v);
std::string filter_text(std::int64_t v);
std::string filter_text(double v);
std::string filter_text(bool v);
}  // namespace detail

/// One `field__lookup=value` term, before it is bound to a field.
template <class T>
struct lookup_term {
    lookup op;
    T value;
};

/// The value type of a lookup term made from a T: text → std::string, integers → std::int64_t,
/// floating point → double, bool stays bool (so `{netbox::gte(100), netbox::lt(200)}` is a list of
/// filter<std::int64_t> terms).
template <class T, class D = std::decay_t<T>>
using filter_value_t = std::conditional_t<
    std::is_convertible_v<T, std::string_view>, std::string,
    std::conditional_t<std::is_same_v<D, bool>, bool,
                       std::conditional_t<std::is_integral_v<D>, std::int64_t,
                                          std::conditional_t<std::is_floating_point_v<D>, double, D>>>>;

#define NETBOX_LOOKUP_FUNCTION(name)                                                                   \
    template <class T>                                                                                 \
    lookup_term<filter_value_t<T>> name(T&& v) {                                                       \
        return {lookup::name, filter_value_t<T>(std::forward<T>(v))};                                  \
    }
NETBOX_LOOKUP_FUNCTION(n)
NETBOX_LOOKUP_FUNCTION(ic)
NETBOX_LOOKUP_FUNCTION(nic)
NETBOX_LOOKUP_FUNCTION(ie)
NETBOX_LOOKUP_FUNCTION(nie)
NETBOX_LOOKUP_FUNCTION(isw)
NETBOX_LOOKUP_FUNCTION(nisw)
NETBOX_LOOKUP_FUNCTION(iew)
NETBOX_LOOKUP_FUNCTION(niew)
NETBOX_LOOKUP_FUNCTION(regex)
NETBOX_LOOKUP_FUNCTION(iregex)
NETBOX_LOOKUP_FUNCTION(gt)
NETBOX_LOOKUP_FUNCTION(gte)
NETBOX_LOOKUP_FUNCTION(lt)
NETBOX_LOOKUP_FUNCTION(lte)
NETBOX_LOOKUP_FUNCTION(before)
NETBOX_LOOKUP_FUNCTION(after)
#undef NETBOX_LOOKUP_FUNCTION
/// `field__empty=true|false`.
inline lookup_term<bool> empty(bool v) { return {lookup::empty, v}; }

/// The terms of one filter family as text: what the query writer sends.
class filter_terms {
public:
    struct term {
        lookup op;
        std::string value;
        friend bool operator==(const term&, const term&) = default;
    };

    bool empty() const noexcept { return terms_.empty(); }
    const std::vector<term>& terms() const noexcept { return terms_; }
    void add_text(lookup op, std::string value) { terms_.push_back({op, std::move(value)}); }

    friend bool operator==(const filter_terms&, const filter_terms&) = default;

protected:
    std::vector<term> terms_;
};

template <class T>
class filter_of : public filter_terms {
public:
    filter_of() = default;
    /// Exact values: `.status = {"active", "planned"}`.
    filter_of(std::initializer_list<T> values) {
        for (const T& v : values) add(lookup::exact, v);
    }
    /// One exact value: `.site = "ber-dc1"`, `.site_id = 7`.
    template <class U>
        requires std::is_convertible_v<U&&, T> && (!std::is_same_v<std::remove_cvref_t<U>, filter_of>)
    filter_of(U&& v) {
        add(lookup::exact, T(std::forward<U>(v)));
    }
    /// Several lookups: `.id = {netbox::gte(100), netbox::lt(200)}`.
    filter_of(std::initializer_list<lookup_term<T>> terms) {
        for (const auto& t : terms) add(t.op, t.value);
    }
    /// One lookup: `.name = netbox::ic("core")`.
    template <class U>
        requires std::is_convertible_v<U, T>
    filter_of(lookup_term<U> t) {
        add(t.op, T(std::move(t.value)));
    }
    filter_of(lookup_term<bool> t)
        requires(!std::is_same_v<T, bool>)
    {
        add_text(t.op, detail::filter_text(t.value));
    }
    /// `field=null`: the field is empty (NetBox's spelling for foreign keys and choices).
    filter_of(null_t) { add_text(lookup::exact, "null"); }

    /// Adds a term: `f.and_(netbox::lt(200))`.
    template <class U>
    filter_of&& and_(lookup_term<U> t) && {
        add_term(std::move(t));
        return std::move(*this);
    }
    template <class U>
    filter_of& and_(lookup_term<U> t) & {
        add_term(std::move(t));
        return *this;
    }
    filter_of& add(lookup op, const T& v) {
        add_text(op, detail::filter_text(v));
        return *this;
    }

private:
    template <class U>
    void add_term(lookup_term<U> t) {
        if constexpr (std::is_same_v<U, bool>)
            add_text(t.op, detail::filter_text(t.value));
        else
            add(t.op, T(std::move(t.value)));
    }
};

}  // namespace netbox
