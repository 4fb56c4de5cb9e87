// The client's shared state and its request pipeline:
//   execute (redirects, request event) → retry_loop → attempt (hooks, auth, per-attempt deadline)
//   → connection_pool → run_exchange.
#pragma once

#include "client/url.hpp"
#include "pipeline/retry_loop.hpp"
#include "transport/connector.hpp"
#include "transport/exchange.hpp"
#include "transport/pool.hpp"

#include <netbox/client.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

namespace netbox::detail {

/// One GET of a pipelined batch (client_impl::execute_pipelined).
struct pipelined_get {
    std::string path;
    query_params query;
};

/// Receives the outcome of item `index` of a pipelined batch: exactly once per item, with what
/// execute() would have returned for it.
using pipelined_handler = std::function<void(std::size_t index, result<response> outcome)>;

class client_impl : public std::enable_shared_from_this<client_impl> {
public:
    using clock_time = std::chrono::steady_clock::time_point;

    client_impl(boost::asio::any_io_executor executor, client_options options);
    ~client_impl();

    boost::asio::awaitable<result<response>> execute(http_method method, std::string path, query_params query,
                                                     payload body, request_options options);

    /// GETs written ahead on one keep-alive connection of the base origin (HTTP/1.1 pipelining),
    /// at most options.pool.max_pipeline_depth at a time, the answers read in order. Each item is
    /// handed to `on_answer` as soon as its answer is read, so the caller can use it while the
    /// next ones arrive. Every item ends as execute() would end it (same deadlines, auth, hooks,
    /// observer events, decoding, limits), through the normal path where that one acts:
    /// - an answer that the retry policy or a redirect may act on (3xx, 429, 502, 503, 504, an
    ///   answer cut short or refused by a limit) is attempt 1 of that item's normal retry loop,
    ///   run once the connection's work is done;
    /// - when the connection fails or the server closes it (`Connection: close`, a reset) before
    ///   an item's answer began, that item and those after it are sent again through execute(),
    ///   which may open a fresh connection (GETs are idempotent).
    /// So items can be handed out of order: read answers first, then the ones of the normal path,
    /// by index. Cancellation closes the connection; the items not handed out yet end with
    /// errc::cancelled.
    boost::asio::awaitable<void> execute_pipelined(std::vector<pipelined_get> items, request_options options,
                                                   pipelined_handler on_answer);

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
    struct call;          // one execute(): its fixed inputs
    struct wire_request;  // one attempt's request, as sent

    boost::asio::awaitable<result<response>> run_call(http_method method, std::string path, query_params query,
                                                      payload body, request_options options);
    /// The fixed inputs of a call, checked (path, headers, body encoding); the error is the call's
    /// result when they are not usable.
    result<call> prepare_call(http_method method, std::string path, query_params query, payload body,
                              const request_options& call_options, clock_time started);
    /// The retry loop and redirects of a prepared call, and its request event. `first`, when set,
    /// is attempt 1 already made (an answer read from a pipelined connection).
    boost::asio::awaitable<result<response>> run_prepared(call& c, std::optional<attempt_record> first);
    boost::asio::awaitable<attempt_record> attempt(const call& c, int n);
    /// Attempt `n`'s request: hooks run, token added, serialized; or the record of its failure.
    result<wire_request> prepare_attempt(const call& c, int n);
    /// The record of an exchange of `wire`: the response decoded and seen by the hooks, or the error.
    attempt_record finish_attempt(const call& c, const wire_request& wire, exchange_result ex, bool cancelled,
                                  clock_time started);
    attempt_record failed_attempt(const call& c, error e) const;
    boost::asio::awaitable<void> run_pipelined(std::vector<pipelined_get>& items, std::size_t first, std::size_t count,
                                               const request_options& call_options,
                                               const pipelined_handler& on_answer);

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

/// The shared state of a client handle (for the facades' internal calls such as pipelining).
const std::shared_ptr<client_impl>& impl_of(const client& c) noexcept;

/// Rejects header names or values that could split the request (CR, LF, NUL; names with ':' or
/// spaces).
result<void> check_headers(const header_list& headers);

}  // namespace netbox::detail
