#include <netbox/types/json_value.hpp>

#include <boost/json/value.hpp>

namespace netbox {
namespace json = boost::json;

namespace {
const json::value& null_value() noexcept {
    static const json::value v;
    return v;
}
}  // namespace

json_value::json_value() noexcept = default;
json_value::json_value(const json::value& v) {
    if (!v.is_null()) v_ = std::make_unique<json::value>(v);
}
json_value::json_value(json::value&& v) {
    if (!v.is_null()) v_ = std::make_unique<json::value>(std::move(v));
}
json_value::json_value(const json_value& other) : json_value(other.get()) {}
json_value::json_value(json_value&& other) noexcept = default;
json_value& json_value::operator=(const json_value& other) {
    if (this != &other) v_ = other.v_ ? std::make_unique<json::value>(*other.v_) : nullptr;
    return *this;
}
json_value& json_value::operator=(json_value&& other) noexcept = default;
json_value::~json_value() = default;

const json::value& json_value::get() const noexcept { return v_ ? *v_ : null_value(); }

json::value& json_value::get_mut() {
    if (!v_) v_ = std::make_unique<json::value>();
    return *v_;
}

bool json_value::is_null() const noexcept { return !v_ || v_->is_null(); }

bool operator==(const json_value& a, const json_value& b) noexcept { return a.get() == b.get(); }

}  // namespace netbox
