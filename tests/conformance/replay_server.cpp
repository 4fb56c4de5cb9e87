#include "replay_server.hpp"

#include "support/shared_dir.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace netbox::test {
namespace {

namespace json = boost::json;

bool iequals(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string text_of(const json::value& v)
{
    if (v.is_string())
        return std::string(v.get_string());
    if (v.is_null())
        return {};
    return json::serialize(v);
}

std::string header_value(const json::object& headers, std::string_view name)
{
    for (const auto& [key, value] : headers)
        if (iequals(key, name))
            return text_of(value);
    return {};
}

std::string scheme_of(std::string_view authorization)
{
    return std::string(authorization.substr(0, authorization.find(' ')));
}

/// The recorded request headers that say something about the request beyond our defaults.
bool is_distinguishing_header(std::string_view name)
{
    return !iequals(name, "Accept") && !iequals(name, "Authorization") && !iequals(name, "Content-Type")
        && !iequals(name, "User-Agent") && !iequals(name, "Accept-Encoding");
}

recording parse_recording(const std::filesystem::path& file)
{
    const json::value v = json::parse(read_file(file));
    const json::object& o = v.as_object();
    recording r;
    r.name = std::string(o.at("name").as_string());
    r.method = std::string(o.at("method").as_string());
    r.path = std::string(o.at("path").as_string());
    if (const auto* q = o.if_contains("query"); q && q->is_object())
        for (const auto& [key, value] : q->get_object())
            r.query.emplace_back(std::string(key), text_of(value));
    if (const auto* h = o.if_contains("request_headers"); h && h->is_object())
        r.request_headers = h->get_object();
    if (const auto* b = o.if_contains("request_body"))
        r.request_body = *b;
    r.status = static_cast<int>(o.at("status").to_number<std::int64_t>());
    if (const auto* h = o.if_contains("response_headers"); h && h->is_object())
        r.response_headers = h->get_object();
    if (const auto* b = o.if_contains("response_body"))
        r.response_body = *b;
    return r;
}

using params = std::vector<std::pair<std::string, std::string>>;

params sorted(params p)
{
    std::sort(p.begin(), p.end());
    return p;
}

/// Score of a recorded body against the body sent; nullopt rules the recording out.
std::optional<int> body_score(const json::value& recorded, std::string_view sent_text)
{
    if (recorded.is_null())
        return 0;
    json::error_code ec;
    const json::value sent = json::parse(sent_text, ec);
    if (ec)
        return std::nullopt;
    if (!recorded.is_object() || !sent.is_object())
        return recorded == sent ? std::optional<int>(1) : std::nullopt;
    int score = 0;
    const json::object& s = sent.get_object();
    for (const auto& [key, value] : recorded.get_object()) {
        const json::value* mine = s.if_contains(key);
        if (mine == nullptr)
            --score;
        else if (*mine == value)
            ++score;
        else
            return std::nullopt;
    }
    return score;
}

std::string describe(const received_request& r)
{
    return r.method + " " + r.target + (r.body.empty() ? "" : " body " + r.body.substr(0, 200));
}

reply error_reply(std::string message)
{
    json::object body{{"detail", "replay: " + message}};
    return json_reply(599, json::serialize(body));
}

reply to_reply(const recording& r, bool head)
{
    reply out;
    out.status = r.status;
    for (const auto& [key, value] : r.response_headers) {
        if (iequals(key, "Transfer-Encoding") || iequals(key, "Connection"))
            continue;
        if (iequals(key, "Content-Length") && !head)
            continue;
        out.headers.emplace_back(std::string(key), text_of(value));
    }
    if (!head)
        out.body = r.body_text();
    out.close = iequals(r.response_header("Connection"), "close");
    return out;
}

}  // namespace

std::string recording::auth_scheme() const
{
    return scheme_of(header_value(request_headers, "Authorization"));
}

std::string recording::response_header(std::string_view name) const
{
    return header_value(response_headers, name);
}

bool recording::has_json_body() const
{
    const std::string type = response_header("Content-Type");
    const bool json_type = type.rfind("application/json", 0) == 0;
    return json_type && !(response_body.is_string() && response_body.get_string().empty())
        && !response_body.is_null();
}

std::string recording::body_text() const
{
    if (response_body.is_string())
        return std::string(response_body.get_string());
    if (response_body.is_null())
        return {};
    return json::serialize(response_body);
}

std::string recording::detail() const
{
    if (!response_body.is_object())
        return {};
    const auto* d = response_body.get_object().if_contains("detail");
    return d && d->is_string() ? std::string(d->get_string()) : std::string();
}

std::vector<recording> load_recordings(const std::filesystem::path& dir)
{
    std::vector<recording> out;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        const auto& p = entry.path();
        if (p.extension() != ".json" || p.filename() == "_index.json")
            continue;
        try {
            out.push_back(parse_recording(p));
        } catch (const std::exception& e) {
            throw std::runtime_error("cannot load recording " + p.filename().string() + ": " + e.what());
        }
    }
    std::sort(out.begin(), out.end(), [](const recording& a, const recording& b) { return a.name < b.name; });
    return out;
}

std::pair<std::string, params> split_target(std::string_view target)
{
    auto parsed = boost::urls::parse_origin_form(target);
    if (!parsed)
        return {std::string(target), {}};
    params query;
    for (const auto& p : parsed->params())
        query.emplace_back(p.key, p.has_value ? p.value : std::string());
    return {std::string(parsed->path()), std::move(query)};
}

replay_server::replay_server(const std::filesystem::path& dir, server_options options)
    : recordings_(load_recordings(dir))
{
    server_ = std::make_unique<test_server>([this](const received_request& r) { return answer(r); }, options);
}

replay_server::~replay_server()
{
    server_->stop();
}

std::string replay_server::url() const
{
    return server_->url();
}

std::size_t replay_server::connections_accepted() const
{
    return server_->connections_accepted();
}

bool replay_server::has(std::string_view name) const
{
    return std::any_of(recordings_.begin(), recordings_.end(), [&](const recording& r) { return r.name == name; });
}

const recording& replay_server::get(std::string_view name) const
{
    for (const auto& r : recordings_)
        if (r.name == name)
            return r;
    throw std::out_of_range("no recording named " + std::string(name));
}

void replay_server::answer_with(std::string method, std::string path, std::string name, std::size_t times)
{
    get(name);  // throws for a typo
    std::lock_guard lock(mutex_);
    choices_[{std::move(method), std::move(path)}] = choice{std::move(name), times};
}

void replay_server::clear_choices()
{
    std::lock_guard lock(mutex_);
    choices_.clear();
}

std::vector<received_request> replay_server::requests() const
{
    return server_->requests();
}

received_request replay_server::last_request() const
{
    auto all = requests();
    if (all.empty())
        throw std::out_of_range("the replay server has received no request");
    return all.back();
}

std::vector<std::string> replay_server::served() const
{
    std::lock_guard lock(mutex_);
    return served_;
}

std::string replay_server::last_served() const
{
    std::lock_guard lock(mutex_);
    return served_.empty() ? std::string() : served_.back();
}

reply replay_server::answer(const received_request& request)
{
    auto [path, query] = split_target(request.target);
    const bool head = request.method == "HEAD";
    std::lock_guard lock(mutex_);

    if (auto it = choices_.find({request.method, path}); it != choices_.end()) {
        const recording& chosen = get(it->second.name);
        if (it->second.remaining != always && --it->second.remaining == 0)
            choices_.erase(it);
        served_.push_back(chosen.name);
        return to_reply(chosen, head);
    }

    const params wanted = sorted(query);
    const std::string sent_scheme = scheme_of(request.header("Authorization"));
    std::vector<std::pair<int, const recording*>> candidates;
    std::string same_path;  // for the error message
    for (const auto& r : recordings_) {
        if (r.method != request.method || r.path != path)
            continue;
        same_path += (same_path.empty() ? "" : ", ") + r.name;
        if (sorted(r.query) != wanted)
            continue;
        auto score = body_score(r.request_body, request.body);
        if (!score)
            continue;
        if (r.auth_scheme() == sent_scheme)
            ++*score;
        for (const auto& [key, value] : r.request_headers) {
            if (!is_distinguishing_header(key))
                continue;
            if (!request.has_header(key))
                --*score;
            else if (request.header(key) == text_of(value))
                ++*score;
        }
        candidates.emplace_back(*score, &r);
    }

    if (candidates.empty()) {
        served_.emplace_back();
        return error_reply("no recording matches " + describe(request)
                           + (same_path.empty() ? std::string(" (none for this method and path)")
                                                : " (same method and path: " + same_path + ")"));
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    if (candidates.size() > 1 && candidates[0].first == candidates[1].first) {
        std::string tied;
        for (const auto& [score, r] : candidates)
            if (score == candidates[0].first)
                tied += (tied.empty() ? "" : ", ") + r->name;
        served_.emplace_back();
        return error_reply("ambiguous request " + describe(request) + ": recordings " + tied
                           + " match equally; choose one with answer_with()");
    }
    served_.push_back(candidates[0].second->name);
    return to_reply(*candidates[0].second, head);
}

}  // namespace netbox::test
