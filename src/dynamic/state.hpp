// The dynamic facade's shared state and the helpers every part of it uses: the scope a request is
// sent through (branch), where an endpoint lives, the API model, query building, URL rebasing and
// the mapping of answers to results.
#pragma once

#include <netbox/dynamic/api.hpp>
#include <netbox/model/api_model.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace netbox::detail {

/// What every copy of an api shares.
class facade_state {
public:
    facade_state(client c, api_options o);

    const client http;
    const api_options options;

    /// The API model, once known (api_options::version or an API-Version header); may stay null
    /// for a release line that is not compiled in and has no older compiled neighbour.
    const model::api* model() const noexcept { return model_.load(std::memory_order_acquire); }
    /// Learns the model from an `API-Version` header value ("4.5"); the first one wins.
    void note_version(std::string_view api_version) noexcept;
    /// The model, asking GET /api/ once when no answer has told the version yet.
    boost::asio::awaitable<const model::api*> ensure_model();

    /// Memoized choices by list path.
    std::shared_ptr<const choice_map> cached_choices(const std::string& path) const;
    void store_choices(const std::string& path, std::shared_ptr<const choice_map> choices);

    /// full_details() cache by request path ("/api/dcim/sites/3/"), oldest dropped first.
    std::shared_ptr<const boost::json::object> cached_details(const std::string& path) const;
    void store_details(const std::string& path, std::shared_ptr<const boost::json::object> object);
    void clear_details();

private:
    std::atomic<const model::api*> model_{nullptr};
    std::atomic<bool> version_known_{false};
    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<const choice_map>, std::less<>> choices_;
    std::unordered_map<std::string, std::shared_ptr<const boost::json::object>> details_;
    std::deque<std::string> details_order_;
};

/// "4.5.10" → {4, 5}; nullopt unless it is two numbers, then nothing or a '.' or '-' part.
std::optional<std::pair<int, int>> release_line(std::string_view version) noexcept;

/// The model for a release line: the exact one, else the newest compiled one older than it.
const model::api* model_for_version(std::string_view version) noexcept;

class blocking_runner;

/// What one api value sends through: the shared state and its branch.
struct api_scope {
    std::shared_ptr<facade_state> state;
    std::string branch;  ///< X-NetBox-Branch, "" for main
    /// The blocking twin's io_context pump; null for asynchronous apis.
    std::shared_ptr<blocking_runner> runner;
};

/// Where an endpoint lives. Shared by an endpoint object and every record it returns.
struct endpoint_ref {
    std::shared_ptr<const api_scope> scope;
    std::string app;   ///< "dcim", "plugins/gpon"
    std::string name;  ///< "devices"

    facade_state& state() const noexcept { return *scope->state; }
    std::string list_path() const;                 ///< "/api/dcim/devices/"
    std::string detail_path(std::int64_t id) const;///< "/api/dcim/devices/7/"
    std::string key() const { return app + '/' + name; }
    /// The endpoint in the API model, when the model is known and has it.
    const model::resource* resource() const noexcept;
};

/// A main-branch scope over a new facade_state (`runner` null for asynchronous apis).
std::shared_ptr<const api_scope> make_scope(client c, api_options options, std::shared_ptr<blocking_runner> runner);

/// Client options of just a base URL and a token (the api constructors that take those).
client_options client_options_for(std::string base_url, std::string token);

std::shared_ptr<const endpoint_ref> make_endpoint_ref(std::shared_ptr<const api_scope> scope, std::string app,
                                                      std::string name);

/// The endpoint of an object's URL ("https://any-host/netbox/api/dcim/sites/3/" → dcim/sites in
/// the same scope), or of a model target ("dcim.sites"). Null when it names none.
std::shared_ptr<const endpoint_ref> endpoint_for_url(const std::shared_ptr<const api_scope>& scope,
                                                     std::string_view url);
std::shared_ptr<const endpoint_ref> endpoint_for_target(const std::shared_ptr<const api_scope>& scope,
                                                        std::string_view target);

/// A server-returned absolute URL (`next`, a record's `url`) as a request relative to the
/// configured base URL: everything from its `/api/` on, query decoded. The server's scheme, host,
/// port and path prefix are ignored (a proxy may report them wrong). errc::content_error when the
/// URL has no /api/ path.
struct relative_target {
    std::string path;
    query_params query;
};
result<relative_target> rebase(std::string_view url);

/// Sends through the scope: adds X-NetBox-Branch, notes the API-Version of the answer.
boost::asio::awaitable<result<response>> send(const api_scope& scope, http_method method, std::string path,
                                              query_params query = {}, payload body = {},
                                              request_options options = {});

/// The JSON body of a 2xx answer. Another status: its check_status() error; a 2xx whose body is
/// not JSON: errc::content_error.
result<boost::json::value> json_of(const response& r);
/// json_of() requiring a JSON object (errc::content_error otherwise, naming `what`).
result<boost::json::object> object_of(const response& r, std::string_view what);

/// The throwing form of a `try_` call: `result<T>::value()` as a coroutine that owns the
/// operation, so no `this` of a facade object is involved after the call returns.
template <class T>
boost::asio::awaitable<T> value_of(boost::asio::awaitable<result<T>> op)
{
    result<T> r = co_await std::move(op);
    co_return std::move(r).value();
}

inline boost::asio::awaitable<void> value_of(boost::asio::awaitable<result<void>> op)
{
    result<void> r = co_await std::move(op);
    r.value();
}

/// The throwing form of a bulk write: a failed batch throws too, since a caller who does not look
/// at the report would otherwise never learn that objects were not written.
boost::asio::awaitable<bulk_result> bulk_value_of(boost::asio::awaitable<result<bulk_result>> op);

/// An error of ours about an endpoint: "<message> (/api/dcim/devices/)".
error endpoint_error(errc code, const endpoint_ref& where, std::string message);

/// Filters and list options as query parameters: the filters in order, then brief, fields, omit,
/// exclude, ordering. limit/offset/start are the paginator's.
query_params list_query(const filters& query, const list_options& options);

/// The strict-filter check (list_options::strict_filters, else api_options::strict_filters): every
/// filter name must be one the endpoint accepts (API model; for endpoints the model does not have,
/// the OpenAPI schema's parameters of the list GET). errc::invalid_filter naming the filter and the
/// endpoint. May fetch the model (GET /api/) or the schema once.
boost::asio::awaitable<result<void>> check_filters(const endpoint_ref& where, const filters& query,
                                                   const list_options& options);

/// Records over the objects of a JSON array (a page's `results`), sharing `document`'s storage.
std::vector<record> records_of(const std::shared_ptr<const endpoint_ref>& where,
                               std::shared_ptr<const boost::json::value> document, const boost::json::array& objects);

/// The page size a scan asks for: list_options::limit, else api_options::page_size.
std::size_t page_size_of(const facade_state& state, const list_options& options);

}  // namespace netbox::detail
