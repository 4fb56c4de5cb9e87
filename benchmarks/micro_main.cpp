// netbox-bench-micro: Google Benchmark micro benchmarks of the compiled pieces that need no
// sockets: the HTTP exchange over an in-memory stream, request target building, gzip decoding,
// JSON decoding of a list page.
#include "bench_payloads.hpp"

#include "client/client_impl.hpp"
#include "client/url.hpp"
#include "transport/compression.hpp"
#include "transport/exchange.hpp"
#include "transport/stream.hpp"

#include <netbox/client.hpp>
#include <netbox/http.hpp>

#include <benchmark/benchmark.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <algorithm>
#include <cstring>
#include <exception>
#include <string>

namespace {

namespace asio = boost::asio;
using netbox::detail::io_result;

/// A byte_stream that answers every request with the same canned response: write() takes the
/// request and rewinds the answer, read_some() hands out the answer at most `chunk` bytes at a
/// time. Every operation completes at once, so what is measured is the exchange itself.
class canned_stream final : public netbox::detail::byte_stream {
public:
    explicit canned_stream(std::string answer, std::size_t chunk = 16 * 1024)
        : answer_(std::move(answer)), chunk_(chunk) {}

    asio::awaitable<io_result> read_some(asio::mutable_buffer b) override {
        const std::size_t n = std::min({b.size(), chunk_, answer_.size() - pos_});
        if (n == 0) co_return io_result{asio::error::eof, 0};
        std::memcpy(b.data(), answer_.data() + pos_, n);
        pos_ += n;
        co_return io_result{{}, n};
    }
    asio::awaitable<io_result> write(asio::const_buffer b) override {
        pos_ = 0;
        co_return io_result{{}, b.size()};
    }
    void expires_at(netbox::detail::steady_time) override {}
    bool peer_closed() override { return false; }
    void close() noexcept override {}

private:
    std::string answer_;
    std::size_t chunk_;
    std::size_t pos_ = 0;
};

std::string http_answer(const std::string& body) {
    return "HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Mon, 20 Jan 2025 17:02:11 GMT\r\n"
           "Content-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) +
           "\r\nConnection: keep-alive\r\nVary: Accept, Cookie, Origin\r\nAllow: GET, HEAD, OPTIONS\r\n"
           "API-Version: 4.2\r\nX-Request-ID: 5f0c2b7e-8a4d-4c1e-9b3a-2d6f1e0a7c45\r\n"
           "X-Content-Type-Options: nosniff\r\nReferrer-Policy: same-origin\r\n"
           "Cross-Origin-Opener-Policy: same-origin\r\nX-Frame-Options: SAMEORIGIN\r\n\r\n" +
           body;
}

const std::string& status_request() {
    static const std::string r =
        "GET /api/status/ HTTP/1.1\r\nHost: netbox.example.com\r\nUser-Agent: netbox-cpp/0.1\r\n"
        "Accept: application/json\r\nAccept-Encoding: gzip, deflate\r\n"
        "Authorization: Token 0123456789abcdef0123456789abcdef01234567\r\n\r\n";
    return r;
}

/// Runs `body(state)` as a coroutine on a private io_context: the benchmark loop lives inside it.
template <class Body>
void in_coroutine(benchmark::State& state, Body body) {
    asio::io_context io{1};
    std::exception_ptr failure;
    asio::co_spawn(io, body(state), [&](std::exception_ptr e) { failure = e; });
    io.run();
    if (failure) std::rethrow_exception(failure);
}

asio::awaitable<int> trivial() { co_return 1; }

// Cost of one nested awaitable call on its own: the floor under every co_await in the library.
void BM_co_await_trivial(benchmark::State& state) {
    in_coroutine(state, [](benchmark::State& st) -> asio::awaitable<void> {
        int sum = 0;
        for (auto _ : st) sum += co_await trivial();
        benchmark::DoNotOptimize(sum);
    });
}
BENCHMARK(BM_co_await_trivial);

// One request/response over the canned stream: write, parse the header and a body of range(0)
// devices (0 = the ~450-byte /api/status/ document), copy headers and body out.
void BM_run_exchange(benchmark::State& state) {
    in_coroutine(state, [](benchmark::State& st) -> asio::awaitable<void> {
        const auto devices = static_cast<std::size_t>(st.range(0));
        const std::string body = devices == 0 ? netbox::bench::status_body() : netbox::bench::device_page(devices);
        canned_stream stream(http_answer(body));
        boost::beast::flat_buffer buffer;
        const netbox::detail::exchange_limits limits;
        for (auto _ : st) {
            auto r = co_await netbox::detail::run_exchange(stream, buffer, status_request(), false, limits);
            if (r.error || r.status != 200 || r.body.size() != body.size() || !r.reusable) {
                st.SkipWithError("unexpected exchange result");
                break;
            }
            benchmark::DoNotOptimize(r);
        }
        st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * body.size()));
    });
}
BENCHMARK(BM_run_exchange)->Arg(0)->Arg(50)->ArgName("devices");

// Target of a typical filtered device list under a path prefix: several filters, repeated keys,
// lookups, a value with a space and '+', pagination and ordering.
void BM_build_target(benchmark::State& state) {
    const auto base = netbox::detail::parse_base_url("https://netbox.example.com/netbox/").value();
    const netbox::query_params query{
        {"site", "ams1"},         {"site", "fra2"},      {"role", "leaf"},       {"status", "active"},
        {"tag", "prod"},          {"name__ic", "rack 12+"}, {"created__gte", "2024-01-01T00:00:00Z"},
        {"cf_asset_owner", "network"}, {"limit", "50"},  {"offset", "100"},      {"ordering", "-name"},
    };
    for (auto _ : state) {
        auto t = netbox::detail::build_target(base, "/api/dcim/devices/", query);
        benchmark::DoNotOptimize(t);
    }
}
BENCHMARK(BM_build_target);

// gzip decoding of a ~100 KB JSON body (bytes/s counts decoded bytes).
void BM_decode_content_gzip_100k(benchmark::State& state) {
    const std::string body = netbox::bench::device_body_of_size(100 * 1024);
    const std::string gz = netbox::detail::gzip_compress(body);
    for (auto _ : state) {
        auto r = netbox::detail::decode_content("gzip", gz, 64u << 20);
        if (!r || r->size() != body.size()) {
            state.SkipWithError("decode failed");
            break;
        }
        benchmark::DoNotOptimize(r);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
    state.counters["compressed_bytes"] = static_cast<double>(gz.size());
    state.counters["body_bytes"] = static_cast<double>(body.size());
}
BENCHMARK(BM_decode_content_gzip_100k);

// response::try_json of a 50-device /api/dcim/devices/ page (content-type check + parse).
void BM_try_json_device_page(benchmark::State& state) {
    netbox::response r;
    r.status = 200;
    r.headers.add("Content-Type", "application/json");
    r.body = netbox::bench::device_page(50);
    for (auto _ : state) {
        auto v = r.try_json();
        if (!v) {
            state.SkipWithError("parse failed");
            break;
        }
        benchmark::DoNotOptimize(v);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * r.body.size()));
    state.counters["body_bytes"] = static_cast<double>(r.body.size());
}
BENCHMARK(BM_try_json_device_page);

// The per-call header work of the client: merge its defaults with the call's, then validate them
// (execute() and attempt() each validate once per request).
void BM_merge_and_check_headers(benchmark::State& state) {
    netbox::client_options o;
    o.base_url = "https://netbox.example.com";
    o.token = "0123456789abcdef0123456789abcdef01234567";
    const netbox::request_options call;
    for (auto _ : state) {
        auto h = netbox::detail::merge_headers(o, call);
        auto ok = netbox::detail::check_headers(h);
        benchmark::DoNotOptimize(ok);
        benchmark::DoNotOptimize(h);
    }
}
BENCHMARK(BM_merge_and_check_headers);

// Constructing a client for an http:// base URL, with the system CA store (the default) or
// without it. No connection is made.
void BM_client_construct(benchmark::State& state) {
    asio::io_context io{1};
    netbox::client_options o;
    o.base_url = "http://netbox.example.com:8000";
    o.token = "0123456789abcdef0123456789abcdef01234567";
    o.tls.use_system_ca = state.range(0) != 0;
    for (auto _ : state) {
        netbox::client c(io.get_executor(), o);
        benchmark::DoNotOptimize(c);
    }
}
BENCHMARK(BM_client_construct)->Arg(1)->Arg(0)->ArgName("system_ca")->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
