#include <netbox/http.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>

namespace netbox {
namespace {

/// Boost.JSON's default depth limit (32) is below what config contexts, custom JSON fields and
/// GraphQL answers inside a page envelope can reach.
boost::json::parse_options json_parse_options() {
    boost::json::parse_options o;
    o.max_depth = 512;
    return o;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

std::string_view to_string(http_method m) noexcept {
    switch (m) {
    case http_method::get: return "GET";
    case http_method::head: return "HEAD";
    case http_method::post: return "POST";
    case http_method::put: return "PUT";
    case http_method::patch: return "PATCH";
    case http_method::delete_: return "DELETE";
    case http_method::options: return "OPTIONS";
    }
    return "GET";
}

bool is_idempotent(http_method m) noexcept {
    return m != http_method::post && m != http_method::patch;
}

header_list::header_list(std::initializer_list<std::pair<std::string, std::string>> init) : fields_(init) {}

std::optional<std::string_view> header_list::get(std::string_view name) const {
    for (const auto& [k, v] : fields_)
        if (iequals(k, name)) return std::string_view(v);
    return std::nullopt;
}

void header_list::set(std::string name, std::string value) {
    erase(name);
    fields_.emplace_back(std::move(name), std::move(value));
}

void header_list::add(std::string name, std::string value) { fields_.emplace_back(std::move(name), std::move(value)); }

void header_list::erase(std::string_view name) {
    std::erase_if(fields_, [&](const auto& f) { return iequals(f.first, name); });
}

std::string_view response::api_version() const { return header("API-Version").value_or(std::string_view{}); }

std::string_view response::request_id() const { return header("X-Request-ID").value_or(std::string_view{}); }

result<boost::json::value> response::try_json() const {
    if (body.empty()) return boost::json::value(nullptr);
    if (auto ct = header("Content-Type")) {
        // application/json, application/problem+json, application/vnd.oai.openapi+json, ...
        auto semi = ct->find(';');
        std::string_view media = ct->substr(0, semi);
        while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
        bool json = iequals(media, "application/json") ||
                    (media.size() > 5 && iequals(media.substr(media.size() - 5), "+json"));
        if (!json)
            return to_error(errc::unexpected_content_type,
                        "expected a JSON response, got Content-Type: " + std::string(media));
    }
    boost::system::error_code ec;
    auto v = boost::json::parse(body, ec, {}, json_parse_options());
    if (ec) return to_error(errc::json_parse_error, "response body is not valid JSON: " + ec.message());
    return v;
}

boost::json::value response::json() const { return try_json().value(); }

}  // namespace netbox

namespace netbox {
namespace {

std::vector<std::string> messages_of(const boost::json::value& v) {
    std::vector<std::string> out;
    auto add = [&](const boost::json::value& m) {
        if (m.is_string()) out.emplace_back(m.get_string());
        else out.push_back(boost::json::serialize(m));
    };
    if (v.is_array())
        for (const auto& m : v.get_array()) add(m);
    else
        add(v);
    return out;
}

void take_fields(const boost::json::object& o, const std::string& prefix, error& e) {
    for (const auto& [key, value] : o) {
        if (prefix.empty() && key == "detail" && value.is_string()) {
            e.detail = value.get_string();
            continue;
        }
        e.field_errors.push_back({prefix + std::string(key), messages_of(value)});
    }
}

}  // namespace

result<void> response::check_status() const {
    if (ok()) return {};
    error e = to_error(errc::http_status, "NetBox answered HTTP " + std::to_string(status));

    boost::system::error_code ec;
    auto v = boost::json::parse(body, ec, {}, json_parse_options());
    if (ec) return e;
    if (v.is_object()) {
        const auto& o = v.get_object();
        if (auto* err = o.if_contains("error"); err && err->is_string()) {  // 500 page of a non-DEBUG server
            e.detail = err->get_string();
            if (auto* ex = o.if_contains("exception"); ex && ex->is_string())
                e.detail += std::string(" (") + std::string(ex->get_string()) + ")";
        } else {
            take_fields(o, "", e);
        }
    } else if (v.is_array()) {
        const auto& a = v.get_array();
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (a[i].is_object())
                take_fields(a[i].get_object(), "[" + std::to_string(i) + "].", e);
            else if (a[i].is_string())
                e.detail += (e.detail.empty() ? "" : "; ") + std::string(a[i].get_string());
        }
    }
    return e;
}

void response::raise_for_status() const { check_status().value(); }

error response::to_error(errc code, std::string message) const {
    error e;
    e.code = code;
    e.message = std::move(message);
    e.status = status;
    e.method = std::string(to_string(method));
    e.url = url;
    e.request_id = std::string(request_id());
    e.attempts = attempts;
    e.body_excerpt = body.substr(0, 512);
    return e;
}

}  // namespace netbox
