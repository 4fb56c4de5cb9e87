// netbox-cpp: choice_of<E>, a value of one of NetBox's choice sets. The generated enum E lists the
// values the schema knows; administrators can add their own (FIELD_CHOICES) and newer servers add
// more, so a choice keeps the value as sent even when E does not name it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

namespace netbox {

/// Specialised by generated code for every choice enum E:
///   static constexpr std::string_view values[] — the value of enumerator i+1 (i from 0)
///   static constexpr std::string_view name — the enum's name, for messages
///   static constexpr bool integer — the values are JSON integers ("10" is sent as 10)
/// Enumerator 0 is no value of the set: a choice holding a value E does not name reads as E{}.
template <class E>
struct choice_traits;

namespace detail {
/// Position of `raw` in `values` + 1, or 0.
std::size_t find_choice(std::span<const std::string_view> values, std::string_view raw) noexcept;
}  // namespace detail

template <class E>
class choice_of {
    static_assert(std::is_enum_v<E>);

public:
    using enum_type = E;

    choice_of() = default;  ///< no value (a required choice left like this fails validation)
    choice_of(E e) : value_(e), raw_(text_of(e)), set_(true) {}
    /// Any value, named by E or not ("active", a custom "retired", "10" for an integer set).
    static choice_of from_raw(std::string raw, std::string label = std::string()) {
        choice_of c;
        c.value_ = static_cast<E>(detail::find_choice(choice_traits<E>::values, raw));
        c.raw_ = std::move(raw);
        c.label_ = std::move(label);
        c.set_ = true;
        return c;
    }

    E value() const noexcept { return value_; }
    /// The value as NetBox sends it (integers as text); empty when there is none.
    const std::string& raw() const noexcept { return raw_; }
    /// The label the server sent beside the value (responses only).
    const std::string& label() const noexcept { return label_; }
    bool is_set() const noexcept { return set_; }
    /// The value is one E names.
    bool is_known() const noexcept { return static_cast<std::size_t>(value_) != 0; }

    friend bool operator==(const choice_of& a, const choice_of& b) noexcept { return a.raw_ == b.raw_ && a.set_ == b.set_; }
    friend bool operator==(const choice_of& a, E e) noexcept { return a.is_known() && a.value_ == e; }

    /// The text of an enumerator ("" for E{}).
    static std::string_view text_of(E e) noexcept {
        const auto i = static_cast<std::size_t>(e);
        return i == 0 || i > std::size(choice_traits<E>::values) ? std::string_view() : choice_traits<E>::values[i - 1];
    }

private:
    E value_{};
    std::string raw_;
    std::string label_;
    bool set_ = false;  // the blank value "" of an optional choice is a value too
};

}  // namespace netbox
