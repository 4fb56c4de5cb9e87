#include "dynamic/state.hpp"

#include <boost/json/parse.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <charconv>

namespace netbox::detail {

namespace asio = boost::asio;
namespace json = boost::json;

std::optional<std::pair<int, int>> release_line(std::string_view v) noexcept
{
    int major = 0, minor = 0;
    const char* end = v.data() + v.size();
    auto [p, ec] = std::from_chars(v.data(), end, major);
    if (ec != std::errc() || p == end || *p != '.')
        return std::nullopt;
    auto [q, ec2] = std::from_chars(p + 1, end, minor);
    // "4.5", "4.5.10", "4.5.10-Docker-3.2"; not "4.5x".
    if (ec2 != std::errc() || (q != end && *q != '.' && *q != '-'))
        return std::nullopt;
    return std::pair{major, minor};
}

const model::api* model_for_version(std::string_view version) noexcept
{
    if (const model::api* exact = model::find_api(version))
        return exact;
    const auto wanted = release_line(version);
    if (!wanted)
        return nullptr;
    const model::api* best = nullptr;
    std::pair<int, int> best_line{-1, -1};
    for (const model::api* a : model::all_apis()) {
        const auto line = release_line(a->version);
        if (line && *line <= *wanted && *line > best_line) {
            best = a;
            best_line = *line;
        }
    }
    return best;
}

// --- facade_state -------------------------------------------------------------------------------------

facade_state::facade_state(client c, api_options o) : http(std::move(c)), options(std::move(o))
{
    if (!options.version.empty()) {
        model_.store(model_for_version(options.version), std::memory_order_release);
        version_known_.store(true, std::memory_order_release);
    }
}

void facade_state::note_version(std::string_view api_version) noexcept
{
    if (api_version.empty() || version_known_.load(std::memory_order_acquire))
        return;
    std::lock_guard lock(mutex_);
    if (version_known_.load(std::memory_order_relaxed))
        return;
    model_.store(model_for_version(api_version), std::memory_order_release);
    version_known_.store(true, std::memory_order_release);
}

asio::awaitable<const model::api*> facade_state::ensure_model()
{
    if (!version_known_.load(std::memory_order_acquire)) {
        // A failure leaves the version unknown: the callers carry on without a model.
        result<response> r = co_await http.try_request(http_method::get, "/api/");
        if (r)
            note_version(r->api_version());
    }
    co_return model();
}

std::shared_ptr<const choice_map> facade_state::cached_choices(const std::string& path) const
{
    std::lock_guard lock(mutex_);
    auto it = choices_.find(path);
    return it == choices_.end() ? nullptr : it->second;
}

void facade_state::store_choices(const std::string& path, std::shared_ptr<const choice_map> choices)
{
    std::lock_guard lock(mutex_);
    choices_[path] = std::move(choices);
}

std::shared_ptr<const json::object> facade_state::cached_details(const std::string& path) const
{
    std::lock_guard lock(mutex_);
    auto it = details_.find(path);
    return it == details_.end() ? nullptr : it->second;
}

void facade_state::store_details(const std::string& path, std::shared_ptr<const json::object> object)
{
    if (options.detail_cache_size == 0)
        return;
    std::lock_guard lock(mutex_);
    auto [it, inserted] = details_.insert_or_assign(path, std::move(object));
    if (inserted)
        details_order_.push_back(path);
    while (details_.size() > options.detail_cache_size && !details_order_.empty()) {
        details_.erase(details_order_.front());
        details_order_.pop_front();
    }
}

void facade_state::clear_details()
{
    std::lock_guard lock(mutex_);
    details_.clear();
    details_order_.clear();
}

// --- endpoints ----------------------------------------------------------------------------------------

std::string endpoint_ref::list_path() const { return "/api/" + app + '/' + name + '/'; }

std::string endpoint_ref::detail_path(std::int64_t id) const { return list_path() + std::to_string(id) + '/'; }

const model::resource* endpoint_ref::resource() const noexcept
{
    const model::api* m = scope->state->model();
    return m ? m->find_resource(app, name) : nullptr;
}

std::shared_ptr<const api_scope> make_scope(client c, api_options options, std::shared_ptr<blocking_runner> runner)
{
    auto state = std::make_shared<facade_state>(std::move(c), std::move(options));
    return std::make_shared<const api_scope>(api_scope{std::move(state), std::string(), std::move(runner)});
}

client_options client_options_for(std::string base_url, std::string token)
{
    client_options o;
    o.base_url = std::move(base_url);
    o.token = std::move(token);
    return o;
}

std::shared_ptr<const endpoint_ref> make_endpoint_ref(std::shared_ptr<const api_scope> scope, std::string app,
                                                      std::string name)
{
    return std::make_shared<const endpoint_ref>(endpoint_ref{std::move(scope), std::move(app), std::move(name)});
}

std::shared_ptr<const endpoint_ref> endpoint_for_url(const std::shared_ptr<const api_scope>& scope,
                                                     std::string_view url)
{
    const std::size_t at = url.find("/api/");
    if (at == std::string_view::npos)
        return nullptr;
    std::string_view rest = url.substr(at + 5);
    rest = rest.substr(0, std::min(rest.find('?'), rest.size()));
    // <app>/<name>/... or plugins/<plugin>/<name>/...
    auto segment = [&rest]() {
        const std::size_t slash = rest.find('/');
        std::string_view s = rest.substr(0, slash);
        rest.remove_prefix(slash == std::string_view::npos ? rest.size() : slash + 1);
        return s;
    };
    std::string app(segment());
    if (app == "plugins")
        app += '/' + std::string(segment());
    std::string name(segment());
    if (app.empty() || name.empty())
        return nullptr;
    return make_endpoint_ref(scope, std::move(app), std::move(name));
}

std::shared_ptr<const endpoint_ref> endpoint_for_target(const std::shared_ptr<const api_scope>& scope,
                                                        std::string_view target)
{
    const std::size_t dot = target.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == target.size())
        return nullptr;
    return make_endpoint_ref(scope, std::string(target.substr(0, dot)), std::string(target.substr(dot + 1)));
}

result<relative_target> rebase(std::string_view url)
{
    auto parsed = boost::urls::parse_uri_reference(url);
    if (!parsed)
        return make_error(errc::content_error, "the server returned a URL that cannot be parsed");
    const std::string path = parsed->path();
    const std::size_t at = path.find("/api/");
    if (at == std::string::npos)
        return make_error(errc::content_error, "the server returned a URL outside /api/");
    relative_target out;
    out.path = path.substr(at);
    for (const auto& p : parsed->params())
        out.query.emplace_back(p.key, p.value);
    return out;
}

// --- requests -----------------------------------------------------------------------------------------

asio::awaitable<result<response>> send(const api_scope& scope, http_method method, std::string path,
                                       query_params query, payload body, request_options options)
{
    if (!scope.branch.empty() && !options.headers.contains("X-NetBox-Branch"))
        options.headers.set("X-NetBox-Branch", scope.branch);
    result<response> r = co_await scope.state->http.try_request(method, std::move(path), std::move(query),
                                                                  std::move(body), std::move(options));
    if (r)
        scope.state->note_version(r->api_version());
    co_return r;
}

result<json::value> json_of(const response& r)
{
    if (auto status = r.check_status(); !status)
        return status.error();
    result<json::value> v = r.try_json();
    if (!v) {
        error e = v.error();
        e.code = make_error_code(errc::content_error);
        e.message = "the answer is not the JSON the endpoint returns: " + e.message;
        return e;
    }
    return v;
}

result<json::object> object_of(const response& r, std::string_view what)
{
    result<json::value> v = json_of(r);
    if (!v)
        return v.error();
    if (json::object* o = v->if_object())
        return std::move(*o);
    return r.to_error(errc::content_error, "expected " + std::string(what) + " as a JSON object");
}

asio::awaitable<bulk_result> bulk_value_of(asio::awaitable<result<bulk_result>> op)
{
    bulk_result out = (co_await std::move(op)).value();
    if (const error* e = out.first_error())
        throw api_error(*e);
    co_return out;
}

error endpoint_error(errc code, const endpoint_ref& where, std::string message)
{
    return make_error(code, std::move(message) + " (" + where.list_path() + ")");
}

// --- queries ------------------------------------------------------------------------------------------

namespace {

std::string joined(const std::vector<std::string>& names)
{
    std::string out;
    for (const std::string& n : names)
        out.append(out.empty() ? "" : ",").append(n);
    return out;
}

/// Parameters that shape the answer rather than filter it; never checked against the model.
bool is_control_parameter(std::string_view name)
{
    static constexpr std::string_view names[] = {"limit", "offset", "ordering", "brief",  "fields",
                                                 "omit",  "exclude", "start",   "format", "q"};
    return std::ranges::find(names, name) != std::end(names);
}

/// The parameter names of the list GET of `path` in an OpenAPI document.
std::vector<std::string> schema_parameters(const json::value& schema, const std::string& path)
{
    std::vector<std::string> out;
    const json::object* root = schema.if_object();
    const json::value* paths = root ? root->if_contains("paths") : nullptr;
    const json::value* item = paths && paths->is_object() ? paths->as_object().if_contains(path) : nullptr;
    const json::value* get = item && item->is_object() ? item->as_object().if_contains("get") : nullptr;
    const json::value* params = get && get->is_object() ? get->as_object().if_contains("parameters") : nullptr;
    if (params && params->is_array())
        for (const json::value& p : params->as_array())
            if (const json::value* name = p.is_object() ? p.as_object().if_contains("name") : nullptr;
                name && name->is_string())
                out.emplace_back(name->as_string());
    return out;
}

}  // namespace

query_params list_query(const filters& query, const list_options& options)
{
    query_params out;
    for (const filter& f : query)
        for (const std::string& v : f.values)
            out.emplace_back(f.name, v);
    if (options.brief)
        out.emplace_back("brief", "1");
    if (!options.fields.empty())
        out.emplace_back("fields", joined(options.fields));
    if (!options.omit.empty())
        out.emplace_back("omit", joined(options.omit));
    if (!options.exclude.empty())
        out.emplace_back("exclude", joined(options.exclude));
    if (!options.ordering.empty())
        out.emplace_back("ordering", options.ordering);
    return out;
}

asio::awaitable<result<void>> check_filters(const endpoint_ref& where, const filters& query,
                                            const list_options& options)
{
    facade_state& state = where.state();
    if (!options.strict_filters.value_or(state.options.strict_filters) || query.empty())
        co_return result<void>{};
    for (const filter& f : query)
        if (f.name.empty())
            co_return endpoint_error(errc::invalid_filter, where, "a filter has an empty name");

    const model::api* m = co_await state.ensure_model();
    const model::resource* r = m ? m->find_resource(where.app, where.name) : nullptr;
    if (r) {
        for (const filter& f : query)
            if (!is_control_parameter(f.name) && !r->accepts_filter(f.name))
                co_return endpoint_error(errc::invalid_filter, where,
                                         "'" + f.name + "' is not a filter of " + where.key());
        co_return result<void>{};
    }
    // Not in the model (a plugin, a newer NetBox): the schema's parameters of the list GET.
    result<json::value> schema = co_await state.http.try_openapi();
    if (!schema)
        co_return schema.error();
    const std::vector<std::string> accepted = schema_parameters(*schema, where.list_path());
    if (accepted.empty())
        co_return endpoint_error(errc::invalid_filter, where,
                                 "strict filters: the OpenAPI schema does not describe " + where.list_path());
    for (const filter& f : query) {
        if (is_control_parameter(f.name) || f.name.starts_with("cf_"))
            continue;
        if (std::ranges::find(accepted, f.name) == accepted.end())
            co_return endpoint_error(errc::invalid_filter, where,
                                     "'" + f.name + "' is not a filter of " + where.key());
    }
    co_return result<void>{};
}

std::vector<record> records_of(const std::shared_ptr<const endpoint_ref>& where,
                               std::shared_ptr<const json::value> document, const json::array& objects)
{
    std::vector<record> out;
    out.reserve(objects.size());
    for (const json::value& v : objects)
        if (const json::object* o = v.if_object())
            out.emplace_back(where, std::shared_ptr<const json::object>(document, o));
    return out;
}

std::size_t page_size_of(const facade_state& state, const list_options& options)
{
    return options.limit.value_or(state.options.page_size);
}

}  // namespace netbox::detail
