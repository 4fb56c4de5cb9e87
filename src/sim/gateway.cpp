#include "sim/gateway.hpp"

#include "sim/graphql.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace netbox::sim {
namespace {

namespace json = boost::json;

constexpr std::string_view not_authenticated = "Authentication credentials were not provided.";
constexpr std::string_view python_version = "3.12.1";

/// The NetBox release each line stands for (what /api/status/ reports).
std::string_view full_version(std::string_view line)
{
    constexpr std::array<std::pair<std::string_view, std::string_view>, 4> releases{{
        {"4.3", "4.3.7"}, {"4.4", "4.4.10"}, {"4.5", "4.5.10"}, {"4.6", "4.6.0"}}};
    for (const auto& [known, full] : releases)
        if (known == line)
            return full;
    return line;
}

int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::string percent_decode(std::string_view text, bool plus_is_space)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+' && plus_is_space) {
            out += ' ';
        } else if (c == '%' && i + 2 < text.size() && hex_digit(text[i + 1]) >= 0 && hex_digit(text[i + 2]) >= 0) {
            out += char(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2]));
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

std::string percent_encode(std::string_view text)
{
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += char(c);
        } else {
            out += '%';
            out += digits[c >> 4];
            out += digits[c & 15];
        }
    }
    return out;
}

std::string encode_query(const std::vector<std::pair<std::string, std::string>>& query)
{
    std::string text;
    for (const auto& [key, value] : query)
        text += (text.empty() ? "" : "&") + percent_encode(key) + "=" + percent_encode(value);
    return text;
}

bool is_safe_method(std::string_view method)
{
    return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

/// The method's bit in a model::method_bit mask (HEAD goes with GET); 0 for OPTIONS and others.
std::uint8_t method_bit(std::string_view method)
{
    if (method == "GET" || method == "HEAD")
        return model::m_get;
    if (method == "POST")
        return model::m_post;
    if (method == "PUT")
        return model::m_put;
    if (method == "PATCH")
        return model::m_patch;
    if (method == "DELETE")
        return model::m_delete;
    return 0;
}

std::size_t segment_count(std::string_view path)
{
    return static_cast<std::size_t>(std::ranges::count(path, '/'));
}

/// The methods NetBox allows on `path`, one of `r`'s list, detail or detail-endpoint paths.
std::uint8_t methods_of(const model::resource& r, std::string_view path)
{
    if (path == r.list_path)
        return r.list_methods;
    if (!r.detail_path.empty() && segment_count(path) == segment_count(r.detail_path))
        return r.detail_methods;
    for (const model::detail_endpoint& d : r.details)
        if (path.ends_with("/" + std::string(d.name) + "/"))
            return d.methods;
    return model::m_get;
}

http_answer json_answer(int status, const json::value& body)
{
    return {status, {{"Content-Type", "application/json"}}, json::serialize(body)};
}

http_answer detail_answer(int status, std::string_view detail)
{
    return json_answer(status, json::object{{"detail", detail}});
}

http_answer text_answer(int status, std::string body)
{
    return {status, {{"Content-Type", "text/html; charset=utf-8"}}, std::move(body)};
}

http_answer redirect(int status, std::string location)
{
    http_answer a = text_answer(status, "");
    a.headers.emplace_back("Location", std::move(location));
    return a;
}

/// Django's `request.accepts("text/html")`: no Accept header means anything.
bool accepts_html(std::string_view accept)
{
    return accept.empty() || accept.find("text/html") != std::string_view::npos
           || accept.find("*/*") != std::string_view::npos || accept.find("text/*") != std::string_view::npos;
}

/// GET /api/status/ as the release line shapes it: 4.3 says "installed-apps" and has no hostname.
json::object status_document(std::string_view line)
{
    const bool v4_3 = line == "4.3";
    const json::object apps{
        {"django_filters", "25.2"}, {"django_prometheus", "2.2.0"}, {"django_rq", "4.1.0"},
        {"django_tables2", "2.8.0"}, {"drf_spectacular", v4_3 ? "0.28.0" : "0.29.0"},
        {"drf_spectacular_sidecar", "2026.5.1"}, {"mptt", "0.18.0"}, {"rest_framework", "3.16.1"},
        {"social_django", "5.9.0"}, {"taggit", "6.1.0"}, {"timezone_field", "7.2.1"}};
    json::object o;
    o["django-version"] = "5.2";
    if (!v4_3)
        o["hostname"] = "netbox-sim";
    o[v4_3 ? "installed-apps" : "installed_apps"] = apps;
    o["netbox-version"] = full_version(line);
    o["netbox-full-version"] = full_version(line);
    o["plugins"] = json::object();
    o["python-version"] = python_version;
    o["rq-workers-running"] = 1;
    return o;
}

std::string read_schema(const std::string& file)
{
    if (file.empty())
        return {};
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    if (!in || !(text << in.rdbuf()))
        throw std::runtime_error("netbox-sim: cannot read the schema file " + file);
    return std::move(text).str();
}

const model::api& api_of(std::string_view version)
{
    const model::api* api = model::find_api(version);
    if (!api)
        throw std::runtime_error("netbox-sim: NetBox " + std::string(version) + " is not compiled in (4.3 to 4.6 are)");
    return *api;
}

std::string_view reason_of(int status)
{
    switch (status) {
    case 429: return "Request was throttled.";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Simulated failure";
    }
}

}  // namespace

target parse_target(std::string_view text)
{
    target t;
    const std::size_t question = text.find('?');
    t.path = percent_decode(text.substr(0, question), false);
    if (question == std::string_view::npos)
        return t;
    t.raw_query = text.substr(question + 1);
    std::string_view rest = t.raw_query;
    while (!rest.empty()) {
        const std::string_view item = rest.substr(0, rest.find('&'));
        rest.remove_prefix(std::min(rest.size(), item.size() + 1));
        if (item.empty())
            continue;
        const std::size_t equals = item.find('=');
        t.query.emplace_back(percent_decode(item.substr(0, equals), true),
                             equals == std::string_view::npos ? "" : percent_decode(item.substr(equals + 1), true));
    }
    return t;
}

/// What a /api/ path leads to.
struct gateway::route {
    enum class kind { unknown, root, status, schema, plugins, app_root, token_provision, resource };
    kind what = kind::unknown;
    std::uint8_t methods = model::m_get;
    const model::app* app = nullptr;
};

gateway::gateway(const testing::simulator_options& options, std::string default_base_url)
    : options_(options),
      api_(api_of(options.version)),
      default_base_url_(std::move(default_base_url)),
      schema_(read_schema(options.schema_file)),
      engine_(api_, dataset_options{options.devices, options.seed, options.max_page_size, options.default_page_size}),
      tokens_(at_least(api_.version, 4, 5), options.tokens, options.seed),
      random_(options.seed)
{
}

std::string gateway::base_url(const http_request& request) const
{
    if (!options_.public_url.empty())
        return options_.public_url;
    const std::string_view host = request.header("Host");
    return host.empty() ? default_base_url_ : "http://" + std::string(host);
}

std::string gateway::request_id()
{
    // A version 4 UUID: 122 random bits.
    const std::uint64_t high = (random_() & ~0xF000ull) | 0x4000ull;
    const std::uint64_t low = (random_() & ~(3ull << 62)) | (2ull << 62);
    char text[37];
    std::snprintf(text, sizeof text, "%08llx-%04llx-%04llx-%04llx-%012llx", (unsigned long long)(high >> 32),
                  (unsigned long long)((high >> 16) & 0xFFFF), (unsigned long long)(high & 0xFFFF),
                  (unsigned long long)(low >> 48), (unsigned long long)(low & 0xFFFFFFFFFFFFull));
    return text;
}

http_answer gateway::answer(const http_request& request)
{
    // A reverse proxy's limit on the request line (nginx: large_client_header_buffers).
    if (options_.max_target_length != 0 && request.target.size() > options_.max_target_length)
        return text_answer(414, "<html><head><title>414 Request-URI Too Large</title></head></html>");
    const target t = parse_target(request.target);
    http_answer a;
    try {
        if (t.path == "/api" || t.path.starts_with("/api/"))
            a = api(request, t);
        else if (t.path == "/graphql/")
            a = graphql(request, t);
        else if (t.path == "/graphql")
            a = redirect(301, "/graphql/" + (t.raw_query.empty() ? "" : "?" + t.raw_query));
        else
            a = text_answer(404, "<h1>Not Found</h1>");
    } catch (const std::exception& e) {
        // NetBox's answer to an unhandled exception in the REST API (DEBUG off).
        a = json_answer(500, json::object{{"error", e.what()},
                                          {"exception", "Exception"},
                                          {"netbox_version", full_version(api_.version)},
                                          {"python_version", python_version}});
    }
    return finish(t, std::move(a));
}

http_answer gateway::injected(const http_request& request, int status, int retry_after_seconds)
{
    http_answer a = status == 500 ? json_answer(500, json::object{{"error", "Simulated failure (netbox-sim fault injection)"},
                                                                  {"exception", "Exception"},
                                                                  {"netbox_version", full_version(api_.version)},
                                                                  {"python_version", python_version}})
                                  : detail_answer(status, reason_of(status));
    if (retry_after_seconds > 0)
        a.headers.emplace_back("Retry-After", std::to_string(retry_after_seconds));
    return finish(parse_target(request.target), std::move(a));
}

http_answer gateway::finish(const target& t, http_answer a)
{
    a.headers.emplace_back("Vary", "HX-Request, Accept-Language, Cookie, origin");
    a.headers.emplace_back("X-Request-ID", request_id());
    if (t.path == "/api" || t.path.starts_with("/api/"))
        a.headers.emplace_back("API-Version", std::string(api_.version));
    a.headers.emplace_back("X-Content-Type-Options", "nosniff");
    a.headers.emplace_back("Referrer-Policy", "same-origin");
    a.headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
    a.headers.emplace_back("X-Frame-Options", "SAMEORIGIN");
    a.headers.emplace_back("Content-Language", "en");
    return a;
}

gateway::route gateway::route_of(std::string_view path) const
{
    using kind = route::kind;
    if (path == "/api/")
        return {kind::root};
    if (path == "/api/status/")
        return {kind::status};
    if (path == "/api/schema/")
        return {schema_.empty() ? kind::unknown : kind::schema};
    if (path == "/api/plugins/")
        return {kind::plugins};
    if (path == "/api/users/tokens/provision/")
        return {kind::token_provision, model::m_post};
    if (engine_.handles(path)) {
        const model::resource* r = api_.resource_for_path(path);
        return {kind::resource, r ? methods_of(*r, path) : std::uint8_t(model::m_get)};
    }
    const std::string_view app_name = path.substr(5, path.size() - 6);  // "/api/<app>/"
    if (const model::app* a = app_name.find('/') == std::string_view::npos ? api_.find_app(app_name) : nullptr)
        return {kind::app_root, model::m_get, a};
    return {};
}

http_answer gateway::api(const http_request& request, const target& t)
{
    // Django's APPEND_SLASH: a path that only resolves with a slash is redirected to it.
    if (!t.path.ends_with('/')) {
        if (route_of(t.path + "/").what == route::kind::unknown)
            return detail_answer(404, "Not found.");
        // The Location is made of the target as sent, still percent-encoded: the decoded path
        // may hold CR and LF (%0D%0A) that would end the header and start another.
        const std::string_view raw_path = std::string_view(request.target).substr(0, request.target.find('?'));
        return redirect(301, std::string(raw_path) + "/" + (t.raw_query.empty() ? "" : "?" + t.raw_query));
    }
    const route r = route_of(t.path);
    if (r.what == route::kind::unknown)
        return detail_answer(404, "Not found.");
    http_answer a = authorized(request, t, r);
    if (!find_header(a.headers, "Allow"))
        a.headers.emplace_back("Allow", allow_header(r.methods));
    return a;
}

http_answer gateway::authorized(const http_request& request, const target& t, const route& r)
{
    const auth_result auth = tokens_.authenticate(request.header("Authorization"));
    if (auth.result == auth_result::outcome::refused)
        return detail_answer(403, auth.detail);
    if (r.what == route::kind::token_provision)
        return provision(request, base_url(request));

    const bool safe = is_safe_method(request.method);
    if (auth.result == auth_result::outcome::anonymous && (options_.login_required || !safe))
        return detail_answer(403, not_authenticated);
    if (!safe && !auth.write_enabled)
        return detail_answer(403, "You do not have permission to perform this action.");
    if (r.what == route::kind::resource)
        return from_engine(request, t);
    return own_view(request, r, base_url(request));
}

http_answer gateway::own_view(const http_request& request, const route& r, const std::string& base_url)
{
    using kind = route::kind;
    if (request.method == "OPTIONS")
        return json_answer(200, json::object{{"name", "NetBox"},
                                             {"description", ""},
                                             {"renders", json::array{"application/json", "text/html"}},
                                             {"parses", json::array{"application/json"}}});
    if ((method_bit(request.method) & r.methods) == 0)
        return detail_answer(405, "Method \"" + request.method + "\" not allowed.");
    switch (r.what) {
    case kind::root:
        return json_answer(200, engine_.api_root(base_url));
    case kind::status:
        return json_answer(200, status_document(api_.version));
    case kind::schema:
        return {200, {{"Content-Type", "application/vnd.oai.openapi+json"}}, schema_};
    case kind::app_root: {
        json::object links;
        for (const model::resource& resource : r.app->resources)
            if (!resource.list_path.empty())
                links[resource.name] = base_url + std::string(resource.list_path);
        return json_answer(200, links);
    }
    default:
        return json_answer(200, json::object());  // /api/plugins/: no plugins installed
    }
}

http_answer gateway::provision(const http_request& request, const std::string& base_url)
{
    if (request.method != "POST")
        return detail_answer(405, "Method \"" + request.method + "\" not allowed.");
    json::error_code ec;
    const json::value body = json::parse(request.body, ec);
    if (ec)
        return detail_answer(400, "JSON parse error - " + ec.message());
    provision_answer a = tokens_.provision(body, options_.provision_username, options_.provision_password, base_url);
    return json_answer(a.status, a.body);
}

http_answer gateway::from_engine(const http_request& request, const target& t)
{
    sim::request r;
    r.method = request.method == "HEAD" ? "GET" : request.method;  // the server drops the body
    r.path = t.path;
    r.query = t.query;
    r.raw_query = t.raw_query;
    r.body = request.body;
    r.content_type = request.header("Content-Type");
    r.base_url = base_url(request);
    response res = engine_.handle(r);
    http_answer a{res.status, {}, std::move(res.body), res.objects};
    if (!res.content_type.empty())
        a.headers.emplace_back("Content-Type", std::move(res.content_type));
    a.headers.insert(a.headers.end(), res.headers.begin(), res.headers.end());
    return a;
}

http_answer gateway::graphql(const http_request& request, const target& t)
{
    // NetBox's GraphQL view authenticates by itself and answers in plain text.
    const auth_result auth = tokens_.authenticate(request.header("Authorization"));
    if (auth.result == auth_result::outcome::refused)
        return text_answer(403, auth.detail);
    if (auth.result == auth_result::outcome::anonymous && options_.login_required)
        return accepts_html(request.header("Accept")) ? redirect(302, "/login/?next=/graphql/") : text_answer(403, "");

    std::string query;
    json::object variables;
    const auto take_variables = [&](const json::value& v) {
        if (v.is_object())
            variables = v.get_object();
    };
    if (request.method == "GET") {
        for (const auto& [key, value] : t.query) {
            json::error_code ec;
            if (key == "query")
                query = value;
            else if (key == "variables")
                take_variables(json::parse(value, ec));
        }
    } else if (request.method == "POST") {
        json::error_code ec;
        const json::value body = json::parse(request.body, ec);
        if (ec || !body.is_object())
            return text_answer(400, "Unable to parse request body as JSON");
        if (const json::value* q = body.get_object().if_contains("query"); q && q->is_string())
            query = q->get_string();
        if (const json::value* v = body.get_object().if_contains("variables"))
            take_variables(*v);
    } else {
        return text_answer(405, "");
    }
    if (query.empty())
        return text_answer(400, "No GraphQL query found in the request");

    const std::string base = base_url(request);
    const auto fetch = [&](const std::string& path, const graphql::query_params& q) -> std::optional<json::value> {
        if (!engine_.handles(path))
            return std::nullopt;
        const response res = engine_.handle(sim::request{"GET", path, q, encode_query(q), "", "", base});
        json::error_code ec;
        json::value v = json::parse(res.body, ec);
        if (res.status != 200 || ec)
            return std::nullopt;
        return v;
    };
    const graphql::schema schema{api_, fetch, !at_least(api_.version, 4, 5)};
    return json_answer(200, graphql::execute(schema, query, variables));
}

}  // namespace netbox::sim
