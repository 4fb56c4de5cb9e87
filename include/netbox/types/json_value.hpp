// netbox-cpp: json_value, an owned JSON value in a generated struct (custom_fields, config
// contexts, generic foreign keys, untyped fields). The header needs only boost/json/fwd.hpp;
// include <boost/json/value.hpp> to read or build the value.
#pragma once

#include <boost/json/fwd.hpp>

#include <memory>

namespace netbox {

class json_value {
public:
    json_value() noexcept;  ///< JSON null
    json_value(const boost::json::value& v);
    json_value(boost::json::value&& v);
    json_value(const json_value& other);
    json_value(json_value&& other) noexcept;
    json_value& operator=(const json_value& other);
    json_value& operator=(json_value&& other) noexcept;
    ~json_value();

    /// The value (JSON null when none was set).
    const boost::json::value& get() const noexcept;
    /// The value, for changing it in place.
    boost::json::value& get_mut();
    bool is_null() const noexcept;

    friend bool operator==(const json_value& a, const json_value& b) noexcept;

private:
    std::unique_ptr<boost::json::value> v_;  // null = JSON null
};

}  // namespace netbox
