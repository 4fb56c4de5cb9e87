// Detail endpoints of records: available IPs/prefixes/VLANs/ASNs, rack elevations, cable traces and
// paths, NAPALM, render-config and data source sync.
#include "dynamic/state.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <iterator>
#include <set>

namespace netbox {

namespace asio = boost::asio;
namespace json = boost::json;

using detail::endpoint_ref;

namespace {

using document = std::shared_ptr<const json::value>;

bool names_endpoint(const std::shared_ptr<const endpoint_ref>& where) noexcept
{
    return where && !where->name.empty();
}

/// Why `name` cannot be asked of object `id` of `where`, if it cannot: no endpoint or id
/// (invalid_argument), or an endpoint the API model knows without that detail (unsupported).
/// Without a model, or for an endpoint the model does not have (plugins), the server decides.
std::optional<error> refusal(const std::shared_ptr<const endpoint_ref>& where, std::int64_t id, std::string_view name)
{
    if (!names_endpoint(where))
        return make_error(errc::invalid_argument,
                          std::string(name) + ": the record has no endpoint (it was not fetched from one)");
    if (id == 0)
        return detail::endpoint_error(errc::invalid_argument, *where, std::string(name) + ": the record has no id");
    if (const model::resource* r = where->resource())
        if (std::ranges::find(r->details, name, &model::detail_endpoint::name) == r->details.end())
            return detail::endpoint_error(errc::unsupported, *where,
                                          where->key() + " has no detail endpoint '" + std::string(name) + "'");
    return std::nullopt;
}

/// The endpoint the objects an available-* endpoint lists or creates belong to.
std::shared_ptr<const endpoint_ref> owner_of(const std::shared_ptr<const detail::api_scope>& scope,
                                             std::string_view name)
{
    if (name == "available-ips")
        return detail::make_endpoint_ref(scope, "ipam", "ip-addresses");
    if (name == "available-prefixes")
        return detail::make_endpoint_ref(scope, "ipam", "prefixes");
    if (name == "available-vlans")
        return detail::make_endpoint_ref(scope, "ipam", "vlans");
    if (name == "available-asns")
        return detail::make_endpoint_ref(scope, "ipam", "asns");
    return nullptr;
}

/// Makes records over objects of one parsed document, each of the endpoint its `url` names, else
/// of `fallback`, else of none (a ref with the scope only).
class record_maker {
public:
    record_maker(std::shared_ptr<const detail::api_scope> scope, std::shared_ptr<const endpoint_ref> fallback,
                 document doc)
        : scope_(std::move(scope)), fallback_(std::move(fallback)), doc_(std::move(doc))
    {
    }

    record make(const json::object& o, const std::shared_ptr<const endpoint_ref>& fallback)
    {
        return record(where_of(o, fallback), std::shared_ptr<const json::object>(doc_, &o));
    }
    record make(const json::object& o) { return make(o, fallback_); }

    /// The objects of `v`: a list's objects, or one object.
    std::vector<record> all(const json::value& v)
    {
        std::vector<record> out;
        if (const json::object* o = v.if_object())
            out.push_back(make(*o));
        else if (const json::array* a = v.if_array()) {
            out.reserve(a->size());
            for (const json::value& item : *a)
                if (const json::object* io = item.if_object())
                    out.push_back(make(*io));
        }
        return out;
    }

private:
    std::shared_ptr<const endpoint_ref> where_of(const json::object& o,
                                                 const std::shared_ptr<const endpoint_ref>& fallback)
    {
        if (const json::value* url = o.if_contains("url"); url && url->is_string()) {
            auto by_url = detail::endpoint_for_url(scope_, url->get_string());
            if (by_url && last_ && last_->app == by_url->app && last_->name == by_url->name)
                return last_;  // a page's records share one ref
            if (by_url)
                return last_ = std::move(by_url);
        }
        if (fallback)
            return fallback;
        if (!none_)
            none_ = detail::make_endpoint_ref(scope_, std::string(), std::string());
        return none_;
    }

    std::shared_ptr<const detail::api_scope> scope_;
    std::shared_ptr<const endpoint_ref> fallback_;
    document doc_;
    std::shared_ptr<const endpoint_ref> last_;
    std::shared_ptr<const endpoint_ref> none_;
};

// endpoint_error() wants an endpoint; a list fallback may have none.
std::shared_ptr<const endpoint_ref> fallback_or(const std::shared_ptr<const endpoint_ref>& fallback,
                                                const std::shared_ptr<const detail::api_scope>& scope)
{
    return fallback ? fallback : detail::make_endpoint_ref(scope, std::string(), std::string());
}

asio::awaitable<result<std::vector<record>>> refuse_list(error e) { co_return e; }

/// A 2xx JSON answer, parsed once and shared by the records over it.
asio::awaitable<result<document>> fetch(std::shared_ptr<const detail::api_scope> scope, http_method method,
                                        std::string path, query_params query, payload body, request_options options,
                                        bool allocates = false)
{
    result<response> r = co_await detail::send(*scope, method, std::move(path), std::move(query), std::move(body),
                                                std::move(options));
    if (!r)
        co_return r.error();
    // available-* answer 409 when nothing is left (NetBox's detail text is kept).
    if (r->status == 409 && allocates) {
        error e = r->check_status().error();
        e.code = make_error_code(errc::allocation_failed);
        e.message = "NetBox could not allocate what was asked (409)";
        co_return e;
    }
    result<json::value> v = detail::json_of(*r);
    if (!v)
        co_return v.error();
    co_return std::make_shared<const json::value>(std::move(*v));
}

/// GET of a list that is either a JSON list or a paginated envelope, following `next` rebased
/// onto the configured base URL.
asio::awaitable<result<std::vector<record>>> collect(std::shared_ptr<const detail::api_scope> scope,
                                                     std::shared_ptr<const endpoint_ref> fallback, std::string path,
                                                     query_params query, request_options options)
{
    std::vector<record> out;
    std::set<std::string> seen;
    for (;;) {
        payload no_body;
        result<document> doc = co_await fetch(scope, http_method::get, path, std::move(query), std::move(no_body),
                                              options);
        if (!doc)
            co_return doc.error();
        record_maker maker(scope, fallback, *doc);
        const json::value& v = **doc;
        if (v.is_array()) {
            std::ranges::move(maker.all(v), std::back_inserter(out));
            co_return out;
        }
        const json::object* envelope = v.if_object();
        const json::value* results = envelope ? envelope->if_contains("results") : nullptr;
        if (results == nullptr || !results->is_array())
            co_return detail::endpoint_error(errc::content_error, *fallback_or(fallback, scope),
                                             "expected a JSON list or a page of results from " + path);
        std::ranges::move(maker.all(*results), std::back_inserter(out));
        const json::value* next = envelope->if_contains("next");
        if (next == nullptr || !next->is_string() || next->get_string().empty())
            co_return out;
        if (!seen.insert(std::string(next->get_string())).second)
            co_return make_error(errc::content_error, "the server's next link repeats itself (" + path + ")");
        result<detail::relative_target> target = detail::rebase(next->get_string());
        if (!target)
            co_return target.error();
        path = std::move(target->path);
        query = std::move(target->query);
    }
}

}  // namespace

// --- detail_endpoint ---------------------------------------------------------------------------------

detail_endpoint::detail_endpoint(std::shared_ptr<const endpoint_ref> parent, std::int64_t id, std::string name)
    : parent_(std::move(parent)), id_(id), name_(std::move(name))
{
    invalid_ = refusal(parent_, id_, name_);
}

std::string detail_endpoint::path() const
{
    return names_endpoint(parent_) ? parent_->detail_path(id_) + name_ + '/' : std::string();
}

asio::awaitable<result<std::vector<record>>> detail_endpoint::try_list(filters query, request_options options) const
{
    if (invalid_)
        return refuse_list(*invalid_);
    list_options shaping;
    return collect(parent_->scope, owner_of(parent_->scope, name_), path(), detail::list_query(query, shaping),
                   std::move(options));
}

asio::awaitable<std::vector<record>> detail_endpoint::list(filters query, request_options options) const
{
    return detail::value_of(try_list(std::move(query), std::move(options)));
}

namespace {

asio::awaitable<result<record>> create_one(std::optional<error> invalid, std::shared_ptr<const endpoint_ref> parent,
                                           std::string name, std::string path, json::object object,
                                           request_options options)
{
    if (invalid)
        co_return *invalid;
    payload body = json::value(std::move(object));
    query_params no_query;
    result<document> doc = co_await fetch(parent->scope, http_method::post, std::move(path), std::move(no_query),
                                          std::move(body), std::move(options), true);
    if (!doc)
        co_return doc.error();
    const json::value& v = **doc;
    const json::object* o = v.if_object();
    if (const json::array* a = v.if_array(); a && a->size() == 1)
        o = a->front().if_object();
    if (o == nullptr)
        co_return detail::endpoint_error(errc::content_error, *parent, "expected the created object from " + name);
    record_maker maker(parent->scope, owner_of(parent->scope, name), *doc);
    co_return maker.make(*o);
}

asio::awaitable<result<std::vector<record>>> create_many(std::optional<error> invalid,
                                                         std::shared_ptr<const endpoint_ref> parent, std::string name,
                                                         std::string path, json::array objects,
                                                         request_options options)
{
    if (invalid)
        co_return *invalid;
    if (objects.empty())
        co_return std::vector<record>{};
    payload body = json::value(std::move(objects));
    query_params no_query;
    result<document> doc = co_await fetch(parent->scope, http_method::post, std::move(path), std::move(no_query),
                                          std::move(body), std::move(options), true);
    if (!doc)
        co_return doc.error();
    if (!(*doc)->is_array())
        co_return detail::endpoint_error(errc::content_error, *parent, "expected a list of created objects from " + name);
    record_maker maker(parent->scope, owner_of(parent->scope, name), *doc);
    co_return maker.all(**doc);
}

}  // namespace

asio::awaitable<result<record>> detail_endpoint::try_create(json::object object, request_options options) const
{
    return create_one(invalid_, parent_, name_, path(), std::move(object), std::move(options));
}

asio::awaitable<record> detail_endpoint::create(json::object object, request_options options) const
{
    return detail::value_of(try_create(std::move(object), std::move(options)));
}

asio::awaitable<result<std::vector<record>>> detail_endpoint::try_create(json::array objects,
                                                                         request_options options) const
{
    return create_many(invalid_, parent_, name_, path(), std::move(objects), std::move(options));
}

asio::awaitable<std::vector<record>> detail_endpoint::create(json::array objects, request_options options) const
{
    return detail::value_of(try_create(std::move(objects), std::move(options)));
}

// --- elevation_endpoint ------------------------------------------------------------------------------

namespace {

asio::awaitable<result<std::string>> svg_at(std::optional<error> invalid, std::shared_ptr<const endpoint_ref> parent,
                                            std::string path, query_params query)
{
    if (invalid)
        co_return *invalid;
    query.emplace_back("render", "svg");
    result<response> r = co_await detail::send(*parent->scope, http_method::get, std::move(path), std::move(query));
    if (!r)
        co_return r.error();
    if (auto status = r->check_status(); !status)
        co_return status.error();
    const std::string_view type = r->header("Content-Type").value_or(std::string_view());
    if (type.find("svg") == std::string_view::npos && type.find("xml") == std::string_view::npos)
        co_return r->to_error(errc::content_error, "expected an SVG drawing, got Content-Type '" + std::string(type) + "'");
    co_return std::move(r->body);
}

}  // namespace

asio::awaitable<result<std::vector<record>>> elevation_endpoint::try_list(filters query) const
{
    if (at_.invalid_)
        return refuse_list(*at_.invalid_);
    // Rack units are not objects of an endpoint: their records have the scope only.
    list_options shaping;
    request_options options;
    return collect(at_.parent_->scope, nullptr, at_.path(), detail::list_query(query, shaping), std::move(options));
}

asio::awaitable<std::vector<record>> elevation_endpoint::list(filters query) const
{
    return detail::value_of(try_list(std::move(query)));
}

asio::awaitable<result<std::string>> elevation_endpoint::try_svg(filters query) const
{
    list_options shaping;
    return svg_at(at_.invalid_, at_.parent_, at_.path(), detail::list_query(query, shaping));
}

asio::awaitable<std::string> elevation_endpoint::svg(filters query) const { return detail::value_of(try_svg(std::move(query))); }

// --- record: its detail endpoints --------------------------------------------------------------------

detail_endpoint record::available_ips() const { return detail_endpoint(where_, id(), "available-ips"); }
detail_endpoint record::available_prefixes() const { return detail_endpoint(where_, id(), "available-prefixes"); }
detail_endpoint record::available_vlans() const { return detail_endpoint(where_, id(), "available-vlans"); }
detail_endpoint record::available_asns() const { return detail_endpoint(where_, id(), "available-asns"); }
elevation_endpoint record::elevation() const { return elevation_endpoint(detail_endpoint(where_, id(), "elevation")); }
detail_endpoint record::detail(std::string name) const { return detail_endpoint(where_, id(), std::move(name)); }

namespace {

/// The ends of a trace segment: a list of objects (NetBox 3.3+) or one object (before).
std::vector<record> ends_of(record_maker& maker, const json::value& v) { return maker.all(v); }

asio::awaitable<result<std::vector<trace_hop>>> trace_at(std::shared_ptr<const endpoint_ref> where, std::int64_t id)
{
    if (auto refused = refusal(where, id, "trace"))
        co_return *refused;
    std::string path = where->detail_path(id) + "trace/";
    query_params no_query;
    payload no_body;
    request_options options;
    result<document> doc = co_await fetch(where->scope, http_method::get, path, std::move(no_query),
                                          std::move(no_body), std::move(options));
    if (!doc)
        co_return doc.error();
    const json::array* segments = (*doc)->if_array();
    if (segments == nullptr)
        co_return detail::endpoint_error(errc::content_error, *where, "expected a list of trace segments");
    record_maker maker(where->scope, nullptr, *doc);
    const auto cables = detail::make_endpoint_ref(where->scope, "dcim", "cables");
    std::vector<trace_hop> hops;
    hops.reserve(segments->size());
    for (const json::value& s : *segments) {
        const json::array* parts = s.if_array();
        if (parts == nullptr || parts->size() != 3)
            co_return detail::endpoint_error(errc::content_error, *where,
                                             "a trace segment is not [near ends, cable, far ends]");
        trace_hop hop;
        hop.near_ends = ends_of(maker, (*parts)[0]);
        if (const json::object* cable = (*parts)[1].if_object())
            hop.cable = maker.make(*cable, cables);
        hop.far_ends = ends_of(maker, (*parts)[2]);
        hops.push_back(std::move(hop));
    }
    co_return hops;
}

asio::awaitable<result<std::vector<cable_path>>> paths_at(std::shared_ptr<const endpoint_ref> where, std::int64_t id)
{
    if (auto refused = refusal(where, id, "paths"))
        co_return *refused;
    std::string path = where->detail_path(id) + "paths/";
    query_params no_query;
    payload no_body;
    request_options options;
    result<document> doc = co_await fetch(where->scope, http_method::get, path, std::move(no_query),
                                          std::move(no_body), std::move(options));
    if (!doc)
        co_return doc.error();
    const json::array* items = (*doc)->if_array();
    if (items == nullptr)
        co_return detail::endpoint_error(errc::content_error, *where, "expected a list of cable paths");
    record_maker maker(where->scope, nullptr, *doc);
    const auto flag = [](const json::object& o, std::string_view name) {
        const json::value* v = o.if_contains(name);
        return v && v->is_bool() && v->get_bool();
    };
    std::vector<cable_path> out;
    out.reserve(items->size());
    for (const json::value& item : *items) {
        const json::object* o = item.if_object();
        if (o == nullptr)
            co_return detail::endpoint_error(errc::content_error, *where, "a cable path is not an object");
        cable_path p;
        if (const json::value* hops = o->if_contains("path"); hops && hops->is_array())
            for (const json::value& hop : hops->get_array())
                p.segments.push_back(maker.all(hop));
        p.is_complete = flag(*o, "is_complete");
        p.is_active = flag(*o, "is_active");
        p.is_split = flag(*o, "is_split");
        // NetBox 4 sends `path` only: its first hop is the origin, its last the destination
        // when the path is complete. Older servers send `origin` and `destination` too.
        if (const json::value* origin = o->if_contains("origin"); origin && !origin->is_null())
            p.origin = maker.all(*origin);
        else if (!p.segments.empty())
            p.origin = p.segments.front();
        if (const json::value* destination = o->if_contains("destination"); destination && !destination->is_null())
            p.destination = maker.all(*destination);
        else if (p.is_complete && p.segments.size() > 1)
            p.destination = p.segments.back();
        out.push_back(std::move(p));
    }
    co_return out;
}

asio::awaitable<result<json::value>> napalm_at(std::shared_ptr<const endpoint_ref> where, std::int64_t id,
                                               std::vector<std::string> methods)
{
    // NAPALM is a plugin since NetBox 3.5: the model does not list it, so only the endpoint is checked.
    if (!names_endpoint(where))
        co_return make_error(errc::invalid_argument, "napalm: the record has no endpoint (it was not fetched from one)");
    if (where->key() != "dcim/devices")
        co_return detail::endpoint_error(errc::unsupported, *where, "napalm: only devices have it");
    if (id == 0)
        co_return detail::endpoint_error(errc::invalid_argument, *where, "napalm: the record has no id");
    if (methods.empty())
        co_return detail::endpoint_error(errc::invalid_argument, *where, "napalm: no method given");
    query_params query;
    for (std::string& m : methods)
        query.emplace_back("method", std::move(m));
    std::string path = where->detail_path(id) + "napalm/";
    payload no_body;
    request_options options;
    result<document> doc = co_await fetch(where->scope, http_method::get, std::move(path), std::move(query),
                                          std::move(no_body), std::move(options));
    if (!doc)
        co_return doc.error();
    co_return **doc;
}

asio::awaitable<result<json::value>> render_config_at(std::shared_ptr<const endpoint_ref> where, std::int64_t id,
                                                      json::object context)
{
    if (auto refused = refusal(where, id, "render-config"))
        co_return *refused;
    std::string path = where->detail_path(id) + "render-config/";
    query_params no_query;
    payload body = json::value(std::move(context));
    request_options options;
    result<document> doc = co_await fetch(where->scope, http_method::post, std::move(path), std::move(no_query),
                                          std::move(body), std::move(options));
    if (!doc)
        co_return doc.error();
    co_return **doc;
}

asio::awaitable<result<record>> sync_at(std::shared_ptr<const endpoint_ref> where, std::int64_t id)
{
    if (auto refused = refusal(where, id, "sync"))
        co_return *refused;
    std::string path = where->detail_path(id) + "sync/";
    query_params no_query;
    payload no_body;
    request_options options;
    result<document> doc = co_await fetch(where->scope, http_method::post, std::move(path), std::move(no_query),
                                          std::move(no_body), std::move(options));
    if (!doc)
        co_return doc.error();
    const json::object* o = (*doc)->if_object();
    if (o == nullptr)
        co_return detail::endpoint_error(errc::content_error, *where, "expected the synchronized object");
    co_return record(where, std::shared_ptr<const json::object>(*doc, o));
}

}  // namespace

asio::awaitable<result<std::vector<trace_hop>>> record::try_trace() const { return trace_at(where_, id()); }
asio::awaitable<std::vector<trace_hop>> record::trace() const { return detail::value_of(try_trace()); }

asio::awaitable<result<std::vector<cable_path>>> record::try_paths() const { return paths_at(where_, id()); }
asio::awaitable<std::vector<cable_path>> record::paths() const { return detail::value_of(try_paths()); }

asio::awaitable<result<json::value>> record::try_napalm(std::vector<std::string> methods) const
{
    return napalm_at(where_, id(), std::move(methods));
}

asio::awaitable<json::value> record::napalm(std::vector<std::string> methods) const
{
    return detail::value_of(try_napalm(std::move(methods)));
}

asio::awaitable<result<json::value>> record::try_render_config(json::object context) const
{
    return render_config_at(where_, id(), std::move(context));
}

asio::awaitable<json::value> record::render_config(json::object context) const
{
    return detail::value_of(try_render_config(std::move(context)));
}

asio::awaitable<result<record>> record::try_sync() const { return sync_at(where_, id()); }
asio::awaitable<record> record::sync() const { return detail::value_of(try_sync()); }

}  // namespace netbox
