// The simulator's view of one HTTP exchange, free of Asio and Beast: what the server read off the
// socket, and what the gateway answers.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netbox::sim {

using header_fields = std::vector<std::pair<std::string, std::string>>;

inline bool iequals(std::string_view a, std::string_view b)
{
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
    return a.size() == b.size()
           && std::equal(a.begin(), a.end(), b.begin(), [&](char x, char y) { return lower(x) == lower(y); });
}

/// The first value of header `name` (case-insensitive), or null.
inline const std::string* find_header(const header_fields& fields, std::string_view name)
{
    const auto it = std::ranges::find_if(fields, [&](const auto& field) { return iequals(field.first, name); });
    return it == fields.end() ? nullptr : &it->second;
}

struct http_request {
    std::string method;  ///< "GET", "POST", ...
    std::string target;  ///< as sent: path and query
    header_fields headers;
    std::string body;

    std::string_view header(std::string_view name) const
    {
        const std::string* value = find_header(headers, name);
        return value ? std::string_view(*value) : std::string_view();
    }
};

struct http_answer {
    int status = 200;
    header_fields headers;  ///< Content-Type included; the server adds Content-Length and Connection
    std::string body;       ///< also for HEAD: the server sends its length but not the bytes
    std::size_t objects = 0;  ///< objects returned (per-object latency)
};

}  // namespace netbox::sim
