// netbox-bench-keepalive: small keep-alive GETs per second, netbox::client against a bare Beast
// loop doing the same requests, measured side by side in one process against one in-process
// server. Rounds alternate the order of the sides; the report gives the median of each side and
// the ratio client / bare.
//
//   netbox-bench-keepalive [--rounds N] [--requests N] [--warmup N] [--concurrency N] [--only SIDE]
//
// Sides:
//   client-seq   netbox::client, co_await request(GET /api/status/), one coroutine, one connection
//   bare-seq     beast::tcp_stream + http::async_write/async_read + flat_buffer, one connection
//   client-xC    netbox::client shared by C coroutines (pool max_connections = C)
//   bare-xC      C bare loops, one connection each
//   client-json  as client-seq, through client::status() (also parses the JSON body); context only
//   bare-timeout as bare-seq, with stream.expires_after() before each operation (the deadline
//                handling every real client needs, as in Beast's examples); context only
#include "keepalive_server.hpp"

#include <netbox/client.hpp>
#include <netbox/error.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using clock_type = std::chrono::steady_clock;
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

// A v1 token as NetBox issues them (40 hex characters): both sides send "Authorization: Token ...".
constexpr const char* token = "0123456789abcdef0123456789abcdef01234567";

struct settings {
    int rounds = 11;
    std::size_t requests = 5000;  // per side and round (split among the workers of the xC sides)
    std::size_t warmup = 200;     // per side and round, not timed (opens the connections)
    std::size_t concurrency = 4;
    std::string only;             // --only SIDE: run just that side (for profilers)
};

struct measurement {
    double rps = 0;           // requests per second (wall clock)
    double cpu_us = 0;        // client-thread CPU microseconds per request
};

struct target {
    std::uint16_t port = 0;
    std::size_t body_size = 0;
};

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what); }

/// Runs all `tasks` concurrently on the current executor and waits for every one. Rethrows the
/// first exception.
asio::awaitable<void> run_all(std::vector<std::function<asio::awaitable<void>()>> tasks) {
    auto ex = co_await asio::this_coro::executor;
    asio::steady_timer done(ex, asio::steady_timer::time_point::max());
    std::size_t left = tasks.size();
    std::exception_ptr first;
    for (auto& t : tasks)
        asio::co_spawn(ex, t(), [&](std::exception_ptr e) {
            if (e && !first) first = e;
            if (--left == 0) done.cancel();
        });
    if (left > 0) co_await done.async_wait(nothrow);
    if (first) std::rethrow_exception(first);
}

/// Wall time and CPU time of this thread (user + system, so syscalls count) over a timed phase.
/// The clients run on this thread and the server on another, so the CPU figure is the client
/// side's own cost per request, much less sensitive to other load on the machine than wall time.
struct stopwatch {
    clock_type::time_point wall0 = clock_type::now();
    double cpu0 = thread_cpu_seconds();

    static double thread_cpu_seconds() {
        timespec ts{};
        ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
    }
    measurement stop(std::size_t requests) const {
        const double wall = std::chrono::duration<double>(clock_type::now() - wall0).count();
        const double cpu = thread_cpu_seconds() - cpu0;
        return {static_cast<double>(requests) / wall, cpu * 1e6 / static_cast<double>(requests)};
    }
};

// ---- netbox::client ---------------------------------------------------------------------------

netbox::client make_client(asio::any_io_executor ex, const target& t, std::size_t connections) {
    netbox::client_options o;
    o.base_url = "http://127.0.0.1:" + std::to_string(t.port);
    o.token = token;
    o.pool.max_connections = connections;
    return netbox::client(std::move(ex), std::move(o));
}

asio::awaitable<void> client_loop(netbox::client c, target t, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        netbox::response r = co_await c.request(netbox::http_method::get, "/api/status/");
        if (r.status != 200 || r.body.size() != t.body_size)
            fail("client: unexpected answer " + std::to_string(r.status) + ", " + std::to_string(r.body.size()) + " bytes");
    }
}

asio::awaitable<void> client_json_loop(netbox::client c, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        boost::json::value v = co_await c.status();
        if (!v.is_object() || !v.get_object().contains("netbox-version")) fail("client: unexpected status document");
    }
}

/// Requests per second of `workers` coroutines sharing one client.
asio::awaitable<measurement> run_client(target t, settings s, std::size_t workers, bool json) {
    auto c = make_client(co_await asio::this_coro::executor, t, workers);
    auto phase = [&](std::size_t per_worker) {
        std::vector<std::function<asio::awaitable<void>()>> tasks;
        for (std::size_t w = 0; w < workers; ++w)
            tasks.push_back([=] { return json ? client_json_loop(c, per_worker) : client_loop(c, t, per_worker); });
        return run_all(std::move(tasks));
    };
    co_await phase(s.warmup / workers);
    const std::size_t per_worker = s.requests / workers;
    const stopwatch timer;
    co_await phase(per_worker);
    co_return timer.stop(per_worker * workers);
}

// ---- bare Beast ---------------------------------------------------------------------------------

struct bare_connection {
    // Beast's http::async_read reads as much as the buffer's free capacity (at least 512 bytes):
    // reserving 16 KiB gives it the client's read size, so one read takes a whole answer.
    explicit bare_connection(asio::any_io_executor ex) : stream(std::move(ex)) { buffer.reserve(16 * 1024); }
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
};

asio::awaitable<void> bare_loop(bare_connection& c, target t, std::size_t n, bool timeouts) {
    const std::string host = "127.0.0.1:" + std::to_string(t.port);
    const std::string authorization = std::string("Token ") + token;
    for (std::size_t i = 0; i < n; ++i) {
        // The same header fields the client sends.
        http::request<http::empty_body> req{http::verb::get, "/api/status/", 11};
        req.set(http::field::host, host);
        req.set(http::field::user_agent, "netbox-cpp/0.1");
        req.set(http::field::accept, "application/json");
        req.set(http::field::accept_encoding, "gzip, deflate");
        req.set(http::field::authorization, authorization);
        if (timeouts) c.stream.expires_after(std::chrono::seconds(30));  // as Beast's examples do
        auto [wec, written] = co_await http::async_write(c.stream, req, nothrow);
        if (wec) fail("bare: write failed: " + wec.message());
        http::response<http::string_body> res;
        if (timeouts) c.stream.expires_after(std::chrono::seconds(30));
        auto [rec, read] = co_await http::async_read(c.stream, c.buffer, res, nothrow);
        if (rec) fail("bare: read failed: " + rec.message());
        if (res.result_int() != 200 || res.body().size() != t.body_size)
            fail("bare: unexpected answer " + std::to_string(res.result_int()));
    }
}

asio::awaitable<measurement> run_bare(target t, settings s, std::size_t workers, bool timeouts = false) {
    auto ex = co_await asio::this_coro::executor;
    const tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), t.port);
    std::vector<std::unique_ptr<bare_connection>> conns;
    for (std::size_t w = 0; w < workers; ++w) {
        auto c = std::make_unique<bare_connection>(ex);
        auto [ec] = co_await c->stream.async_connect(ep, nothrow);
        if (ec) fail("bare: connect failed: " + ec.message());
        c->stream.socket().set_option(tcp::no_delay(true));  // as the client's connector does
        conns.push_back(std::move(c));
    }
    auto phase = [&](std::size_t per_worker) {
        std::vector<std::function<asio::awaitable<void>()>> tasks;
        for (auto& c : conns) tasks.push_back([&c, t, per_worker, timeouts] { return bare_loop(*c, t, per_worker, timeouts); });
        return run_all(std::move(tasks));
    };
    co_await phase(s.warmup / workers);
    const std::size_t per_worker = s.requests / workers;
    const stopwatch timer;
    co_await phase(per_worker);
    co_return timer.stop(per_worker * workers);
}

// ---- driver -------------------------------------------------------------------------------------

struct side {
    std::string name;
    std::size_t connections;  // the server must see exactly this many per run
    std::function<asio::awaitable<measurement>()> run;
    std::vector<double> rps;
    std::vector<double> cpu_us;
};

/// Runs one side on a fresh io_context on this thread and checks what the server saw.
void run_side(side& sd, const netbox::bench::keepalive_server& server, std::size_t expected_requests) {
    const auto conns0 = server.connections();
    const auto reqs0 = server.requests();
    asio::io_context io{1};
    auto f = asio::co_spawn(io, sd.run(), asio::use_future);
    io.run();
    const measurement m = f.get();
    if (server.connections() - conns0 != sd.connections)
        fail(sd.name + ": the server saw " + std::to_string(server.connections() - conns0) + " connections, expected " +
             std::to_string(sd.connections));
    if (server.requests() - reqs0 != expected_requests)
        fail(sd.name + ": the server saw " + std::to_string(server.requests() - reqs0) + " requests, expected " +
             std::to_string(expected_requests));
    sd.rps.push_back(m.rps);
    sd.cpu_us.push_back(m.cpu_us);
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const auto n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/// Per-round quotients a[i] / b[i].
std::vector<double> quotients(const std::vector<double>& a, const std::vector<double>& b) {
    std::vector<double> r;
    for (std::size_t i = 0; i < a.size(); ++i) r.push_back(a[i] / b[i]);
    return r;
}

settings parse(int argc, char** argv) {
    settings s;
    for (int i = 1; i < argc; ++i) {
        auto next = [&]() -> long {
            if (i + 1 >= argc) fail(std::string("missing value after ") + argv[i]);
            return std::atol(argv[++i]);
        };
        if (!std::strcmp(argv[i], "--rounds")) s.rounds = static_cast<int>(next());
        else if (!std::strcmp(argv[i], "--requests")) s.requests = static_cast<std::size_t>(next());
        else if (!std::strcmp(argv[i], "--warmup")) s.warmup = static_cast<std::size_t>(next());
        else if (!std::strcmp(argv[i], "--concurrency")) s.concurrency = static_cast<std::size_t>(next());
        else if (!std::strcmp(argv[i], "--only") && i + 1 < argc) s.only = argv[++i];
        else fail(std::string("unknown argument ") + argv[i] +
                  " (usage: netbox-bench-keepalive [--rounds N] [--requests N] [--warmup N] [--concurrency N] [--only SIDE])");
    }
    if (s.rounds < 1 || s.concurrency < 1 || s.requests < s.concurrency || s.warmup < s.concurrency)
        fail("rounds and concurrency must be >= 1; requests and warmup >= concurrency");
    return s;
}

void print_row(const char* label, double a, double b, double c, double d, double e, double f, const char* fmt_value) {
    char row[256];
    std::snprintf(row, sizeof row, "%%-7s %s %s %%7.3f   %s %s %%7.3f   %s %s\n", fmt_value, fmt_value, fmt_value,
                  fmt_value, fmt_value, fmt_value);
    std::printf(row, label, a, b, a / b, c, d, c / d, e, f);
}

int run(int argc, char** argv) {
    const settings s = parse(argc, argv);
    netbox::bench::keepalive_server server;
    const target t{server.port(), server.body_size()};
    const std::size_t C = s.concurrency;
    const std::string cx = "client-x" + std::to_string(C), bx = "bare-x" + std::to_string(C);

    side client_seq{"client-seq", 1, [&] { return run_client(t, s, 1, false); }, {}, {}};
    side bare_seq{"bare-seq", 1, [&] { return run_bare(t, s, 1); }, {}, {}};
    side client_par{cx, C, [&] { return run_client(t, s, C, false); }, {}, {}};
    side bare_par{bx, C, [&] { return run_bare(t, s, C); }, {}, {}};
    side client_json{"client-json", 1, [&] { return run_client(t, s, 1, true); }, {}, {}};
    side bare_timeout{"bare-timeout", 1, [&] { return run_bare(t, s, 1, true); }, {}, {}};

    const std::size_t seq_total = s.warmup + s.requests;
    const std::size_t par_total = (s.warmup / C + s.requests / C) * C;

    std::printf("netbox-bench-keepalive: GET /api/status/ (%zu-byte JSON body) over HTTP/1.1 keep-alive, 127.0.0.1\n",
                t.body_size);
    std::printf("%d rounds; per side and round %zu timed requests after %zu warm-up requests; server on its own\n"
                "thread, clients on the main thread; the order of the sides alternates from round to round\n\n",
                s.rounds, s.requests, s.warmup);
    if (!s.only.empty()) {
        // One side alone, e.g. under `perf record` or `valgrind --tool=callgrind`.
        for (side* sd : {&client_seq, &bare_seq, &client_par, &bare_par, &client_json, &bare_timeout}) {
            if (sd->name != s.only) continue;
            for (int r = 0; r < s.rounds; ++r) {
                run_side(*sd, server, sd->connections == 1 ? seq_total : par_total);
                std::printf("%-12s round %d: %10.0f requests/s, %8.2f us CPU per request\n", sd->name.c_str(), r + 1,
                            sd->rps.back(), sd->cpu_us.back());
            }
            return 0;
        }
        fail("--only takes one of client-seq, bare-seq, " + cx + ", " + bx + ", client-json, bare-timeout");
    }
    const char* header = "%-7s %12s %12s %7s   %12s %12s %7s   %12s %12s\n";
    std::printf("Requests per second (wall clock); ratio = client / bare\n");
    std::printf(header, "round", "client-seq", "bare-seq", "ratio", cx.c_str(), bx.c_str(), "ratio", "client-json", "bare-timeout");
    for (int r = 0; r < s.rounds; ++r) {
        // Alternate which side goes first so that drift in machine load hits both alike.
        side* order[] = {&client_seq, &bare_seq, &client_par, &bare_par};
        if (r % 2) {
            std::swap(order[0], order[1]);
            std::swap(order[2], order[3]);
        }
        for (side* sd : order) run_side(*sd, server, sd->connections == 1 ? seq_total : par_total);
        run_side(client_json, server, seq_total);
        run_side(bare_timeout, server, seq_total);
        const auto i = static_cast<std::size_t>(r);
        print_row(std::to_string(r + 1).c_str(), client_seq.rps[i], bare_seq.rps[i], client_par.rps[i],
                  bare_par.rps[i], client_json.rps[i], bare_timeout.rps[i], "%12.0f");
        std::fflush(stdout);
    }
    print_row("median", median(client_seq.rps), median(bare_seq.rps), median(client_par.rps), median(bare_par.rps),
              median(client_json.rps), median(bare_timeout.rps), "%12.0f");

    std::printf("\nClient-thread CPU microseconds per request (user + system); ratio = client / bare, lower is better\n");
    std::printf(header, "round", "client-seq", "bare-seq", "ratio", cx.c_str(), bx.c_str(), "ratio", "client-json", "bare-timeout");
    for (std::size_t i = 0; i < client_seq.cpu_us.size(); ++i)
        print_row(std::to_string(i + 1).c_str(), client_seq.cpu_us[i], bare_seq.cpu_us[i], client_par.cpu_us[i],
                  bare_par.cpu_us[i], client_json.cpu_us[i], bare_timeout.cpu_us[i], "%12.2f");
    print_row("median", median(client_seq.cpu_us), median(bare_seq.cpu_us), median(client_par.cpu_us),
              median(bare_par.cpu_us), median(client_json.cpu_us), median(bare_timeout.cpu_us), "%12.2f");

    // The headline is the median of per-round ratios: the two sides of a round run back to back,
    // so a burst of load from elsewhere tends to hit both, where the ratio of medians can pair a
    // quiet round of one side with a disturbed round of the other.
    const double seq_ratio = median(quotients(client_seq.rps, bare_seq.rps));
    const double par_ratio = median(quotients(client_par.rps, bare_par.rps));
    std::printf("\nSummary: median of per-round throughput ratios client / bare (goal >= 0.80)\n");
    std::printf("  sequential : %.3f (ratio of medians %.3f); %.1f vs %.1f us wall, %.2f vs %.2f us CPU "
                "per request -> %s\n",
                seq_ratio, median(client_seq.rps) / median(bare_seq.rps), 1e6 / median(client_seq.rps),
                1e6 / median(bare_seq.rps), median(client_seq.cpu_us), median(bare_seq.cpu_us),
                seq_ratio >= 0.8 ? "meets the goal" : "BELOW THE GOAL");
    std::printf("  concurrent : %.3f (ratio of medians %.3f) with %zu connections; %.2f vs %.2f us CPU "
                "per request -> %s\n",
                par_ratio, median(client_par.rps) / median(bare_par.rps), C, median(client_par.cpu_us),
                median(bare_par.cpu_us), par_ratio >= 0.8 ? "meets the goal" : "BELOW THE GOAL");
    std::printf("  context    : client-json (status(), parses the JSON too) runs at %.3f of bare-seq; bare-timeout\n"
                "               (bare-seq arming a 30 s stream deadline per operation) at %.3f of bare-seq, so\n"
                "               client-seq / bare-timeout = %.3f\n",
                median(quotients(client_json.rps, bare_seq.rps)), median(quotients(bare_timeout.rps, bare_seq.rps)),
                median(quotients(client_seq.rps, bare_timeout.rps)));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "netbox-bench-keepalive: %s\n", e.what());
        return 1;
    }
}
