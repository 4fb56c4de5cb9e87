// Splitting of list queries whose request target would exceed api_options::max_url_length: a proxy
// in front of NetBox answers such requests with 414 before NetBox sees them.
#include "dynamic/stream.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>

namespace netbox::detail {

namespace {

/// Decimal digits of the largest 64-bit number: the widest value a paginator parameter takes.
constexpr std::size_t number_width = 20;

bool unreserved(char c) noexcept
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

/// "&key=value", encoded.
std::size_t parameter_length(std::string_view key, std::string_view value) noexcept
{
    return 1 + encoded_length(key) + 1 + encoded_length(value);
}

/// The most the paginator of `options` adds to the query: a number per parameter it may send
/// (automatic may become offset or cursor, cursor may fall back to keyset).
std::size_t paginator_reserve(const list_options& options) noexcept
{
    const auto number = [](std::string_view name) { return 1 + name.size() + 1 + number_width; };
    std::size_t n = number("limit");
    const bool keyset = options.mode == pagination::keyset || options.mode == pagination::sharded_keyset ||
                        options.mode == pagination::cursor;
    if (options.mode == pagination::automatic || options.mode == pagination::offset)
        n += number("offset");
    if (options.mode == pagination::automatic || options.mode == pagination::cursor)
        n += number("start");
    if (keyset)
        n += parameter_length("ordering", "-id") + number("id__gt");
    if (options.mode == pagination::sharded_keyset)
        n += number("id__gte") + number("id__lt");
    return n;
}

/// Whether the results of requests with parts of the filter's values, put together, are the
/// results of one request with all of them. NetBox ORs the repeated values of a filter, except for
/// tags (a device must carry every tag named), negated lookups (NOT IN) and what is not a set of
/// alternatives (`q`, comparisons, `__empty`).
bool splittable(const filter& f)
{
    if (f.values.size() < 2 || f.name == "q")
        return false;
    std::string_view base = f.name;
    std::string_view lookup;
    if (const std::size_t separator = base.rfind("__"); separator != std::string_view::npos && separator > 0) {
        lookup = base.substr(separator + 2);
        base = base.substr(0, separator);
    }
    if (base == "tag" || base == "tag_id" || base == "tags")
        return false;
    static constexpr std::string_view not_alternatives[] = {"n",  "nic", "nie", "nisw", "niew", "gt",
                                                            "gte", "lt", "lte", "empty"};
    return std::ranges::find(not_alternatives, lookup) == std::end(not_alternatives);
}

/// The path prefix of the base URL ("/netbox" for https://host/netbox), part of every target.
std::size_t prefix_length(const facade_state& state)
{
    auto parsed = boost::urls::parse_uri(state.http.base_url());
    if (!parsed)
        return 0;
    std::string_view prefix = parsed->encoded_path();
    while (prefix.ends_with('/'))
        prefix.remove_suffix(1);
    return prefix.size();
}

}  // namespace

std::size_t encoded_length(std::string_view text) noexcept
{
    std::size_t n = 0;
    for (char c : text)
        n += unreserved(c) ? 1 : 3;
    return n;
}

std::size_t request_target_length(const endpoint_ref& where, const query_params& query)
{
    // The list path is made of URL-safe names; counting it encoded costs nothing.
    std::size_t n = prefix_length(where.state()) + encoded_length(where.list_path());
    for (const auto& [key, value] : query)
        n += parameter_length(key, value);
    return n;
}

result<std::vector<filters>> split_filters(const endpoint_ref& where, const filters& query,
                                           const list_options& options)
{
    const std::size_t limit = where.state().options.max_url_length;
    const std::size_t total = request_target_length(where, list_query(query, options)) + paginator_reserve(options);
    if (limit == 0 || total <= limit)
        return std::vector<filters>{query};

    std::size_t pick = query.size();
    for (std::size_t i = 0; i < query.size(); ++i)
        if (splittable(query[i]) && (pick == query.size() || query[i].values.size() > query[pick].values.size()))
            pick = i;
    if (pick == query.size())
        return endpoint_error(errc::invalid_argument, where,
                              "the request would be up to " + std::to_string(total) +
                                  " characters long, over api_options::max_url_length (" + std::to_string(limit) +
                                  "), and has no filter with several values that can be split into several requests");

    const filter& split = query[pick];
    std::size_t values_length = 0;
    for (const std::string& v : split.values)
        values_length += parameter_length(split.name, v);
    const std::size_t fixed = total - values_length;

    std::vector<filters> out;
    std::vector<std::string> chunk;
    std::size_t used = fixed;
    const auto flush = [&] {
        filters part = query;
        part[pick].values = std::move(chunk);
        out.push_back(std::move(part));
        chunk.clear();
        used = fixed;
    };
    for (const std::string& v : split.values) {
        const std::size_t cost = parameter_length(split.name, v);
        if (fixed + cost > limit)
            return endpoint_error(errc::invalid_argument, where,
                                  "even one value of filter '" + split.name + "' per request does not fit in "
                                  "api_options::max_url_length (" + std::to_string(limit) + "): the rest of the "
                                  "request takes up to " + std::to_string(fixed) + " characters");
        if (!chunk.empty() && used + cost > limit)
            flush();
        chunk.push_back(v);
        used += cost;
    }
    if (!chunk.empty())
        flush();
    return out;
}

}  // namespace netbox::detail
