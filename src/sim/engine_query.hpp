// List queries: NetBox's filter parameters (exact, lookups, foreign keys by id and by slug or
// name, tags, custom fields, `q`), ordering, and the links of offset pagination.
#pragma once

#include "engine_store.hpp"

#include <optional>
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

/// The page size of a list, as NetBox's OptionalLimitOffsetPagination.get_limit() chooses it: a
/// `limit` that is a non-negative integer, else `default_size`. With a MAX_PAGE_SIZE
/// (`max_size` > 0, raised to `default_size` if lower) limit=0 means that maximum and larger limits
/// are cut to it; MAX_PAGE_SIZE = 0 means no maximum, and limit=0 no limit at all (nullopt: the
/// rest of the list from the offset, without next and previous links).
std::optional<std::size_t> page_size(const query_parameters& query, std::size_t default_size, std::size_t max_size);

/// The length of an available-* list, as NetBox's get_results_limit() chooses it: `limit` (0 for
/// MAX_PAGE_SIZE), else `default_size`, then at most `max_size` unless that is 0. Can be 0 when
/// both limit and MAX_PAGE_SIZE are.
std::size_t results_limit(const query_parameters& query, std::size_t default_size, std::size_t max_size);

/// `url` + "?" + the query with `replace` set (or removed when its value is empty), keys sorted
/// and form-encoded, as Django REST framework builds next/previous links.
std::string page_link(std::string_view url, const query_parameters& query,
                      const std::vector<std::pair<std::string, std::string>>& replace);

/// Form-encoding of one key or value (space as '+', everything else but [A-Za-z0-9_.~-] as %XX).
std::string form_encode(std::string_view text);

/// A non-negative integer, or nullopt (DRF's positive_int(strict=False) fails on anything else).
std::optional<std::size_t> count_of(const std::string* text);

}  // namespace netbox::sim::detail
