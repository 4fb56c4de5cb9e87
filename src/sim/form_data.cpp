#include "form_data.hpp"

#include "http_message.hpp"

#include <boost/json/array.hpp>
#include <boost/json/string.hpp>

#include <algorithm>
#include <string>

namespace netbox::sim {
namespace {

namespace json = boost::json;

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

/// The value of parameter `name` in a header value such as `form-data; name="a"; filename="b;c"`.
/// Quoted values may hold `;`.
std::optional<std::string_view> parameter(std::string_view header_value, std::string_view name)
{
    std::size_t pos = header_value.find(';');
    while (pos != std::string_view::npos && pos < header_value.size()) {
        ++pos;  // past the ';'
        const std::size_t equals = header_value.find('=', pos);
        if (equals == std::string_view::npos)
            return std::nullopt;
        const std::string_view key = trim(header_value.substr(pos, equals - pos));
        std::size_t value_start = equals + 1;
        while (value_start < header_value.size() && header_value[value_start] == ' ')
            ++value_start;
        std::string_view value;
        if (value_start < header_value.size() && header_value[value_start] == '"') {
            const std::size_t close = header_value.find('"', value_start + 1);
            if (close == std::string_view::npos)
                return std::nullopt;
            value = header_value.substr(value_start + 1, close - value_start - 1);
            pos = header_value.find(';', close);
        } else {
            pos = header_value.find(';', value_start);
            value = trim(header_value.substr(value_start, pos == std::string_view::npos ? pos : pos - value_start));
        }
        if (iequals(key, name))
            return value;
    }
    return std::nullopt;
}

struct part_header {
    std::string_view name;
    std::optional<std::string_view> filename;
};

/// The field name and file name of a part, from its Content-Disposition header.
std::optional<part_header> read_part_header(std::string_view headers)
{
    while (!headers.empty()) {
        const std::size_t end = std::min(headers.find("\r\n"), headers.size());
        const std::string_view line = headers.substr(0, end);
        headers.remove_prefix(std::min(end + 2, headers.size()));
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos || !iequals(trim(line.substr(0, colon)), "Content-Disposition"))
            continue;
        const std::string_view value = line.substr(colon + 1);
        const std::optional<std::string_view> name = parameter(value, "name");
        if (!name)
            return std::nullopt;
        return part_header{*name, parameter(value, "filename")};
    }
    return std::nullopt;
}

void add_field(json::object& form, std::string_view name, std::string_view value)
{
    json::value* existing = form.if_contains(name);
    if (!existing) {
        form[name] = value;
        return;
    }
    if (!existing->is_array())
        *existing = json::array{*existing};
    existing->get_array().emplace_back(value);
}

}  // namespace

bool is_form_data(std::string_view content_type)
{
    const std::string_view media_type = trim(content_type.substr(0, content_type.find(';')));
    return iequals(media_type, "multipart/form-data");
}

std::optional<json::object> parse_form_data(std::string_view content_type, std::string_view body)
{
    const std::optional<std::string_view> boundary = parameter(content_type, "boundary");
    if (!boundary || boundary->empty())
        return std::nullopt;
    const std::string delimiter = "--" + std::string(*boundary);
    const std::string part_end = "\r\n" + delimiter;

    // Anything before the first delimiter is a preamble, which MIME says to ignore.
    std::size_t pos = body.find(delimiter);
    if (pos == std::string_view::npos)
        return std::nullopt;
    json::object form;
    for (;;) {
        pos += delimiter.size();
        if (body.substr(pos, 2) == "--")
            return form;  // the closing delimiter
        if (body.substr(pos, 2) != "\r\n")
            return std::nullopt;
        pos += 2;
        const std::size_t headers_end = body.find("\r\n\r\n", pos);
        if (headers_end == std::string_view::npos)
            return std::nullopt;
        const std::size_t content = headers_end + 4;
        const std::size_t next = body.find(part_end, content);
        if (next == std::string_view::npos)
            return std::nullopt;
        const std::optional<part_header> part = read_part_header(body.substr(pos, headers_end - pos));
        if (!part)
            return std::nullopt;
        add_field(form, part->name, part->filename ? *part->filename : body.substr(content, next - content));
        pos = next + 2;  // at the delimiter
    }
}

}  // namespace netbox::sim
