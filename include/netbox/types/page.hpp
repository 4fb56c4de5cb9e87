// netbox-cpp: page<T>, one page of a paginated list answer (`Paginated*List` in the schema).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace netbox {

template <class T>
struct page {
    std::int64_t count = 0;               ///< rows matching the query, over all pages
    std::optional<std::string> next;      ///< URL of the next page; none on the last
    std::optional<std::string> previous;  ///< URL of the previous page; none on the first
    std::vector<T> results;

    friend bool operator==(const page&, const page&) = default;
};

}  // namespace netbox
