// netbox-cpp examples: the in-process demo server (see demo_server.hpp).
//
// Built with BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION: the compiled
// parts of Asio and Beast come from the netbox library.
#include "demo_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace netbox_examples {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;

namespace {

constexpr std::string_view api_version = "4.5";
constexpr std::int64_t default_page_size = 50;
constexpr std::int64_t max_page_size = 1000;

struct device_row {
    std::int64_t id;
    const char* name;
    const char* role;
    const char* site;
    const char* model;
    const char* status;
};

constexpr device_row devices[] = {
    {1, "ams1-edge-01", "router", "ams1", "MX204", "active"},
    {2, "ams1-edge-02", "router", "ams1", "MX204", "active"},
    {3, "ams1-leaf-01", "leaf", "ams1", "QFX5120", "active"},
    {4, "fra1-edge-01", "router", "fra1", "MX204", "planned"},
    {5, "fra1-leaf-01", "leaf", "fra1", "QFX5120", "active"},
    {6, "fra1-leaf-02", "leaf", "fra1", "QFX5120", "offline"},
    {7, "lab-spare-01", "leaf", "lab", "QFX5120", "inventory"},
};

std::string upper_case(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

std::string title_case(std::string_view s) {
    std::string out(s);
    if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
    return out;
}

/// What one route produced.
struct answer {
    http::status status = http::status::ok;
    json::value body;
    std::chrono::milliseconds delay{0};
};

answer detail(http::status status, std::string_view text) {
    return {status, json::object{{"detail", text}}, {}};
}

std::optional<std::int64_t> to_int(std::string_view s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

class router {
public:
    /// `origin` is "http://host:port" as the client addressed us (from the Host header).
    answer handle(http::verb method, std::string_view target, std::string_view authorization,
                  std::string_view content_type, std::string_view body, const std::string& origin) {
        auto parsed = boost::urls::parse_origin_form(target);
        if (!parsed) return detail(http::status::bad_request, "Malformed request target.");
        std::string path = parsed->path();

        const bool api = path.rfind("/api/", 0) == 0;
        const bool graphql = path == "/graphql/";
        if (!api && !graphql) return detail(http::status::not_found, "Not found.");

        // The one route that needs no token: it hands one out.
        if (path == "/api/users/tokens/provision/") {
            if (method != http::verb::post) return not_allowed(method);
            return provision_token(body, origin);
        }

        if (auto denied = check_token(authorization)) return *denied;

        if (graphql) {
            if (method != http::verb::post) return not_allowed(method);
            return graphql_answer(body);
        }
        if (method == http::verb::post && path == "/api/dcim/devices/") return create_device(body, origin);
        if (method == http::verb::post && path == "/api/extras/image-attachments/")
            return upload_image(content_type, body, origin);
        if (method != http::verb::get && method != http::verb::head) {
            if (path == "/api/" || path == "/api/status/" || path.rfind("/api/dcim/devices/", 0) == 0)
                return not_allowed(method);
            return detail(http::status::not_found, "Not found.");
        }
        if (path == "/api/") return api_root(origin);
        if (path == "/api/status/") return status_answer();
        if (path == "/api/dcim/devices/") return device_list(*parsed, origin);
        if (path.rfind("/api/dcim/devices/", 0) == 0) {
            std::string_view rest = std::string_view(path).substr(std::string_view("/api/dcim/devices/").size());
            if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
            if (auto id = to_int(rest)) {
                for (const auto& d : devices)
                    if (d.id == *id) return {http::status::ok, device_json(d, origin), {}};
            }
            return detail(http::status::not_found, "No Device matches the given query.");
        }
        if (path == "/api/demo/slow/") {
            std::int64_t ms = 2000;
            auto params = parsed->params();
            if (auto it = params.find("ms"); it != params.end())
                if (auto v = to_int((*it).value)) ms = std::clamp<std::int64_t>(*v, 0, 10'000);
            return {http::status::ok, json::object{{"slept_ms", ms}}, std::chrono::milliseconds(ms)};
        }
        return detail(http::status::not_found, "Not found.");
    }

private:
    static std::optional<answer> check_token(std::string_view authorization) {
        if (authorization.empty())
            return detail(http::status::forbidden, "Authentication credentials were not provided.");
        auto space = authorization.find(' ');
        std::string_view keyword = authorization.substr(0, space);
        std::string_view key = space == std::string_view::npos ? std::string_view{} : authorization.substr(space + 1);
        if (keyword != "Token" && keyword != "Bearer")
            return detail(http::status::forbidden, "Authentication credentials were not provided.");
        if (key != demo_server::token) {
            const bool v2 = key.rfind("nbt_", 0) == 0;
            return detail(http::status::forbidden, v2 ? "Invalid v2 token" : "Invalid v1 token");
        }
        return std::nullopt;
    }

    static json::value parse_json(std::string_view body) {
        boost::system::error_code ec;
        json::value v = json::parse(body, ec);
        return ec ? json::value(nullptr) : v;
    }

    static std::string string_field(const json::object& o, std::string_view key) {
        if (const auto* v = o.if_contains(key))
            if (const auto* s = v->if_string()) return std::string(*s);
        return {};
    }

    static answer provision_token(std::string_view body, const std::string& origin) {
        json::value request = parse_json(body);
        if (!request.is_object())
            return {http::status::bad_request, json::object{{"non_field_errors", json::array{"Invalid data."}}}, {}};
        const auto& o = request.as_object();
        if (string_field(o, "username") != "demo" || string_field(o, "password") != "demo")
            return detail(http::status::forbidden, "Invalid username/password");
        // The NetBox 4.5 answer for a v1 token: the plaintext is in `token`, `key` is null.
        json::object user{{"id", 1}, {"url", origin + "/api/users/users/1/"}, {"display", "demo"}, {"username", "demo"}};
        return {http::status::created,
                json::object{{"id", 1},
                             {"url", origin + "/api/users/tokens/1/"},
                             {"display", "**********************************4567"},
                             {"version", 1},
                             {"key", nullptr},
                             {"token", demo_server::token},
                             {"user", std::move(user)},
                             {"description", string_field(o, "description")},
                             {"write_enabled", true},
                             {"expires", nullptr}},
                {}};
    }

    /// POST /api/dcim/devices/: validates like NetBox, stores nothing.
    answer create_device(std::string_view body, const std::string& origin) {
        json::value request = parse_json(body);
        if (!request.is_object())
            return {http::status::bad_request, json::object{{"non_field_errors", json::array{"Invalid data."}}}, {}};
        const auto& o = request.as_object();
        json::object errors;
        for (const char* field : {"device_type", "role", "site"})
            if (!o.contains(field)) errors[field] = json::array{"This field is required."};
        if (errors.size() != 0) return {http::status::bad_request, std::move(errors), {}};
        device_row row{++last_device_id, "", "leaf", "lab", "QFX5120", "planned"};
        std::string name = string_field(o, "name");
        json::object created = device_json(row, origin);
        created["name"] = name.empty() ? json::value(nullptr) : json::value(name);
        created["display"] = name.empty() ? "Unnamed device" : name;
        return {http::status::created, std::move(created), {}};
    }

    struct form_part {
        std::string name;
        std::string filename;
        std::string data;
    };

    /// A minimal multipart/form-data reader, enough for the demo.
    static std::optional<std::vector<form_part>> parse_multipart(std::string_view content_type, std::string_view body) {
        auto b = content_type.find("boundary=");
        if (content_type.rfind("multipart/form-data", 0) != 0 || b == std::string_view::npos) return std::nullopt;
        std::string_view boundary = content_type.substr(b + 9);
        if (auto semi = boundary.find(';'); semi != std::string_view::npos) boundary = boundary.substr(0, semi);
        if (boundary.size() >= 2 && boundary.front() == '"') boundary = boundary.substr(1, boundary.size() - 2);
        const std::string delimiter = "--" + std::string(boundary);

        std::vector<form_part> parts;
        std::size_t pos = body.find(delimiter);
        while (pos != std::string_view::npos) {
            pos += delimiter.size();
            if (body.substr(pos, 2) == "--") return parts;  // closing delimiter
            if (body.substr(pos, 2) != "\r\n") return std::nullopt;
            pos += 2;
            auto head_end = body.find("\r\n\r\n", pos);
            auto next = body.find("\r\n" + delimiter, pos);
            if (head_end == std::string_view::npos || next == std::string_view::npos || head_end > next)
                return std::nullopt;
            std::string_view head = body.substr(pos, head_end - pos);
            form_part part;
            auto quoted = [&](std::string_view key) {
                auto k = head.find(key);
                if (k == std::string_view::npos) return std::string();
                auto start = k + key.size();
                auto end = head.find('"', start);
                return std::string(head.substr(start, end - start));
            };
            part.name = quoted(" name=\"");
            part.filename = quoted("filename=\"");
            part.data = std::string(body.substr(head_end + 4, next - head_end - 4));
            parts.push_back(std::move(part));
            pos = next + 2;
        }
        return std::nullopt;
    }

    /// POST /api/extras/image-attachments/ (multipart: object_type, object_id, name, image).
    answer upload_image(std::string_view content_type, std::string_view body, const std::string& origin) {
        auto parts = parse_multipart(content_type, body);
        if (!parts)
            return detail(http::status::unsupported_media_type,
                          "Unsupported media type in request; expected multipart/form-data.");
        std::string object_type, object_id, name;
        const form_part* image = nullptr;
        for (const auto& p : *parts) {
            if (p.name == "object_type") object_type = p.data;
            else if (p.name == "object_id") object_id = p.data;
            else if (p.name == "name") name = p.data;
            else if (p.name == "image" && !p.filename.empty()) image = &p;
        }
        json::object errors;
        if (object_type.empty()) errors["object_type"] = json::array{"This field is required."};
        if (object_id.empty()) errors["object_id"] = json::array{"This field is required."};
        if (!image) errors["image"] = json::array{"No file was submitted."};
        if (errors.size() != 0) return {http::status::bad_request, std::move(errors), {}};
        const std::int64_t id = ++last_attachment_id;
        return {http::status::created,
                json::object{{"id", id},
                             {"url", origin + "/api/extras/image-attachments/" + std::to_string(id) + "/"},
                             {"display", name.empty() ? image->filename : name},
                             {"object_type", object_type},
                             {"object_id", to_int(object_id).value_or(0)},
                             {"name", name},
                             {"image", origin + "/media/image-attachments/" + image->filename},
                             {"size", static_cast<std::int64_t>(image->data.size())}},
                {}};
    }

    static answer not_allowed(http::verb method) {
        std::string text = "Method \"";
        text += std::string(http::to_string(method));
        text += "\" not allowed.";
        return detail(http::status::method_not_allowed, text);
    }

    static answer api_root(const std::string& origin) {
        json::object root;
        for (const char* app : {"circuits", "core", "dcim", "extras", "ipam", "plugins", "tenancy", "users",
                                "virtualization", "vpn", "wireless"})
            root[app] = origin + "/api/" + app + "/";
        return {http::status::ok, std::move(root), {}};
    }

    static answer status_answer() {
        json::object apps{{"django_filters", "25.1"},      {"django_prometheus", "2.4.1"},
                          {"django_rq", "3.1"},            {"django_tables2", "2.7.5"},
                          {"drf_spectacular", "0.28.0"},   {"mptt", "0.17.0"},
                          {"rest_framework", "3.16.1"},    {"social_django", "5.4.3"},
                          {"strawberry_django", "0.65.1"}, {"taggit", "6.1.0"}};
        json::object s{{"django-version", "5.2.7"},
                       {"installed-apps", std::move(apps)},
                       {"netbox-version", "4.5.10"},
                       {"netbox-full-version", "4.5.10"},
                       {"plugins", json::object{}},
                       {"python-version", "3.12.3"},
                       {"rq-workers-running", 1}};
        return {http::status::ok, std::move(s), {}};
    }

    static json::object brief(std::int64_t id, std::string_view app_path, std::string_view name,
                              const std::string& origin) {
        std::string slug(name);
        std::transform(slug.begin(), slug.end(), slug.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return json::object{{"id", id},
                            {"url", origin + std::string(app_path) + std::to_string(id) + "/"},
                            {"display", name},
                            {"name", name},
                            {"slug", slug}};
    }

    static json::object device_json(const device_row& d, const std::string& origin) {
        const std::int64_t site_id = std::string_view(d.site) == "ams1" ? 1 : std::string_view(d.site) == "fra1" ? 2 : 3;
        const std::int64_t role_id = std::string_view(d.role) == "router" ? 1 : 2;
        const std::int64_t type_id = std::string_view(d.model) == "MX204" ? 1 : 2;
        json::object type = brief(type_id, "/api/dcim/device-types/", d.model, origin);
        type.erase("name");
        type["model"] = d.model;
        type["manufacturer"] = brief(1, "/api/dcim/manufacturers/", "Juniper", origin);
        return json::object{
            {"id", d.id},
            {"url", origin + "/api/dcim/devices/" + std::to_string(d.id) + "/"},
            {"display_url", origin + "/dcim/devices/" + std::to_string(d.id) + "/"},
            {"display", d.name},
            {"name", d.name},
            {"device_type", std::move(type)},
            {"role", brief(role_id, "/api/dcim/device-roles/", title_case(d.role), origin)},
            {"site", brief(site_id, "/api/dcim/sites/", upper_case(d.site), origin)},
            {"status", json::object{{"value", d.status}, {"label", title_case(d.status)}}},
            {"serial", ""},
            {"primary_ip4", nullptr},
            {"tags", json::array{}},
            {"custom_fields", json::object{}},
            {"created", "2025-01-15T09:30:00.000000Z"},
            {"last_updated", "2025-06-01T12:00:00.000000Z"},
        };
    }

    static answer device_list(const boost::urls::url_view& target, const std::string& origin) {
        auto params = target.params();
        std::int64_t limit = default_page_size;
        std::int64_t offset = 0;
        if (auto it = params.find("limit"); it != params.end())
            if (auto v = to_int((*it).value); v && *v >= 0) limit = *v == 0 ? max_page_size : std::min(*v, max_page_size);
        if (auto it = params.find("offset"); it != params.end())
            if (auto v = to_int((*it).value); v && *v >= 0) offset = *v;

        const auto count = static_cast<std::int64_t>(std::size(devices));
        json::array results;
        for (std::int64_t i = offset; i < count && i < offset + limit; ++i)
            results.push_back(device_json(devices[i], origin));

        // Like NetBox: next/previous are absolute URLs built from the incoming request.
        boost::urls::url self(origin);
        self.set_encoded_path(target.encoded_path());
        if (target.has_query()) self.set_encoded_query(target.encoded_query());
        json::value next = nullptr;
        if (offset + limit < count) {
            boost::urls::url u = self;
            u.params().set("limit", std::to_string(limit));
            u.params().set("offset", std::to_string(offset + limit));
            next = u.buffer();
        }
        json::value previous = nullptr;
        if (offset > 0) {
            boost::urls::url u = self;
            u.params().set("limit", std::to_string(limit));
            if (offset - limit <= 0)
                u.params().erase("offset");
            else
                u.params().set("offset", std::to_string(offset - limit));
            previous = u.buffer();
        }
        return {http::status::ok,
                json::object{{"count", count}, {"next", next}, {"previous", previous}, {"results", std::move(results)}},
                {}};
    }

    std::int64_t last_device_id = 100;
    std::int64_t last_attachment_id = 0;

    static answer graphql_answer(std::string_view body) {
        boost::system::error_code ec;
        json::value request = json::parse(body, ec);
        const json::string* query = nullptr;
        if (!ec && request.is_object())
            if (auto* q = request.as_object().if_contains("query")) query = q->if_string();
        if (!query) {
            json::object err{{"message", "The request body must be JSON with a \"query\" string."}};
            return {http::status::bad_request, json::object{{"data", nullptr}, {"errors", json::array{err}}}, {}};
        }
        if (std::string_view(*query).find("device_list") == std::string_view::npos) {
            json::object err{{"message", "This demo server only knows the device_list query."}};
            return {http::status::ok, json::object{{"data", nullptr}, {"errors", json::array{err}}}, {}};
        }
        // Honours `pagination: {limit: N}` (offset-based pagination of NetBox 4.3+), roughly.
        std::size_t limit = std::size(devices);
        std::string_view text = *query;
        if (auto at = text.find("limit:"); at != std::string_view::npos) {
            auto digits = text.substr(at + 6);
            while (!digits.empty() && digits.front() == ' ') digits.remove_prefix(1);
            std::size_t n = 0;
            auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
            if (ec == std::errc{} && p != digits.data()) limit = n;
        }
        json::array list;
        for (const auto& d : devices) {
            if (list.size() >= limit) break;
            list.push_back(json::object{{"id", std::to_string(d.id)}, {"name", d.name}});
        }
        return {http::status::ok, json::object{{"data", json::object{{"device_list", std::move(list)}}}}, {}};
    }
};

std::string make_request_id(std::mt19937_64& rng) {
    // A random (version 4) UUID, as NetBox sends.
    static constexpr char hex[] = "0123456789abcdef";
    std::uint64_t a = rng(), b = rng();
    std::string out;
    for (int i = 0; i < 32; ++i) {
        std::uint64_t word = i < 16 ? a : b;
        unsigned nibble = static_cast<unsigned>((word >> ((i % 16) * 4)) & 0xF);
        if (i == 12) nibble = 4;
        if (i == 16) nibble = 8 | (nibble & 3);
        if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
        out += hex[nibble];
    }
    return out;
}

}  // namespace

struct demo_server::impl {
    asio::io_context ioc{1};
    tcp::acceptor acceptor{ioc};
    unsigned short port = 0;
    std::atomic<std::size_t> served{0};
    std::mt19937_64 rng{std::random_device{}()};
    router routes;
    std::thread thread;

    asio::awaitable<void> accept_loop() {
        for (;;) {
            boost::system::error_code ec;
            tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
            if (ec) co_return;
            asio::co_spawn(ioc, session(std::move(socket)), asio::detached);
        }
    }

    asio::awaitable<void> session(tcp::socket socket) {
        boost::beast::flat_buffer buffer;
        boost::system::error_code ec;
        for (;;) {
            http::request<http::string_body> req;
            co_await http::async_read(socket, buffer, req, asio::redirect_error(asio::use_awaitable, ec));
            if (ec) break;

            std::string host(req[http::field::host]);
            if (host.empty()) host = "127.0.0.1:" + std::to_string(port);
            answer a = routes.handle(req.method(), req.target(), req[http::field::authorization],
                                     req[http::field::content_type], req.body(),
                                     "http://" + host);
            if (a.delay.count() > 0) {
                asio::steady_timer timer(socket.get_executor(), a.delay);
                co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            }

            http::response<http::string_body> res{a.status, req.version()};
            res.set(http::field::server, "netbox-cpp-demo");
            res.set(http::field::content_type, "application/json");
            if (std::string_view(req.target()).rfind("/api/", 0) == 0) res.set("API-Version", api_version);
            res.set("X-Request-ID", make_request_id(rng));
            res.set(http::field::vary, "Accept, Cookie, Origin");
            if (req.method() != http::verb::head) res.body() = json::serialize(a.body);
            res.keep_alive(req.keep_alive());
            res.prepare_payload();
            if (req.method() == http::verb::head) res.content_length(json::serialize(a.body).size());

            co_await http::async_write(socket, res, asio::redirect_error(asio::use_awaitable, ec));
            ++served;
            if (ec || !res.keep_alive()) break;
        }
        socket.shutdown(tcp::socket::shutdown_send, ec);
    }
};

demo_server::demo_server() : impl_(std::make_unique<impl>()) {
    tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
    impl_->acceptor.open(ep.protocol());
    impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
    impl_->acceptor.bind(ep);
    impl_->acceptor.listen();
    impl_->port = impl_->acceptor.local_endpoint().port();
    asio::co_spawn(impl_->ioc, impl_->accept_loop(), asio::detached);
    impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

demo_server::~demo_server() {
    impl_->ioc.stop();
    if (impl_->thread.joinable()) impl_->thread.join();
}

std::string demo_server::base_url() const { return "http://127.0.0.1:" + std::to_string(impl_->port); }
unsigned short demo_server::port() const { return impl_->port; }
std::size_t demo_server::requests_served() const { return impl_->served.load(); }

target choose_target() {
    target t;
    const char* url = std::getenv("NETBOX_URL");
    const char* token = std::getenv("NETBOX_TOKEN");
    if (url && *url && token && *token) {
        t.base_url = url;
        t.token = token;
        t.real = true;
        return t;
    }
    t.server = std::make_unique<demo_server>();
    t.base_url = t.server->base_url();
    t.token = std::string(demo_server::token);
    return t;
}

}  // namespace netbox_examples
