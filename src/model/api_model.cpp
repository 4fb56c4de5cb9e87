// netbox-cpp: look-ups over the API model tables. The tables themselves are generated
// (api_model_v*.cpp, api_model_index.cpp); their lists are sorted by name except fields.
#include <netbox/model/api_model.hpp>

#include <algorithm>

namespace netbox::model {
namespace {

/// The element of `sorted` (ordered by `name`) named `name`, or null.
template <typename T>
const T* find_by_name(std::span<const T> sorted, std::string_view name) noexcept
{
    const auto found = std::ranges::lower_bound(sorted, name, {}, &T::name);
    return found != sorted.end() && found->name == name ? &*found : nullptr;
}

/// The next non-empty segment of `path` (consumed), or "" at its end.
std::string_view next_segment(std::string_view& path) noexcept
{
    while (path.starts_with('/'))
        path.remove_prefix(1);
    const std::size_t end = std::min(path.find('/'), path.size());
    const std::string_view segment = path.substr(0, end);
    path.remove_prefix(end);
    return segment;
}

bool is_parameter(std::string_view segment) noexcept
{
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

/// True when `path` matches the path template `pattern`, a `{…}` segment matching any segment.
/// Empty segments (doubled or missing trailing slashes) are ignored.
bool matches(std::string_view pattern, std::string_view path) noexcept
{
    if (pattern.empty())
        return false;
    for (;;) {
        const std::string_view expected = next_segment(pattern);
        const std::string_view actual = next_segment(path);
        if (expected.empty() || actual.empty())
            return expected.empty() && actual.empty();
        if (expected != actual && !is_parameter(expected))
            return false;
    }
}

/// "4.5.10" → "4.5": up to the second dot, if any.
std::string_view release_line(std::string_view version) noexcept
{
    const std::size_t first = version.find('.');
    if (first == std::string_view::npos)
        return version;
    return version.substr(0, version.find('.', first + 1));
}

}  // namespace

const field* resource::find_field(std::string_view name) const noexcept
{
    const auto found = std::ranges::find(fields, name, &field::name);
    return found != fields.end() ? &*found : nullptr;
}

const filter* resource::find_filter(std::string_view name) const noexcept
{
    return find_by_name(filters, name);
}

bool resource::accepts_filter(std::string_view parameter) const noexcept
{
    constexpr std::string_view custom_field_prefix = "cf_";
    if (parameter.starts_with(custom_field_prefix) && parameter.size() > custom_field_prefix.size())
        return find_field("custom_fields") != nullptr;
    if (const std::size_t separator = parameter.rfind("__"); separator != std::string_view::npos) {
        const std::uint32_t bit = lookup_from_suffix(parameter.substr(separator + 2));
        const filter* base = find_filter(parameter.substr(0, separator));
        if (bit != 0 && bit != exact && base != nullptr)
            return (base->lookups & bit) != 0;
    }
    const filter* whole = find_filter(parameter);
    return whole != nullptr && (whole->lookups & exact) != 0;
}

const app* api::find_app(std::string_view name) const noexcept
{
    return find_by_name(apps, name);
}

const resource* api::find_resource(std::string_view app_name, std::string_view name) const noexcept
{
    const app* a = find_app(app_name);
    return a != nullptr ? find_by_name(a->resources, name) : nullptr;
}

const resource* api::resource_for_path(std::string_view path) const noexcept
{
    path = path.substr(0, path.find('?'));
    std::string_view rest = path;
    if (next_segment(rest) != "api")
        return nullptr;
    const std::string_view app_name = next_segment(rest);
    const resource* r = find_resource(app_name, next_segment(rest));
    if (r == nullptr)
        return nullptr;
    if (matches(r->list_path, path) || matches(r->detail_path, path))
        return r;
    const bool detail = std::ranges::any_of(r->details, [&](const detail_endpoint& d) { return matches(d.path, path); });
    return detail ? r : nullptr;
}

const api* find_api(std::string_view version) noexcept
{
    const std::string_view line = release_line(version);
    const auto apis = all_apis();
    const auto found = std::ranges::find(apis, line, &api::version);
    return found != apis.end() ? *found : nullptr;
}

}  // namespace netbox::model
