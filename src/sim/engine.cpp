#include "engine.hpp"

#include "engine_dataset.hpp"
#include "engine_detail.hpp"
#include "engine_json.hpp"
#include "engine_query.hpp"
#include "engine_render.hpp"
#include "engine_store.hpp"
#include "engine_write.hpp"
#include "form_data.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <charconv>
#include <optional>

namespace netbox::sim {
namespace {

using detail::query_parameters;
namespace json = boost::json;

/// Which kind of path a request addresses.
struct route {
    const model::resource* resource = nullptr;
    enum class kind { list, detail, endpoint } what = kind::list;
    std::string_view id;        ///< detail and endpoint
    std::string_view endpoint;  ///< endpoint name
};

std::vector<std::string_view> segments_of(std::string_view path)
{
    std::vector<std::string_view> segments;
    while (!path.empty()) {
        const std::size_t slash = std::min(path.find('/'), path.size());
        if (slash > 0)
            segments.push_back(path.substr(0, slash));
        path.remove_prefix(std::min(slash + 1, path.size()));
    }
    return segments;
}

std::optional<route> route_of(const model::api& api, std::string_view path)
{
    const model::resource* r = api.resource_for_path(path);
    if (r == nullptr)
        return std::nullopt;
    const auto segments = segments_of(path);
    route result;
    result.resource = r;
    if (segments.size() == 3)
        return result;
    const bool list_action = segments.size() == 4 && std::ranges::any_of(r->details, [&](const auto& d) {
                                 return d.name == segments[3] && segments_of(d.path).size() == 4;
                             });
    if (list_action) {
        result.what = route::kind::endpoint;
        result.endpoint = segments[3];
        return result;
    }
    result.id = segments[3];
    result.what = segments.size() == 4 ? route::kind::detail : route::kind::endpoint;
    if (segments.size() == 5)
        result.endpoint = segments[4];
    return result;
}

std::optional<std::int64_t> parse_id(std::string_view text)
{
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || end != text.data() + text.size())
        return std::nullopt;
    return id;
}

/// Django's escape_uri_path(): the decoded path percent-encoded again for a Location header.
std::string escape_uri_path(std::string_view path)
{
    static constexpr std::string_view safe = "/:@&+$,-_.!~*'()";
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : path) {
        const auto byte = static_cast<unsigned char>(c);
        const bool plain = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') || (byte >= '0' && byte <= '9');
        if (plain || safe.find(c) != std::string_view::npos) {
            out += c;
        } else {
            out += '%';
            out += digits[byte >> 4];
            out += digits[byte & 15];
        }
    }
    return out;
}

constexpr std::pair<std::string_view, model::method_bit> method_bits[] = {
    {"GET", model::m_get}, {"POST", model::m_post}, {"PUT", model::m_put},
    {"PATCH", model::m_patch}, {"DELETE", model::m_delete},
};

bool allows(std::uint8_t methods, std::string_view method)
{
    if (method == "OPTIONS")
        return true;
    if (method == "HEAD")
        method = "GET";
    const auto found = std::ranges::find(method_bits, method, &std::pair<std::string_view, model::method_bit>::first);
    return found != std::end(method_bits) && (methods & found->second) != 0;
}

response json_response(int status, std::string body, std::size_t objects = 0)
{
    response out;
    out.status = status;
    out.body = std::move(body);
    out.objects = objects;
    return out;
}

response from(detail::write_result result)
{
    response out = json_response(result.status, std::move(result.body), result.objects);
    if (out.status == 204)
        out.content_type.clear();  // no body, no Content-Type (as NetBox answers a DELETE)
    return out;
}

std::vector<std::string> split_commas(std::string_view text)
{
    std::vector<std::string> parts;
    while (!text.empty()) {
        const std::size_t comma = std::min(text.find(','), text.size());
        if (comma > 0)
            parts.emplace_back(text.substr(0, comma));
        text.remove_prefix(std::min(comma + 1, text.size()));
    }
    return parts;
}

/// "DeviceRole" → "Device Role", as DRF names views.
std::string spaced(std::string_view camel)
{
    std::string out;
    for (std::size_t i = 0; i < camel.size(); ++i) {
        const bool upper = camel[i] >= 'A' && camel[i] <= 'Z';
        const bool next_lower = i + 1 < camel.size() && camel[i + 1] >= 'a' && camel[i + 1] <= 'z';
        if (upper && i > 0 && (next_lower || (camel[i - 1] >= 'a' && camel[i - 1] <= 'z')))
            out += ' ';
        out += upper && !next_lower && i > 0 && !(camel[i - 1] >= 'a' && camel[i - 1] <= 'z') ? static_cast<char>(camel[i] - 'A' + 'a') : camel[i];
    }
    return out;
}

/// "primary_ip4" → "Primary ip4"; "id" → "ID".
std::string label_of(std::string_view name)
{
    if (name == "id")
        return "ID";
    std::string out(name);
    std::ranges::replace(out, '_', ' ');
    if (!out.empty() && out[0] >= 'a' && out[0] <= 'z')
        out[0] = static_cast<char>(out[0] - 'a' + 'A');
    return out;
}

std::string_view metadata_type(const model::field& f)
{
    using model::field_kind;
    switch (f.kind) {
    case field_kind::integer: return "integer";
    case field_kind::number: return "decimal";
    case field_kind::boolean: return "boolean";
    case field_kind::date: return "date";
    case field_kind::date_time: return "datetime";
    case field_kind::string: return f.name == "slug" ? "slug" : f.choices.empty() ? "string" : "field";
    case field_kind::foreign_key: return "nested object";
    default: return "field";
    }
}

}  // namespace

std::string allow_header(std::uint8_t methods)
{
    std::string allow;
    for (const auto& [name, bit] : method_bits)
        if (methods & bit)
            allow.append(allow.empty() ? "" : ", ").append(name);
    if (methods & model::m_get)
        allow.append(allow.empty() ? "" : ", ").append("HEAD");
    return allow.append(allow.empty() ? "" : ", ").append("OPTIONS");
}

bool at_least(std::string_view line, int major, int minor)
{
    int have_major = 0;
    int have_minor = 0;
    const std::size_t dot = std::min(line.find('.'), line.size());
    std::from_chars(line.data(), line.data() + dot, have_major);
    if (dot < line.size())
        std::from_chars(line.data() + dot + 1, line.data() + line.size(), have_minor);
    return have_major != major ? have_major > major : have_minor >= minor;
}

struct engine::state {
    state(const model::api& a, dataset_options o)
        : api(&a), options(o), db(a), render(db), write(db, render), details(db, render, write)
    {
        detail::build_dataset(db, options);
    }

    response list(detail::table& t, const request& r);
    response options_of(detail::table& t, bool detail_path);
    response endpoint(detail::table& t, const route& where, const request& r, const json::value& body);
    detail::selection selection_of(const query_parameters& query) const;

    const model::api* api;
    dataset_options options;
    detail::store db;
    detail::renderer render;
    detail::writer write;
    detail::detail_endpoints details;
};

detail::selection engine::state::selection_of(const query_parameters& query) const
{
    detail::selection s;
    if (const std::string* fields = detail::last_value(query, "fields"))
        s.only = split_commas(*fields);
    if (const std::string* omit = detail::last_value(query, "omit"); omit && at_least(api->version, 4, 5))
        s.omit = split_commas(*omit);
    if (const std::string* exclude = detail::last_value(query, "exclude"); exclude && *exclude == "config_context")
        s.omit.emplace_back("config_context");
    return s;
}

response engine::state::list(detail::table& t, const request& r)
{
    const query_parameters& query = r.query;
    const std::string url = r.base_url + r.path;
    const std::string* start_text = detail::last_value(query, "start");
    const bool cursor = start_text != nullptr && at_least(api->version, 4, 6);
    if (cursor && detail::last_value(query, "offset"))
        return json_response(400, "[\"The 'start' parameter cannot be combined with 'offset'.\"]");
    if (cursor && detail::last_value(query, "ordering"))
        return json_response(400, "[\"The 'start' parameter cannot be combined with 'ordering'.\"]");

    // nullopt: no limit (limit=0 under MAX_PAGE_SIZE = 0), and so no next or previous link.
    const std::optional<std::size_t> limit = detail::page_size(query, options.default_page_size, options.max_page_size);
    const std::size_t offset = detail::count_of(detail::last_value(query, "offset")).value_or(0);

    std::vector<const detail::record*> records = detail::filter_records(db, t, query);
    if (const std::string* ordering = detail::last_value(query, "ordering"); ordering && !cursor)
        detail::order_records(db, t, records, *ordering);

    std::size_t first = std::min(offset, records.size());
    if (cursor) {
        const auto start = parse_id(*start_text).value_or(0);
        first = static_cast<std::size_t>(
            std::ranges::lower_bound(records, start, {}, [](const detail::record* x) { return x->id; }) - records.begin());
    }
    const std::size_t last = !limit || records.size() - first <= *limit ? records.size() : first + *limit;

    const bool brief = !detail::values_of(query, "brief").empty() && !detail::last_value(query, "brief")->empty() &&
                       !detail::last_value(query, "fields");
    const detail::selection selection = selection_of(query);

    std::string body;
    body.reserve((last - first) * 2048 + 256);
    body += "{\"count\":";
    if (cursor)
        body += "null";
    else
        detail::append_integer(body, static_cast<std::int64_t>(records.size()));
    body += ",\"next\":";
    const std::string limit_text = limit ? std::to_string(*limit) : std::string();
    if (!limit) {
        body += "null,\"previous\":null";
    } else if (cursor) {
        if (last - first == *limit && last > first)
            detail::append_string(body, detail::page_link(url, query, {{"limit", limit_text},
                                                                        {"start", std::to_string(records[last - 1]->id + 1)}}));
        else
            body += "null";
        body += ",\"previous\":null";
    } else {
        if (last < records.size())
            detail::append_string(body, detail::page_link(url, query, {{"limit", limit_text},
                                                                        {"offset", std::to_string(last)}}));
        else
            body += "null";
        // DRF steps back from the offset asked for, even one past the end.
        body += ",\"previous\":";
        if (offset == 0)
            body += "null";
        else
            detail::append_string(
                body, detail::page_link(url, query, {{"limit", limit_text},
                                                     {"offset", offset > *limit ? std::to_string(offset - *limit) : ""}}));
    }
    body += ",\"results\":[";
    for (std::size_t i = first; i < last; ++i) {
        if (i > first)
            body += ',';
        if (brief)
            render.brief(body, t, *records[i]);
        else
            render.full(body, t, *records[i], selection);
    }
    body += "]}";
    return json_response(200, std::move(body), last - first);
}

response engine::state::options_of(detail::table& t, bool detail_path)
{
    const model::resource& r = t.resource();
    json::object actions_fields;
    for (const model::field& f : r.fields) {
        if (f.has(model::write_only))
            continue;
        json::object meta{{"type", metadata_type(f)},
                          {"required", f.has(model::required)},
                          {"read_only", f.has(model::read_only)},
                          {"label", label_of(f.name)}};
        if (!f.choices.empty() && !f.has(model::read_only)) {
            json::array choices;
            for (const model::choice_value& c : f.choices)
                choices.push_back(json::object{{"value", c.value}, {"display_name", c.label.empty() ? c.value : c.label}});
            meta["choices"] = std::move(choices);
        }
        actions_fields[f.name] = std::move(meta);
    }
    json::object body{{"name", spaced(t.model_name()) + (detail_path ? " Instance" : " List")},
                      {"description", ""},
                      {"renders", json::array{"application/json", "text/html"}},
                      {"parses", json::array{"application/json", "multipart/form-data"}}};
    // DRF's SimpleMetadata describes POST and PUT, where the view allows them (a list view's PUT
    // is NetBox's bulk update).
    const std::uint8_t methods = detail_path ? r.detail_methods : r.list_methods;
    json::object actions;
    if (methods & model::m_post)
        actions["POST"] = actions_fields;
    if (methods & model::m_put)
        actions["PUT"] = std::move(actions_fields);
    if (!actions.empty())
        body["actions"] = std::move(actions);
    std::string text;
    detail::append_value(text, body);
    response out = json_response(200, std::move(text));
    out.headers.emplace_back("Allow", allow_header(methods));
    return out;
}

response engine::state::endpoint(detail::table& t, const route& where, const request& r, const json::value& body)
{
    const auto id = parse_id(where.id);
    if (!where.id.empty() && (!id || t.find(*id) == nullptr))
        return json_response(404, detail::not_found_body(t));
    detail::detail_request in;
    in.method = r.method == "HEAD" ? std::string_view("GET") : std::string_view(r.method);
    in.name = where.endpoint;
    in.id = id.value_or(0);
    in.query = &r.query;
    in.body = &body;
    const std::string url = r.base_url + r.path;
    in.url = url;
    in.default_page_size = options.default_page_size;
    in.max_page_size = options.max_page_size;
    detail::detail_answer answer;
    if (!details.handle(t, in, answer))
        return json_response(501, detail::detail_body("The simulator does not implement this endpoint."));
    response out = json_response(answer.status, std::move(answer.body), answer.objects);
    out.content_type = std::move(answer.content_type);
    return out;
}

engine::engine(const model::api& api, dataset_options options) : state_(std::make_unique<state>(api, options)) {}
engine::~engine() = default;

const model::api& engine::api() const
{
    return *state_->api;
}

bool engine::handles(std::string_view path) const
{
    return state_->api->resource_for_path(path) != nullptr;
}

json::value engine::api_root(const std::string& base_url) const
{
    // NetBox's APIRootView: every app, plus plugins and status, in alphabetical order.
    std::vector<std::string> names{"plugins", "status"};
    for (const model::app& a : state_->api->apps)
        names.emplace_back(a.name);
    std::ranges::sort(names);
    json::object root;
    for (const std::string& name : names)
        root[name] = base_url + "/api/" + name + "/";
    return root;
}

response engine::handle(const request& r)
{
    state& s = *state_;
    const auto where = route_of(*s.api, r.path);
    if (!where)
        return json_response(404, detail::detail_body("Not found."));
    if (!r.path.ends_with('/')) {
        response redirect = json_response(301, {});
        redirect.content_type.clear();
        redirect.headers.emplace_back("Location", r.base_url + escape_uri_path(r.path) + "/" +
                                                   (r.raw_query.empty() ? "" : "?" + r.raw_query));
        return redirect;
    }
    s.render.set_base_url(r.base_url);
    detail::table& t = s.db.of(*where->resource);
    const model::resource& res = *where->resource;

    std::uint8_t methods = res.list_methods;
    if (where->what == route::kind::detail)
        methods = res.detail_methods;
    if (where->what == route::kind::endpoint) {
        const auto found = std::ranges::find(res.details, where->endpoint, &model::detail_endpoint::name);
        methods = found != res.details.end() ? found->methods : 0;
    }
    if (!allows(methods, r.method)) {
        response refused = json_response(405, detail::detail_body("Method \"" + r.method + "\" not allowed."));
        refused.headers.emplace_back("Allow", allow_header(methods));
        return refused;
    }
    if (r.method == "OPTIONS")
        return s.options_of(t, where->what != route::kind::list);

    json::value body;
    const bool reads_body = r.method == "POST" || r.method == "PUT" || r.method == "PATCH" ||
                            (r.method == "DELETE" && where->what == route::kind::list);
    if (reads_body && is_form_data(r.content_type)) {
        std::optional<json::object> form = parse_form_data(r.content_type, r.body);
        if (!form)
            return json_response(
                400, detail::detail_body("Multipart form parse error - Invalid boundary in multipart: None"));
        body = std::move(*form);
    } else if (reads_body && !r.body.empty()) {
        boost::system::error_code ec;
        body = json::parse(r.body, ec);
        if (ec)
            return json_response(400, detail::detail_body("JSON parse error - " + ec.message()));
    } else if (reads_body) {
        body = json::object{};
    }

    if (where->what == route::kind::endpoint)
        return s.endpoint(t, *where, r, body);

    const bool get = r.method == "GET" || r.method == "HEAD";
    const auto mode = r.method == "PATCH" ? detail::write_mode::partial : detail::write_mode::replace;
    if (where->what == route::kind::list) {
        if (get)
            return s.list(t, r);
        if (r.method == "POST")
            return from(s.write.create(t, body));
        if (r.method == "DELETE")
            return from(s.write.bulk_remove(t, body));
        return from(s.write.bulk_update(t, body, mode));
    }

    const auto id = parse_id(where->id);
    if (!id || t.find(*id) == nullptr)
        return json_response(404, detail::not_found_body(t));
    if (r.method == "DELETE")
        return from(s.write.remove(t, *id));
    if (!get)
        return from(s.write.update(t, *id, body, mode));

    const detail::record& found = *t.find(*id);
    std::string text;
    const std::string* brief = detail::last_value(r.query, "brief");
    if (brief && !brief->empty() && !detail::last_value(r.query, "fields"))
        s.render.brief(text, t, found);
    else
        s.render.full(text, t, found, s.selection_of(r.query));
    return json_response(200, std::move(text), 1);
}

}  // namespace netbox::sim
