// Conformance helper: do two JSON bodies have the same shape? Used where the simulator's answers
// are compared with real NetBox recordings (values differ, keys must not).
#pragma once

#include <boost/json/fwd.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace netbox::test {

/// Whether `key` may differ at the place `where` ("$.results[0]").
using key_exemption = std::function<bool(std::string_view where, std::string_view key)>;

/// Adds a message per place where `actual` has other keys than `expected`, recursively from "$".
/// Lists compare their first elements, and a list NetBox answered with elements must not come back
/// empty at the top level ("$" or "$.results"; inner lists depend on the data). Where either side
/// is null there is nothing to compare; other kinds must agree (numbers with numbers).
void compare_keys(const boost::json::value& expected, const boost::json::value& actual,
                  const key_exemption& exempt, std::vector<std::string>& problems);

}  // namespace netbox::test
