// The simulator's JSON text helpers: appending values to a string without building a DOM, with
// Python's spelling of floats (1.0, not 1E0) so the text reads like NetBox's.
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace netbox::sim::detail {

/// Appends `s` as a JSON string literal (quoted and escaped).
void append_string(std::string& out, std::string_view s);
void append_integer(std::string& out, std::int64_t v);
/// Shortest round-trip form, always with a fraction or exponent ("1.0", "0.5").
void append_number(std::string& out, double v);
/// Any JSON value, compact (as NetBox writes it: no spaces).
void append_value(std::string& out, const boost::json::value& v);
std::string json_text(const boost::json::value& v);

/// The value as text for comparisons: strings as they are, numbers and booleans spelled as in
/// a query string ("12", "true"), null as "".
std::string text_of(const boost::json::value& v);
/// The value as a number, or false when it is none (numeric strings count).
bool number_of(const boost::json::value& v, double& out);

/// Lower-cases ASCII.
std::string lower(std::string_view s);

}  // namespace netbox::sim::detail
