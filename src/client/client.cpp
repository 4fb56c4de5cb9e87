#include "client/client_impl.hpp"

#include "client/auth.hpp"
#include "transport/compression.hpp"
#include "transport/exchange.hpp"

#include <boost/asio/this_coro.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

namespace netbox {
namespace detail {
namespace asio = boost::asio;
namespace json = boost::json;
using clock = std::chrono::steady_clock;
using namespace std::literals;

namespace {

struct encoded_body {
    std::string content_type;
    std::string data;
};

encoded_body encode(payload&& p) {
    return std::visit(
        [](auto&& v) -> encoded_body {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) return {};
            else if constexpr (std::is_same_v<T, json::value>) return {"application/json", json::serialize(v)};
            else if constexpr (std::is_same_v<T, raw_body>) return {std::move(v.content_type), std::move(v.data)};
            else {
                auto m = encode_multipart(v);
                return {std::move(m.content_type), std::move(m.body)};
            }
        },
        std::move(p));
}

bool has_body_semantics(http_method m) {
    return m == http_method::post || m == http_method::put || m == http_method::patch;
}

std::string host_header(const origin& o) {
    bool ipv6 = o.host.find(':') != std::string::npos;
    std::string h = ipv6 ? "[" + o.host + "]" : o.host;
    if (o.port != (o.tls ? 443 : 80)) h += ":" + std::to_string(o.port);
    return h;
}

std::string serialize_request(http_method m, const origin& o, std::string_view target, const header_list& headers,
                              std::string_view body) {
    std::string out;
    out.reserve(256 + target.size() + body.size());
    out += to_string(m);
    out += ' ';
    out += target;
    out += " HTTP/1.1\r\nHost: ";
    out += host_header(o);
    out += "\r\n";
    for (const auto& [k, v] : headers) {
        out += k;
        out += ": ";
        out += v;
        out += "\r\n";
    }
    if (!body.empty() || has_body_semantics(m)) {
        out += "Content-Length: ";
        out += std::to_string(body.size());
        out += "\r\n";
    }
    out += "\r\n";
    out += body;
    return out;
}

bool is_redirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}


}  // namespace

header_list merge_headers(const client_options& options, const request_options& call_options) {
    header_list h;
    h.set("User-Agent", options.user_agent);
    h.set("Accept", "application/json");
    if (options.accept_compression) h.set("Accept-Encoding", "gzip, deflate");
    for (const auto& [k, v] : options.default_headers) h.set(k, v);
    for (const auto& [k, v] : call_options.headers) h.set(k, v);
    // An Authorization given here stays unless the client has a token of its own: attempt() decides,
    // with the token current at that moment.
    h.erase("Host");
    h.erase("Content-Length");
    return h;
}

result<void> check_headers(const header_list& headers) {
    // One pass per string: find_first_of would call memchr once per character (a hot spot of the
    // keep-alive benchmark, as this runs twice per request).
    const auto bad_in_name = [](char c) {
        return c == ':' || c == '\r' || c == '\n' || c == ' ' || c == '\t' || c == '\0';
    };
    const auto bad_in_value = [](char c) { return c == '\r' || c == '\n' || c == '\0'; };
    for (const auto& [k, v] : headers) {
        if (k.empty() || std::any_of(k.begin(), k.end(), bad_in_name))
            return make_error(errc::invalid_argument, "invalid header name '" + k + "'");
        if (std::any_of(v.begin(), v.end(), bad_in_value))
            return make_error(errc::invalid_argument, "header '" + k + "' has a line break or NUL in its value");
    }
    return {};
}

// Everything an execute() call fixes once, shared by its attempts.
struct client_impl::call {
    http_method method;
    origin where;
    std::string target;
    std::string url;
    header_list headers;  // merged; Content-Type set when there is a body
    std::string body;
    bool send_auth = true;     // the call wants authentication and the target is the base origin
    bool cross_origin = false; // a redirect led to another origin
    clock::time_point started;
    clock::time_point deadline;
    milliseconds connect_timeout;
    milliseconds attempt_timeout;
    const request_options* options;
};

struct client_impl::wire_request {
    outgoing_request out;  // what the hooks saw (no token)
    std::string bytes;     // the request as written
};

client_impl::client_impl(asio::any_io_executor ex, client_options o)
    : executor(std::move(ex)),
      options(std::move(o)),
      base(parse_base_url(options.base_url).value()),
      connector_(std::make_shared<connector>(options.tls, base.where.tls)),
      token_(options.token),
      token_kind_(options.token_kind) {}

client_impl::~client_impl() {
    for (auto& [_, p] : pools_) p->close_idle();
}

void client_impl::set_token(std::string token, token_version version) {
    std::lock_guard lock(mutex_);
    token_ = std::move(token);
    token_kind_ = version;
}

std::shared_ptr<const json::value> client_impl::cached_openapi() const {
    std::lock_guard lock(mutex_);
    return openapi_;
}

void client_impl::store_openapi(json::value v) {
    auto stored = std::make_shared<const json::value>(std::move(v));
    std::lock_guard lock(mutex_);
    if (!openapi_) openapi_ = std::move(stored);
}

std::shared_ptr<connection_pool> client_impl::pool_for(const origin& where) {
    std::lock_guard lock(mutex_);
    auto& p = pools_[where.to_string()];
    if (!p) {
        auto connect = [c = connector_](asio::any_io_executor ex, const origin& o, steady_time deadline) {
            return c->connect(std::move(ex), o, deadline);
        };
        p = std::make_shared<connection_pool>(executor, where, std::move(connect), options.pool);
    }
    return p;
}

attempt_record client_impl::failed_attempt(const call& c, error e) const {
    attempt_record rec;
    e.method = std::string(to_string(c.method));
    e.url = c.url;
    rec.err = std::move(e);
    return rec;
}

result<client_impl::wire_request> client_impl::prepare_attempt(const call& c, int n) {
    std::string auth;  // the token as it is now: set_token() and create_token() may have changed it
    if (c.send_auth) {
        std::lock_guard lock(mutex_);
        auth = authorization_value(token_, token_kind_);
    }
    // With a token, ours replaces any Authorization of the defaults, and the hooks do not see it, so a
    // logging hook cannot leak it. A hook that sets Authorization itself wins.
    wire_request w{outgoing_request{c.method, c.url, c.headers, n}, std::string()};
    if (!auth.empty()) w.out.headers.erase("Authorization");
    // The headers were checked once per call; only a hook can have changed them since.
    if (options.on_request || c.options->on_request) {
        if (options.on_request) options.on_request(w.out);
        if (c.options->on_request) c.options->on_request(w.out);
        if (auto ok = check_headers(w.out.headers); !ok) return ok.error();
    }
    header_list wire = w.out.headers;
    if (!c.send_auth) {
        wire.erase("Authorization");
        // Credentials never follow a redirect to another origin, whoever put them in.
        if (c.cross_origin) {
            wire.erase("Proxy-Authorization");
            wire.erase("Cookie");
        }
    } else if (!auth.empty() && !wire.contains("Authorization")) {
        wire.set("Authorization", std::move(auth));
    }
    w.bytes = serialize_request(c.method, c.where, c.target, wire, c.body);
    return w;
}

attempt_record client_impl::finish_attempt(const call& c, const wire_request& wire, exchange_result ex,
                                           bool cancelled, clock::time_point started) {
    attempt_record rec;
    rec.latency = std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - started);
    rec.bytes_sent = ex.bytes_sent;
    rec.bytes_received = ex.bytes_received;
    rec.request_written = ex.request_written();
    rec.response_started = ex.response_started();
    const auto fail = [&](error e) {
        e.method = std::string(to_string(c.method));
        e.url = c.url;
        rec.err = std::move(e);
        return std::move(rec);
    };

    if (cancelled || ex.error == errc::cancelled) return fail(make_error(errc::cancelled, "request cancelled"));
    if (ex.error) {
        error e;
        e.code = ex.error;
        e.message = ex.error_text;
        if (c.deadline <= clock::now() && ex.error == errc::timeout) e.message += " (overall deadline)";
        return fail(std::move(e));
    }

    response r;
    r.status = ex.status;
    r.headers = std::move(ex.headers);
    r.method = c.method;
    r.url = c.url;
    if (auto enc = r.headers.get("Content-Encoding"); enc && !ex.body.empty()) {
        auto decoded = decode_content(*enc, std::move(ex.body), options.max_response_bytes);
        if (!decoded) {
            error e = decoded.error();
            e.status = r.status;
            e.request_id = std::string(r.request_id());
            return fail(std::move(e));
        }
        r.body = std::move(*decoded);
        r.headers.erase("Content-Encoding");
    } else {
        r.body = std::move(ex.body);
    }

    if (options.on_response) options.on_response(wire.out, r);
    if (c.options->on_response) c.options->on_response(wire.out, r);

    rec.resp = std::move(r);
    return rec;
}

asio::awaitable<attempt_record> client_impl::attempt(const call& c, int n) {
    const auto started = clock::now();
    result<wire_request> wire = prepare_attempt(c, n);
    if (!wire) co_return failed_attempt(c, wire.error());

    auto leased = co_await pool_for(c.where)->acquire(c.deadline, c.connect_timeout);
    if (!leased) co_return failed_attempt(c, leased.error());
    lease conn = std::move(*leased);
    const bool reused = conn.reused();

    conn->stream->expires_at(std::min(c.deadline, deadline_after(clock::now(), c.attempt_timeout)));
    exchange_limits limits;
    limits.max_body = options.max_response_bytes;
    auto ex = co_await run_exchange(*conn->stream, conn->buffer, wire->bytes, c.method == http_method::head, limits);
    // No reset of the deadline: an idle connection runs no operation, and the next attempt sets its own.

    auto cs = co_await asio::this_coro::cancellation_state;
    const bool cancelled = cs.cancelled() != asio::cancellation_type::none;
    conn.give_back(ex.reusable && !cancelled);  // a cancelled exchange never returns its socket
    attempt_record rec = finish_attempt(c, *wire, std::move(ex), cancelled, started);
    rec.reused_connection = reused;
    co_return rec;
}

asio::awaitable<result<response>> client_impl::execute(http_method method, std::string path, query_params query,
                                                       payload body, request_options call_options) {
    // Cancellation must end a call with errc::cancelled, never as an exception out of a co_await
    // (Asio's default once a cancellation is pending). The flag belongs to the whole coroutine
    // chain, so the caller's setting is restored.
    const bool caller_throws = co_await asio::this_coro::throw_if_cancelled();
    co_await asio::this_coro::throw_if_cancelled(false);
    auto r = co_await run_call(method, std::move(path), std::move(query), std::move(body), std::move(call_options));
    co_await asio::this_coro::throw_if_cancelled(caller_throws);
    co_return r;
}

result<client_impl::call> client_impl::prepare_call(http_method method, std::string path, query_params query,
                                                    payload body, const request_options& call_options,
                                                    clock::time_point started) {
    auto fail = [&](error e) -> result<call> {
        e.method = std::string(to_string(method));
        if (e.url.empty()) e.url = base.text + path;
        return e;
    };
    if (auto ok = check_request_path(path); !ok) return fail(ok.error());

    call c;
    c.method = method;
    c.where = base.where;
    c.target = build_target(base, path, query);
    c.url = base.where.to_string() + c.target;
    c.headers = merge_headers(options, call_options);
    encoded_body enc;
    try {
        enc = encode(std::move(body));
    } catch (const api_error& e) {
        return fail(e.info());
    }
    if (!enc.content_type.empty()) c.headers.set("Content-Type", std::move(enc.content_type));
    if (auto ok = check_headers(c.headers); !ok) return fail(ok.error());  // before any connection
    c.body = std::move(enc.data);
    c.started = started;
    c.deadline = deadline_after(started, call_options.overall_timeout.value_or(options.timeouts.overall));
    c.connect_timeout = call_options.connect_timeout.value_or(options.timeouts.connect);
    c.attempt_timeout = call_options.attempt_timeout.value_or(options.timeouts.attempt);
    c.options = &call_options;
    c.send_auth = call_options.authenticate;
    return c;
}

asio::awaitable<result<response>> client_impl::run_call(http_method method, std::string path, query_params query,
                                                       payload body, request_options call_options) {
    result<call> c = prepare_call(method, std::move(path), std::move(query), std::move(body), call_options,
                                  clock::now());
    if (!c) co_return c.error();
    std::optional<attempt_record> none;
    co_return co_await run_prepared(*c, std::move(none));
}

asio::awaitable<result<response>> client_impl::run_prepared(call& c, std::optional<attempt_record> first) {
    const http_method method = c.method;
    const request_options& call_options = *c.options;
    const int max_attempts = call_options.max_attempts.value_or(options.retry.max_attempts);

    attempt_observer observe;
    if (options.observer) {
        observe = [&](const attempt_record& rec, int n, bool will_retry) {
            request_event ev;
            ev.what = request_event::kind::attempt;
            ev.method = method;
            ev.path = c.target;
            ev.attempt = n;
            ev.will_retry = will_retry;
            ev.latency = rec.latency;
            ev.bytes_sent = rec.bytes_sent;
            ev.bytes_received = rec.bytes_received;
            if (rec.resp) {
                ev.status = rec.resp->status;
                ev.request_id = std::string(rec.resp->request_id());
            } else {
                ev.error = rec.err.code;
            }
            options.observer(ev);
        };
    }
    std::size_t total_sent = 0, total_received = 0;  // over every attempt, for the request event
    const attempt_fn next = [&](int n) -> asio::awaitable<attempt_record> {
        attempt_record rec;
        if (first && n == 1) {  // made already (pipelining); a redirect's loop starts afresh
            rec = std::move(*first);
            first.reset();
        } else {
            rec = co_await attempt(c, n);
        }
        if (rec.resp) rec.resp->attempts = n;
        total_sent += rec.bytes_sent;
        total_received += rec.bytes_received;
        co_return rec;
    };

    result<response> res = error{};
    for (int redirects = 0;; ++redirects) {
        res = co_await retry_loop(method, options.retry, max_attempts, c.deadline, next, observe);
        if (!res || !is_redirect(res->status) || (method != http_method::get && method != http_method::head))
            break;
        auto location = res->header("Location");
        if (!location || options.max_redirects <= 0) break;
        if (redirects >= options.max_redirects) {
            error e = make_error(errc::too_many_redirects, "more than " + std::to_string(options.max_redirects) + " redirects");
            e.method = std::string(to_string(method));
            e.url = c.url;
            res = std::move(e);
            break;
        }
        auto next_location = resolve_location(c.where, *location, c.target);
        if (!next_location) break;  // an unusable Location: hand the 3xx to the caller
        if (c.where.tls && !next_location->where.tls) break;  // no downgrade from https to http
        // The token goes only to the configured origin.
        c.cross_origin = next_location->where != base.where;
        c.send_auth = call_options.authenticate && !c.cross_origin;
        c.where = next_location->where;
        c.target = std::move(next_location->target);
        c.url = c.where.to_string() + c.target;
    }

    if (options.observer) {
        request_event ev;
        ev.what = request_event::kind::request;
        ev.method = method;
        ev.path = c.target;
        ev.latency = std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - c.started);
        ev.bytes_sent = total_sent;
        ev.bytes_received = total_received;
        if (res) {
            ev.status = res->status;
            ev.attempt = res->attempts;
            ev.request_id = std::string(res->request_id());
        } else {
            ev.attempt = res.error().attempts;
            ev.error = res.error().code;
        }
        options.observer(ev);
    }
    co_return res;
}

// --- pipelining ---------------------------------------------------------------------------------

namespace {

/// An answer that the normal path would hand over as it is, whatever the options: not a redirect
/// and no status the retry policy may act on (429, 502, 503, 504).
bool settled(const attempt_record& rec) {
    if (!rec.resp) return false;
    const int s = rec.resp->status;
    return s < 300 || (s >= 400 && s != 429 && s != 502 && s != 503 && s != 504);
}

bool cancelled_now(const asio::cancellation_state& cs) { return cs.cancelled() != asio::cancellation_type::none; }

}  // namespace

asio::awaitable<void> client_impl::execute_pipelined(std::vector<pipelined_get> items, request_options call_options,
                                                     pipelined_handler on_answer) {
    // As in execute(): cancellation is reported per item, never thrown.
    const bool caller_throws = co_await asio::this_coro::throw_if_cancelled();
    co_await asio::this_coro::throw_if_cancelled(false);
    const std::size_t depth = std::max<std::size_t>(1, options.pool.max_pipeline_depth);
    for (std::size_t first = 0; first < items.size(); first += depth)
        co_await run_pipelined(items, first, std::min(depth, items.size() - first), call_options, on_answer);
    co_await asio::this_coro::throw_if_cancelled(caller_throws);
}

asio::awaitable<void> client_impl::run_pipelined(std::vector<pipelined_get>& items, std::size_t first,
                                                 std::size_t count, const request_options& call_options,
                                                 const pipelined_handler& on_answer) {
    const auto started = clock::now();
    struct item {
        std::optional<call> c;
        std::optional<error> refused;            // the call could not be made: its result
        std::optional<attempt_record> attempt1;  // made, for the normal path to go on from
        std::optional<wire_request> wire;
        bool done = false;
    };
    std::vector<item> batch(count);
    std::string bytes;               // every request of the batch, written at once
    std::vector<std::size_t> sent;   // positions in `batch`, in the order written
    for (std::size_t i = 0; i < count; ++i) {
        item& it = batch[i];
        pipelined_get& get = items[first + i];
        result<call> c = prepare_call(http_method::get, std::move(get.path), std::move(get.query), payload(),
                                      call_options, started);
        if (!c) {
            it.refused = std::move(c.error());
            continue;
        }
        it.c.emplace(std::move(*c));
        result<wire_request> w = prepare_attempt(*it.c, 1);
        if (!w) {
            it.attempt1 = failed_attempt(*it.c, w.error());
            continue;
        }
        bytes += w->bytes;
        it.wire.emplace(std::move(*w));
        sent.push_back(i);
    }
    const auto deliver = [&](std::size_t i, result<response> r) {
        batch[i].done = true;
        on_answer(first + i, std::move(r));
    };

    bool cancelled = false;
    if (!sent.empty()) {
        const call& lead = *batch[sent.front()].c;
        auto leased = co_await pool_for(base.where)->acquire(lead.deadline, lead.connect_timeout);
        cancelled = cancelled_now(co_await asio::this_coro::cancellation_state);
        // Without a connection every item takes the normal path, which reports what went wrong.
        if (leased && !cancelled) {
            lease conn = std::move(*leased);
            const bool reused = conn.reused();
            exchange_limits limits;
            limits.max_body = options.max_response_bytes;
            conn->stream->expires_at(std::min(lead.deadline, deadline_after(clock::now(), lead.attempt_timeout)));
            auto [wec, written] = co_await conn->stream->write(asio::buffer(bytes));
            cancelled = cancelled_now(co_await asio::this_coro::cancellation_state);
            bool healthy = !wec;  // the connection may carry the next answer
            for (std::size_t k = 0; k < sent.size() && healthy && !cancelled; ++k) {
                item& it = batch[sent[k]];
                const call& c = *it.c;
                // Each answer gets the attempt timeout from when the previous one was read.
                conn->stream->expires_at(std::min(c.deadline, deadline_after(clock::now(), c.attempt_timeout)));
                const bool more = k + 1 < sent.size();
                exchange_result ex = co_await read_response(*conn->stream, conn->buffer, false, limits, more);
                cancelled = cancelled_now(co_await asio::this_coro::cancellation_state) || ex.error == errc::cancelled;
                if (cancelled) break;
                // Closed or reset before this answer began: it and the rest were not answered.
                if (ex.error && !ex.response_started()) {
                    healthy = false;
                    break;
                }
                healthy = !ex.error && ex.reusable;
                ex.bytes_sent = it.wire->bytes.size();
                std::optional<attempt_record> made(finish_attempt(c, *it.wire, std::move(ex), false, started));
                made->reused_connection = reused || k > 0;
                if (settled(*made)) {
                    result<response> r = co_await run_prepared(*it.c, std::move(made));
                    deliver(sent[k], std::move(r));
                } else {
                    it.attempt1 = std::move(made);  // retried or redirected once the connection is done
                }
            }
            conn.give_back(healthy && !cancelled);  // a cancelled batch never returns its socket
        }
    }

    // The rest, by index: failures to report, answers to retry or redirect, unanswered requests.
    for (std::size_t i = 0; i < count; ++i) {
        item& it = batch[i];
        if (it.done) continue;
        if (it.refused) {
            error e = std::move(*it.refused);
            deliver(i, std::move(e));
            continue;
        }
        if (!cancelled) cancelled = cancelled_now(co_await asio::this_coro::cancellation_state);
        if (cancelled) {
            error e = make_error(errc::cancelled, "request cancelled");
            e.method = std::string(to_string(it.c->method));
            e.url = it.c->url;
            deliver(i, std::move(e));
            continue;
        }
        result<response> r = co_await run_prepared(*it.c, std::move(it.attempt1));
        deliver(i, std::move(r));
    }
}

const std::shared_ptr<client_impl>& impl_of(const client& c) noexcept { return c.impl_; }

}  // namespace detail

// ---------------------------------------------------------------------------------------------
// Operations. Free coroutines holding the shared state by value: a call stays valid even when the
// client handle that started it is gone before it first runs (co_spawn, deferred).

namespace asio = boost::asio;
namespace json = boost::json;
using impl_ptr = std::shared_ptr<detail::client_impl>;

namespace {

template <class T>
asio::awaitable<T> value_or_throw(asio::awaitable<result<T>> op) {
    result<T> r = co_await std::move(op);
    co_return std::move(r).value();
}


/// 2xx and a JSON body, or the error saying why not.
result<json::value> json_of_success(const result<response>& r) {
    if (!r) return r.error();
    if (auto ok = r->check_status(); !ok) return ok.error();
    return r->try_json();
}

asio::awaitable<result<response>> do_request(impl_ptr impl, http_method method, std::string path, query_params query,
                                             payload body, request_options options) {
    co_return co_await impl->execute(method, std::move(path), std::move(query), std::move(body), std::move(options));
}

// request(): the same call, throwing; one coroutine frame fewer than value_or_throw(do_request(...)).
asio::awaitable<response> do_request_or_throw(impl_ptr impl, http_method method, std::string path, query_params query,
                                              payload body, request_options options) {
    auto r = co_await impl->execute(method, std::move(path), std::move(query), std::move(body), std::move(options));
    co_return std::move(r).value();
}

asio::awaitable<result<json::value>> do_get_json(impl_ptr impl, std::string path, query_params query) {
    co_return json_of_success(co_await impl->execute(http_method::get, std::move(path), std::move(query), {}, {}));
}

asio::awaitable<result<std::string>> do_version(impl_ptr impl) {
    auto r = co_await impl->execute(http_method::get, "/api/", {}, {}, {});
    if (!r) co_return r.error();
    // NetBox sends API-Version on every /api/ answer, a 403 included.
    auto v = r->api_version();
    if (v.empty()) {
        if (auto ok = r->check_status(); !ok) co_return ok.error();
        co_return r->to_error(errc::unsupported, "the server sent no API-Version header: is this NetBox?");
    }
    co_return std::string(v);
}

asio::awaitable<result<json::value>> do_openapi(impl_ptr impl) {
    if (auto cached = impl->cached_openapi()) co_return json::value(*cached);
    query_params format{{"format", "json"}};  // (GCC 12 rejects a braced list inside co_await)
    auto v = co_await do_get_json(impl, "/api/schema/", std::move(format));
    if (v) impl->store_openapi(*v);  // concurrent first calls may each fetch; the first answer is kept
    co_return v;
}

/// A successful provisioning answer holds the new secret: none of it may reach an error's excerpt.
error without_body(error e) {
    e.body_excerpt.clear();
    return e;
}

asio::awaitable<result<token_grant>> do_create_token(impl_ptr impl, std::string username, std::string password,
                                                     token_request options) {
    json::object body{{"username", std::move(username)}, {"password", std::move(password)}};
    if (options.version != token_version::automatic) body["version"] = options.version == token_version::v2 ? 2 : 1;
    if (!options.description.empty()) body["description"] = options.description;
    body["write_enabled"] = options.write_enabled;

    // Provisioning authenticates with the password. The client's current token stays out of it: a
    // stale or invalid one would be refused before the password is even looked at.
    request_options anonymous;
    anonymous.authenticate = false;
    auto r = co_await impl->execute(http_method::post, "/api/users/tokens/provision/", {}, json::value(std::move(body)),
                                    std::move(anonymous));
    auto v = json_of_success(r);
    if (!v) co_return r && r->ok() ? without_body(v.error()) : v.error();  // a 2xx body holds the secret
    if (!v->is_object())
        co_return without_body(r->to_error(errc::protocol_error, "token provisioning answered with no object"));
    const auto& o = v->get_object();

    token_grant g;
    g.raw = *v;
    if (auto* id = o.if_contains("id"); id && id->is_int64()) g.id = id->get_int64();
    auto str = [&](const char* k) -> std::string {
        auto* p = o.if_contains(k);
        return p && p->is_string() ? std::string(p->get_string()) : std::string();
    };
    const auto* ver = o.if_contains("version");
    if (ver && ver->is_int64() && ver->get_int64() == 2) {
        // NetBox >= 4.5, v2: {"version": 2, "key": "<key>", "token": "<secret>"}; shown once.
        g.version = token_version::v2;
        g.key = str("key");
        std::string secret = str("token");
        if (g.key.empty() || secret.empty())
            co_return without_body(r->to_error(errc::protocol_error, "v2 token answer lacks key or token"));
        g.token = "nbt_" + g.key + "." + secret;
    } else {
        // NetBox >= 4.5, v1: {"version": 1, "key": null, "token": "<plaintext>"};
        // NetBox < 4.5: {"key": "<plaintext>"}.
        g.version = token_version::v1;
        g.token = str("token");
        if (g.token.empty()) g.token = str("key");
        if (g.token.empty()) co_return without_body(r->to_error(errc::protocol_error, "token answer carries no token"));
    }
    if (options.adopt) impl->set_token(g.token, g.version);
    co_return g;
}

asio::awaitable<probe_result> do_probe(impl_ptr impl) {
    probe_result p;
    auto r = co_await impl->execute(http_method::get, "/api/", {}, {}, {});
    if (!r) {
        p.error = r.error().what();
        co_return p;
    }
    p.reachable = true;
    p.status = r->status;
    p.authenticated = r->ok();
    p.api_version = std::string(r->api_version());
    if (auto ok = r->check_status(); !ok) p.error = ok.error().what();
    co_return p;
}

asio::awaitable<result<json::value>> do_graphql(impl_ptr impl, std::string query, json::object variables) {
    json::object body{{"query", std::move(query)}};
    if (!variables.empty()) body["variables"] = std::move(variables);
    auto r = co_await impl->execute(http_method::post, "/graphql/", {}, json::value(std::move(body)), {});
    auto v = json_of_success(r);
    if (!v) co_return v.error();
    if (!v->is_object()) co_return r->to_error(errc::protocol_error, "GraphQL answer is not an object");
    const auto& o = v->get_object();
    if (auto* errs = o.if_contains("errors"); errs && errs->is_array() && !errs->get_array().empty()) {
        error e = r->to_error(errc::graphql_error, "GraphQL query returned errors");
        for (const auto& item : errs->get_array()) {
            const auto* m = item.is_object() ? item.get_object().if_contains("message") : nullptr;
            if (!e.detail.empty()) e.detail += "; ";
            e.detail += m && m->is_string() ? std::string(m->get_string()) : json::serialize(item);
        }
        co_return e;
    }
    if (auto* data = o.if_contains("data")) co_return *data;
    co_return json::value(nullptr);
}

}  // namespace

client::client(asio::any_io_executor executor, client_options options) {
    if (auto b = detail::parse_base_url(options.base_url); !b) throw api_error(b.error());
    impl_ = std::make_shared<detail::client_impl>(std::move(executor), std::move(options));
}

asio::any_io_executor client::get_executor() const noexcept { return impl_->executor; }

const std::string& client::base_url() const noexcept { return impl_->base.text; }

void client::set_token(std::string token, token_version version) const { impl_->set_token(std::move(token), version); }

asio::awaitable<result<response>> client::try_request(http_method method, std::string path, query_params query,
                                                      payload body, request_options options) const {
    return do_request(impl_, method, std::move(path), std::move(query), std::move(body), std::move(options));
}

asio::awaitable<response> client::request(http_method method, std::string path, query_params query, payload body,
                                          request_options options) const {
    return do_request_or_throw(impl_, method, std::move(path), std::move(query), std::move(body), std::move(options));
}

asio::awaitable<result<json::value>> client::try_status() const { return do_get_json(impl_, "/api/status/", {}); }
asio::awaitable<json::value> client::status() const { return value_or_throw(try_status()); }

asio::awaitable<result<std::string>> client::try_version() const { return do_version(impl_); }
asio::awaitable<std::string> client::version() const { return value_or_throw(try_version()); }

asio::awaitable<result<json::value>> client::try_openapi() const { return do_openapi(impl_); }
asio::awaitable<json::value> client::openapi() const { return value_or_throw(try_openapi()); }

asio::awaitable<result<token_grant>> client::try_create_token(std::string username, std::string password,
                                                             token_request options) const {
    return do_create_token(impl_, std::move(username), std::move(password), std::move(options));
}
asio::awaitable<token_grant> client::create_token(std::string username, std::string password,
                                                  token_request options) const {
    return value_or_throw(try_create_token(std::move(username), std::move(password), std::move(options)));
}

asio::awaitable<probe_result> client::probe_connection() const { return do_probe(impl_); }

asio::awaitable<result<json::value>> client::try_graphql(std::string query, json::object variables) const {
    return do_graphql(impl_, std::move(query), std::move(variables));
}
asio::awaitable<json::value> client::graphql(std::string query, json::object variables) const {
    return value_or_throw(try_graphql(std::move(query), std::move(variables)));
}

}  // namespace netbox
