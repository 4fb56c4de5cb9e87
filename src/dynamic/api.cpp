// api, app and plugins_app: the roots of the dynamic facade. Every asynchronous call is a free
// coroutine holding shared_ptr copies, because the api or app value it was called on may be gone
// before the coroutine first resumes.
#include "dynamic/state.hpp"

#include <netbox/dynamic/api.hpp>

#include <algorithm>

namespace netbox {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

/// netbox-branching schema ids are short lowercase alphanumerics; we accept a little more (any
/// letters, digits, `_`, `-`) but nothing that could break or smuggle a header value.
bool valid_schema_id(std::string_view id)
{
    return !id.empty() && std::ranges::all_of(id, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

asio::awaitable<result<json::value>> get_json(std::shared_ptr<const detail::api_scope> scope, std::string path)
{
    result<response> r = co_await detail::send(*scope, http_method::get, std::move(path));
    if (!r)
        co_return r.error();
    co_return detail::json_of(*r);
}

asio::awaitable<json::value> client_status(std::shared_ptr<detail::facade_state> state)
{
    co_return co_await state->http.status();
}

asio::awaitable<std::string> client_version(std::shared_ptr<detail::facade_state> state)
{
    co_return co_await state->http.version();
}

asio::awaitable<json::value> client_openapi(std::shared_ptr<detail::facade_state> state)
{
    co_return co_await state->http.openapi();
}

asio::awaitable<token_grant> client_create_token(std::shared_ptr<detail::facade_state> state, std::string username,
                                                 std::string password, token_request options)
{
    co_return co_await state->http.create_token(std::move(username), std::move(password), std::move(options));
}

}  // namespace

// --- api ----------------------------------------------------------------------------------------------

api::api(asio::any_io_executor executor, std::string base_url, std::string token, api_options options)
    : api(client(std::move(executor), detail::client_options_for(std::move(base_url), std::move(token))), std::move(options))
{
}

api::api(client c, api_options options) : api(detail::make_scope(std::move(c), std::move(options), nullptr)) {}

api::api(std::shared_ptr<const detail::api_scope> scope)
    : scope_(std::move(scope)),
      circuits(scope_),
      core(scope_),
      dcim(scope_),
      extras(scope_),
      ipam(scope_),
      tenancy(scope_),
      users(scope_),
      virtualization(scope_),
      vpn(scope_),
      wireless(scope_),
      plugins(scope_)
{
}

netbox::app api::app(std::string_view name) const { return netbox::app(scope_, std::string(name)); }

api api::branch(std::string schema_id) const
{
    if (!valid_schema_id(schema_id))
        throw api_error(make_error(errc::invalid_argument,
                                   "a branch schema id is one or more of the characters A-Z a-z 0-9 _ - (got \"" +
                                       schema_id.substr(0, 64) + "\")"));
    return api(std::make_shared<const detail::api_scope>(detail::api_scope{scope_->state, std::move(schema_id), scope_->runner}));
}

const std::string& api::active_branch() const noexcept { return scope_->branch; }

asio::awaitable<json::value> api::status() const { return client_status(scope_->state); }

asio::awaitable<std::string> api::version() const { return client_version(scope_->state); }

asio::awaitable<json::value> api::openapi() const { return client_openapi(scope_->state); }

asio::awaitable<token_grant> api::create_token(std::string username, std::string password,
                                               token_request options) const
{
    return client_create_token(scope_->state, std::move(username), std::move(password), std::move(options));
}

const client& api::http() const noexcept { return scope_->state->http; }

const api_options& api::options() const noexcept { return scope_->state->options; }

void api::clear_details_cache() const { scope_->state->clear_details(); }

// --- app ----------------------------------------------------------------------------------------------

app::app(std::shared_ptr<const detail::api_scope> scope, std::string path) : scope_(std::move(scope)), path_(std::move(path))
{
}

netbox::endpoint app::endpoint(std::string_view url_name) const
{
    return netbox::endpoint(detail::make_endpoint_ref(scope_, path_, std::string(url_name)));
}

asio::awaitable<result<json::value>> app::try_config() const { return get_json(scope_, "/api/" + path_ + "/config/"); }

asio::awaitable<json::value> app::config() const { return detail::value_of(try_config()); }

// --- plugins_app --------------------------------------------------------------------------------------

netbox::app plugins_app::app(std::string_view name) const { return netbox::app(scope_, "plugins/" + std::string(name)); }

asio::awaitable<result<json::value>> plugins_app::try_installed_plugins() const
{
    return get_json(scope_, "/api/plugins/installed-plugins/");
}

asio::awaitable<json::value> plugins_app::installed_plugins() const { return detail::value_of(try_installed_plugins()); }

}  // namespace netbox
