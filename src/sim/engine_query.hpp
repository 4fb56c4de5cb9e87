// List queries: NetBox's filter parameters (exact, lookups, foreign keys by id and by slug or
// name, tags, custom fields, `q`), ordering, and the links of offset pagination.
#pragma once

#include "engine_store.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netbox::sim::detail {

using query_parameters = std::vector<std::pair<std::string, std::string>>;

/// True for parameters that shape the answer rather than filter it (limit, offset, brief, ...).
bool is_control_parameter(std::string_view name);

/// The values of a parameter, in order.
std::vector<std::string> values_of(const query_parameters& query, std::string_view name);
/// The last value of a parameter, or null when absent.
const std::string* last_value(const query_parameters& query, std::string_view name);

/// The records of `t` that every filter of `query` accepts (parameters it cannot evaluate are
/// ignored, as NetBox ignores unknown ones), in id order.
std::vector<const record*> filter_records(store& s, const table& t, const query_parameters& query);

/// Sorts by the comma-separated `ordering` ("name,-id"); unknown fields are ignored, ties go by id.
void order_records(store& s, const table& t, std::vector<const record*>& records, std::string_view ordering);

/// `url` + "?" + the query with `replace` set (or removed when its value is empty), keys sorted
/// and form-encoded, as Django REST framework builds next/previous links.
std::string page_link(std::string_view url, const query_parameters& query,
                      const std::vector<std::pair<std::string, std::string>>& replace);

/// Form-encoding of one key or value (space as '+', everything else but [A-Za-z0-9_.~-] as %XX).
std::string form_encode(std::string_view text);

}  // namespace netbox::sim::detail
