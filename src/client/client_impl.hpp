// The client's shared state and its request pipeline:
//   execute (redirects, request event) → retry_loop → attempt (hooks, auth, per-attempt deadline)
//   → connection_pool → run_exchange.
#pragma once

#include "client/url.hpp"
#include "pipeline/retry_loop.hpp"
#include "transport/connector.hpp"
#include "transport/pool.hpp"

#include <netbox/client.hpp>

#include <map>
#include <mutex>
#include <optional>

namespace netbox::detail {

class client_impl : public std::enable_shared_from_this<client_impl> {
public:
    client_impl(boost::asio::any_io_executor executor, client_options options);
    ~client_impl();

    boost::asio::awaitable<result<response>> execute(http_method method, std::string path, query_params query,
                                                     payload body, request_options options);

    void set_token(std::string token, token_version version);
    /// The memoized schema (null until fetched). Shared, so readers copy outside the lock.
    std::shared_ptr<const boost::json::value> cached_openapi() const;
    void store_openapi(boost::json::value v);

    const boost::asio::any_io_executor executor;
    const client_options options;  // token_ and token_kind_ below are authoritative
    const base_url base;

    /// Pool of an origin, made on first use.
    std::shared_ptr<connection_pool> pool_for(const origin& where);

private:
    struct call;  // one execute(): its fixed inputs

    boost::asio::awaitable<result<response>> run_call(http_method method, std::string path, query_params query,
                                                      payload body, request_options options);
    boost::asio::awaitable<attempt_record> attempt(const call& c, int n);

    std::shared_ptr<const connector> connector_;
    mutable std::mutex mutex_;
    std::string token_;
    token_version token_kind_;
    std::map<std::string, std::shared_ptr<connection_pool>> pools_;
    std::shared_ptr<const boost::json::value> openapi_;
};

/// Request headers as sent (without Host and Content-Length): ours, then the defaults, then the
/// call's, then the hooks'. Exposed for tests.
header_list merge_headers(const client_options& options, const request_options& call_options);

/// Rejects header names or values that could split the request (CR, LF, NUL; names with ':' or
/// spaces).
result<void> check_headers(const header_list& headers);

}  // namespace netbox::detail
