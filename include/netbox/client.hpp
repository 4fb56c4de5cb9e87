// netbox-cpp: the low-level asynchronous NetBox client.
#pragma once

#include <netbox/http.hpp>
#include <netbox/options.hpp>
#include <netbox/result.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace netbox {

class client;

namespace detail {
class client_impl;
const std::shared_ptr<client_impl>& impl_of(const client& c) noexcept;
}

/// A token returned by POST /api/users/tokens/provision/.
struct token_grant {
    token_version version = token_version::v1;
    std::int64_t id = 0;
    std::string key;          ///< v2: the key part; v1: empty
    std::string token;        ///< what goes into client_options::token (v2: "nbt_<key>.<secret>")
    boost::json::value raw;   ///< the server's answer, as sent
};

struct token_request {
    token_version version = token_version::automatic;  ///< automatic: let the server choose
    std::string description;
    bool write_enabled = true;
    bool adopt = true;        ///< use the new token for this client's later requests
};

/// What probe_connection() found. A 403 still means "reachable".
struct probe_result {
    bool reachable = false;      ///< an HTTP answer arrived from /api/
    bool authenticated = false;  ///< that answer was 2xx
    int status = 0;
    std::string api_version;
    std::string error;           ///< our description when something failed
};

/// Cheap-to-copy handle over a connection pool and a request pipeline. Thread-safe: any number of
/// coroutines on any executor (an io_context run by many threads, strands) may share one.
///
/// Default arguments are spelled `T()`, not `{}`: inside a co_await expression GCC 12 copies a
/// `{}` default bitwise, which breaks short strings.
///
/// Each call has a throwing form (co_await yields the value, failures throw netbox::api_error) and a
/// `try_` form that returns netbox::result<T>. Non-2xx answers of request() are not failures.
class client {
public:
    /// Throws api_error(errc::invalid_argument) for a base URL that is not http(s)://host[:port][/prefix].
    client(boost::asio::any_io_executor executor, client_options options);

    boost::asio::any_io_executor get_executor() const noexcept;

    /// Sends one request. `path` is relative to the base URL ("/api/dcim/devices/"), with no query
    /// string of its own and not an absolute URL: both are rejected with errc::invalid_argument.
    boost::asio::awaitable<result<response>> try_request(http_method method, std::string path,
                                                         query_params query = query_params(), payload body = payload(),
                                                         request_options options = request_options()) const;
    boost::asio::awaitable<response> request(http_method method, std::string path, query_params query = query_params(),
                                             payload body = payload(), request_options options = request_options()) const;

    /// request() for any completion token: use_future, a callback `void(std::exception_ptr, response)`,
    /// deferred, use_awaitable. Cancellation through the token's slot is honoured.
    template <class CompletionToken>
    auto async_request(http_method method, std::string path, query_params query, payload body,
                       request_options options, CompletionToken&& token) const {
        return boost::asio::co_spawn(
            get_executor(),
            request(method, std::move(path), std::move(query), std::move(body), std::move(options)),
            std::forward<CompletionToken>(token));
    }

    /// GET /api/status/ (needs a 2xx).
    boost::asio::awaitable<result<boost::json::value>> try_status() const;
    boost::asio::awaitable<boost::json::value> status() const;

    /// The `API-Version` header of an authenticated GET /api/ ("4.5").
    boost::asio::awaitable<result<std::string>> try_version() const;
    boost::asio::awaitable<std::string> version() const;

    /// GET /api/schema/?format=json, fetched once per client and memoized.
    boost::asio::awaitable<result<boost::json::value>> try_openapi() const;
    boost::asio::awaitable<boost::json::value> openapi() const;

    /// POST /api/users/tokens/provision/ with a user name and password. Handles the v1 and v2 answer
    /// shapes; with `adopt` the new token replaces this client's token.
    boost::asio::awaitable<result<token_grant>> try_create_token(std::string username, std::string password,
                                                                 token_request options = token_request()) const;
    boost::asio::awaitable<token_grant> create_token(std::string username, std::string password,
                                                     token_request options = token_request()) const;

    /// GET /api/ and report reachability, status and API version. Never throws for server faults.
    boost::asio::awaitable<probe_result> probe_connection() const;

    /// POST /graphql/ {query, variables}. `errors` in a 200 answer become errc::graphql_error with
    /// the messages in error::detail. Returns `data`.
    boost::asio::awaitable<result<boost::json::value>> try_graphql(std::string query,
                                                                   boost::json::object variables = boost::json::object()) const;
    boost::asio::awaitable<boost::json::value> graphql(std::string query, boost::json::object variables = boost::json::object()) const;

    /// Replaces the token for later requests.
    void set_token(std::string token, token_version version = token_version::automatic) const;

    /// The base URL as normalised (no trailing slash).
    const std::string& base_url() const noexcept;

private:
    friend const std::shared_ptr<detail::client_impl>& detail::impl_of(const client& c) noexcept;
    std::shared_ptr<detail::client_impl> impl_;
};

}  // namespace netbox
