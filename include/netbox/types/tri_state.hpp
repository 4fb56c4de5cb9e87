// netbox-cpp: tri_state<T>, the value of a nullable field in a write request: left out of the
// request (unset), sent as JSON null, or sent as a value. A PATCH needs all three: unset keeps
// the server's value, null clears it.
#pragma once

#include <compare>
#include <concepts>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace netbox {

/// The JSON null of a tri_state or a filter: `.tenant = netbox::null`.
struct null_t {
    explicit constexpr null_t(int) noexcept {}
    friend constexpr bool operator==(null_t, null_t) noexcept { return true; }
};
inline constexpr null_t null{0};

template <class T>
class tri_state {
public:
    using value_type = T;

    constexpr tri_state() noexcept = default;
    constexpr tri_state(null_t) noexcept : null_(true) {}
    template <class U = T>
        requires std::constructible_from<T, U&&> && (!std::same_as<std::remove_cvref_t<U>, tri_state>) &&
                 (!std::same_as<std::remove_cvref_t<U>, null_t>)
    constexpr tri_state(U&& v) : value_(std::in_place, std::forward<U>(v)) {}
    /// An optional's value, or unset when it is empty.
    constexpr tri_state(std::optional<T> v) : value_(std::move(v)) {}

    constexpr bool is_unset() const noexcept { return !null_ && !value_; }
    constexpr bool is_null() const noexcept { return null_; }
    constexpr bool has_value() const noexcept { return value_.has_value(); }
    constexpr explicit operator bool() const noexcept { return has_value(); }

    constexpr const T& value() const& { return check(), *value_; }
    constexpr T& value() & { return check(), *value_; }
    constexpr T&& value() && { return check(), std::move(*value_); }
    constexpr const T& operator*() const& noexcept { return *value_; }
    constexpr T& operator*() & noexcept { return *value_; }
    constexpr const T* operator->() const noexcept { return &*value_; }
    constexpr T* operator->() noexcept { return &*value_; }

    template <class... A>
    constexpr T& emplace(A&&... a) {
        null_ = false;
        return value_.emplace(std::forward<A>(a)...);
    }
    constexpr void set_null() noexcept {
        value_.reset();
        null_ = true;
    }
    constexpr void reset() noexcept {
        value_.reset();
        null_ = false;
    }

    friend constexpr bool operator==(const tri_state&, const tri_state&) = default;
    friend constexpr bool operator==(const tri_state& a, null_t) noexcept { return a.null_; }

private:
    constexpr void check() const {
        if (!value_) throw std::logic_error(null_ ? "tri_state is null" : "tri_state is unset");
    }

    std::optional<T> value_;
    bool null_ = false;
};

}  // namespace netbox
