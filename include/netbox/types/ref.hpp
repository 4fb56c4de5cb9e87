// netbox-cpp: ref, a foreign key in a write request. NetBox takes either the related object's
// id or a set of its attributes that names exactly one object (`{"name": "ber-dc1"}`); nearly
// every caller sends the id: `.site = 7`.
#pragma once

#include <netbox/types/json_value.hpp>

#include <cstdint>

namespace netbox {

class ref {
public:
    ref() noexcept = default;  ///< unset: a required reference left like this fails validation
    ref(std::int64_t id) noexcept : id_(id), kind_(kind::id) {}
    ref(int id) noexcept : ref(static_cast<std::int64_t>(id)) {}
    /// By attributes: a JSON object naming one object (`{"slug": "ber-dc1"}`).
    static ref by(json_value attributes) {
        ref r;
        r.attributes_ = std::move(attributes);
        r.kind_ = kind::attributes;
        return r;
    }

    bool is_set() const noexcept { return kind_ != kind::unset; }
    bool is_id() const noexcept { return kind_ == kind::id; }
    std::int64_t id() const noexcept { return id_; }
    const json_value& attributes() const noexcept { return attributes_; }

    friend bool operator==(const ref&, const ref&) = default;

private:
    enum class kind : unsigned char { unset, id, attributes };
    std::int64_t id_ = 0;
    json_value attributes_;
    kind kind_ = kind::unset;
};

}  // namespace netbox
