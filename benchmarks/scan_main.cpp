// netbox-bench-scan: end-to-end scans of /api/dcim/devices/ through the dynamic facade
// (nb.dcim.devices.all(options).stream()), against an in-process simulator on loopback, side by side
// with a bare Beast loop fetching and parsing the same pages (the raw limit) and with pynetbox.
// One run measures, in interleaved rounds:
//
//   1. throughput: records/s of a full scan of N devices in pages of 1000 (facade sequential with
//      prefetch, concurrent offset x2/x4, pipelined offset (4 pages written ahead on 1 and on 2
//      connections), keyset; the raw loop; pynetbox on a smaller data set);
//   2. memory: peak RSS of a process doing nothing but one facade scan, for N = 10k, 50k, 100k;
//   3. latency: 200 pages of 50 devices with 50 ms added to every answer, 8 pages in flight (on 8
//      connections, or pipelined on 1 or 2).
//
//   netbox-bench-scan [--rounds N] [--devices N] [--only SIDE] [--no-pynetbox] ...   (--help)
//
// The simulator serves on a thread of its own; the clients run on the main thread, each scan on a
// fresh io_context and a fresh connection. The simulator shares the machine's cores with the
// client, so each round runs every side back to back (order rotating from round to round) and the
// report gives medians of per-round ratios to the raw loop. Every scan must yield exactly the data
// set (its record count and the sum of its ids; pynetbox: count and distinct ids), or the run fails.
//
// Subprocesses (the memory scans, pynetbox) are started by a small helper process forked at
// start-up, before the simulator exists: Linux carries a process's peak RSS across exec into the
// new program's ru_maxrss, so a child exec'd straight from this process (which holds the
// simulator's data set, hundreds of MB) would report at least that much. The helper is a few MB.
#include <netbox/client.hpp>
#include <netbox/dynamic.hpp>
#include <netbox/error.hpp>
#include <netbox/testing/simulator.hpp>

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
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#ifndef NETBOX_SCAN_PYNETBOX_SCRIPT
#define NETBOX_SCAN_PYNETBOX_SCRIPT "scan_pynetbox.py"
#endif

extern char** environ;

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using asio::ip::tcp;
using clock_type = std::chrono::steady_clock;
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what); }

// ---- settings -----------------------------------------------------------------------------------

constexpr const char* usage =
    "usage: netbox-bench-scan [options]\n"
    "  --rounds N             rounds of the throughput sides (5)\n"
    "  --devices N            devices of the throughput scans (100000)\n"
    "  --page-size N          page size of the throughput scans and the simulator's MAX_PAGE_SIZE (1000)\n"
    "  --rss-devices A,B,...  data set sizes of the peak-RSS scans (10000,50000,100000)\n"
    "  --latency-rounds N     rounds of the latency-bound sides (3)\n"
    "  --no-pynetbox          leave pynetbox out\n"
    "  --pynetbox-devices N   devices of pynetbox's throughput scans (10000)\n"
    "  --pynetbox-rounds N    rounds of the pynetbox group (3)\n"
    "  --python PATH          interpreter with pynetbox (/usr/bin/python3)\n"
    "  --pynetbox-script PATH benchmarks/scan_pynetbox.py (default: the one of the source tree)\n"
    "  --only SIDE            run one side alone, --rounds times (for a profiler); SIDE is one of\n"
    "                         raw raw-x2 raw-keyset facade-seq facade-x2 facade-x4 facade-keyset facade-pages\n"
    "                         facade-noprefetch facade-pipe4 facade-x2-pipe4 pynetbox-seq pynetbox-threading\n"
    "                         rss latency; or any facade-xC, facade-pipeD, facade-xC-pipeD (C connections,\n"
    "                         D pages written ahead on each)\n";

struct settings {
    int rounds = 5;
    std::size_t devices = 100'000;
    std::size_t page_size = 1000;
    std::vector<std::size_t> rss_devices{10'000, 50'000, 100'000};
    int latency_rounds = 3;
    bool pynetbox = true;
    std::size_t pynetbox_devices = 10'000;
    int pynetbox_rounds = 3;
    std::string python = "/usr/bin/python3";
    std::string pynetbox_script = NETBOX_SCAN_PYNETBOX_SCRIPT;
    std::string only;
};

// The latency-bound scenario (part 3).
constexpr std::size_t latency_pages = 200;
constexpr std::size_t latency_page_size = 50;
constexpr std::size_t latency_concurrency = 8;
constexpr std::chrono::milliseconds latency{50};

std::size_t number(const std::string& option, const std::string& text) {
    std::size_t used = 0;
    unsigned long long n = 0;
    try {
        n = std::stoull(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || text.empty()) fail(option + " takes a number, not \"" + text + "\"");
    return static_cast<std::size_t>(n);
}

settings parse(int argc, char** argv) {
    settings s;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            std::fputs(usage, stdout);
            std::exit(0);
        }
        if (arg == "--no-pynetbox") {
            s.pynetbox = false;
            continue;
        }
        if (i + 1 >= argc) fail("missing value after " + arg + "\n" + usage);
        const std::string value = argv[++i];
        if (arg == "--rounds") s.rounds = static_cast<int>(number(arg, value));
        else if (arg == "--devices") s.devices = number(arg, value);
        else if (arg == "--page-size") s.page_size = number(arg, value);
        else if (arg == "--latency-rounds") s.latency_rounds = static_cast<int>(number(arg, value));
        else if (arg == "--pynetbox-devices") s.pynetbox_devices = number(arg, value);
        else if (arg == "--pynetbox-rounds") s.pynetbox_rounds = static_cast<int>(number(arg, value));
        else if (arg == "--python") s.python = value;
        else if (arg == "--pynetbox-script") s.pynetbox_script = value;
        else if (arg == "--only") s.only = value;
        else if (arg == "--rss-devices") {
            s.rss_devices.clear();
            std::stringstream list(value);
            for (std::string item; std::getline(list, item, ',');) s.rss_devices.push_back(number(arg, item));
        } else fail("unknown option " + arg + "\n" + usage);
    }
    if (s.rounds < 1 || s.devices == 0 || s.page_size == 0 || s.latency_rounds < 1 || s.pynetbox_devices == 0 ||
        s.pynetbox_rounds < 1)
        fail("rounds, devices and page sizes must be positive");
    for (std::size_t n : s.rss_devices)
        if (n == 0) fail("--rss-devices takes positive sizes");
    return s;
}

// ---- measuring ----------------------------------------------------------------------------------

double cpu_seconds(clockid_t clock) {
    timespec ts{};
    ::clock_gettime(clock, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
double thread_cpu_seconds() { return cpu_seconds(CLOCK_THREAD_CPUTIME_ID); }
double process_cpu_seconds() { return cpu_seconds(CLOCK_PROCESS_CPUTIME_ID); }

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/// This process's own peak RSS (VmHWM): unlike ru_maxrss it does not carry the peak of the
/// program that exec'd us.
long vm_hwm_kib() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.starts_with("VmHWM:")) return std::atol(line.c_str() + 6);
    return -1;
}

/// What one scan saw. Every side also sums the ids it got, so that a side that returns the right
/// number of records but the wrong ones (a page twice, another never) fails the run too.
struct scan_outcome {
    std::size_t records = 0;
    std::size_t pages = 0;
    std::int64_t id_sum = 0;
    double seconds = 0;      ///< wall clock, connection set-up included
    double cpu_seconds = 0;  ///< this thread's: the client side only (the simulator has its own thread)
    double server_cpu_seconds = 0;  ///< the rest of the process's: the simulator's (set by run_fresh)
};

/// Runs `work` to completion on a fresh single-threaded io_context on this thread.
scan_outcome run_fresh(const std::function<asio::awaitable<scan_outcome>()>& work) {
    const double process0 = process_cpu_seconds(), thread0 = thread_cpu_seconds();
    asio::io_context io{1};
    auto done = asio::co_spawn(io, work(), asio::use_future);
    io.run();
    scan_outcome o = done.get();
    o.server_cpu_seconds = (process_cpu_seconds() - process0) - (thread_cpu_seconds() - thread0);
    return o;
}

/// Runs `tasks` concurrently on the current executor and waits for all of them; rethrows the first
/// failure.
asio::awaitable<void> run_all(std::vector<std::function<asio::awaitable<void>()>> tasks) {
    auto ex = co_await asio::this_coro::executor;
    asio::steady_timer done(ex, asio::steady_timer::time_point::max());
    std::size_t left = tasks.size();
    std::exception_ptr first;
    for (auto& task : tasks)
        asio::co_spawn(ex, task(), [&](std::exception_ptr e) {
            if (e && !first) first = e;
            if (--left == 0) done.cancel();
        });
    if (left > 0) co_await done.async_wait(nothrow);
    if (first) std::rethrow_exception(first);
}

// ---- the raw limit: a bare Beast loop -----------------------------------------------------------

struct target {
    std::uint16_t port = 0;
    std::string token;
    std::size_t devices = 0;    ///< `count` every page must carry
    std::size_t page_size = 0;
};

/// What the raw loop takes from a page.
struct raw_page {
    std::size_t records = 0;
    std::int64_t id_sum = 0;
    std::int64_t last_id = 0;
    bool has_next = false;
};

/// One keep-alive connection: Beast's parser into a string body, then boost::json::parse into a
/// monotonic resource of the page (as the facade does); counts the results and sums their ids.
class raw_connection {
public:
    explicit raw_connection(const target& t) : t_(t) {
        buffer_.reserve(64 * 1024);  // Beast reads at most 64 KiB at a time; give it that
    }

    asio::awaitable<void> connect() {
        stream_.emplace(co_await asio::this_coro::executor);
        const tcp::endpoint endpoint(asio::ip::address_v4::loopback(), t_.port);
        auto [ec] = co_await stream_->async_connect(endpoint, nothrow);
        if (ec) fail("raw: connect failed: " + ec.message());
        stream_->socket().set_option(tcp::no_delay(true));  // as the client's connector does
    }

    asio::awaitable<raw_page> get(std::string path) {
        // The header fields the client sends.
        http::request<http::empty_body> request(http::verb::get, path, 11);
        request.set(http::field::host, host_);
        request.set(http::field::user_agent, "netbox-cpp/0.1");
        request.set(http::field::accept, "application/json");
        request.set(http::field::accept_encoding, "gzip, deflate");
        request.set(http::field::authorization, authorization_);
        auto [wec, written] = co_await http::async_write(*stream_, request, nothrow);
        if (wec) fail("raw: write failed: " + wec.message());
        http::response_parser<http::string_body> parser;
        parser.body_limit(std::uint64_t{1} << 30);
        auto [rec, read] = co_await http::async_read(*stream_, buffer_, parser, nothrow);
        if (rec) fail("raw: read failed: " + rec.message());
        const auto& response = parser.get();
        if (response.result_int() != 200) fail("raw: status " + std::to_string(response.result_int()) + " for " + path);

        json::monotonic_resource resource;
        boost::system::error_code ec;
        const json::value document = json::parse(response.body(), ec, &resource);
        if (ec) fail("raw: a page is not JSON: " + ec.message());
        const json::object* envelope = document.if_object();
        const json::value* count = envelope ? envelope->if_contains("count") : nullptr;
        const json::value* next = envelope ? envelope->if_contains("next") : nullptr;
        const json::value* results = envelope ? envelope->if_contains("results") : nullptr;
        if (!count || !count->is_number() || !next || !results || !results->is_array())
            fail("raw: not a page: " + path);
        raw_page page;
        for (const json::value& object : results->get_array()) {
            const json::value* id = object.is_object() ? object.get_object().if_contains("id") : nullptr;
            if (id && id->is_int64()) page.id_sum += page.last_id = id->get_int64();
        }
        page.records = results->get_array().size();
        page.has_next = next->is_string();
        // Offset pages count the whole data set; keyset pages count what is left after the id bound.
        if (path.find("id__gt") == std::string::npos && count->to_number<std::size_t>() != t_.devices)
            fail("raw: unexpected count in " + path);
        co_return page;
    }

private:
    target t_;
    std::optional<beast::tcp_stream> stream_;
    beast::flat_buffer buffer_;
    std::string host_ = "127.0.0.1:" + std::to_string(t_.port);
    std::string authorization_ = "Token " + t_.token;
};

/// The pages at `offsets`, one after the other on one connection.
asio::awaitable<void> raw_offsets(target t, std::vector<std::size_t> offsets, scan_outcome& out) {
    raw_connection connection(t);
    co_await connection.connect();
    for (const std::size_t offset : offsets) {
        std::string path =
            "/api/dcim/devices/?limit=" + std::to_string(t.page_size) + "&offset=" + std::to_string(offset);
        const raw_page page = co_await connection.get(std::move(path));
        out.records += page.records;
        out.id_sum += page.id_sum;
        ++out.pages;
    }
}

/// Keyset pages (`ordering=id&id__gt=<last id>`) on one connection until a page has no `next`.
asio::awaitable<void> raw_keyset(target t, scan_outcome& out) {
    raw_connection connection(t);
    co_await connection.connect();
    std::int64_t last = 0;
    for (bool more = true; more;) {
        std::string path = "/api/dcim/devices/?ordering=id&limit=" + std::to_string(t.page_size);
        if (last != 0) path += "&id__gt=" + std::to_string(last);
        const raw_page page = co_await connection.get(std::move(path));
        out.records += page.records;
        out.id_sum += page.id_sum;
        ++out.pages;
        if (page.records > 0 && page.last_id <= last) fail("raw: a keyset page does not move forward");
        last = page.last_id;
        more = page.has_next && page.records > 0;
    }
}

/// Every page of the data set: limit/offset over `connections` connections (page k on connection
/// k % connections), or keyset (`connections` = 0) on one; all on this thread.
asio::awaitable<scan_outcome> raw_scan(target t, std::size_t connections) {
    const auto wall0 = clock_type::now();
    const double cpu0 = thread_cpu_seconds();
    std::vector<scan_outcome> parts(std::max<std::size_t>(connections, 1));
    std::vector<std::function<asio::awaitable<void>()>> tasks;
    if (connections == 0)
        tasks.push_back([t, &part = parts[0]] { return raw_keyset(t, part); });
    for (std::size_t c = 0; c < connections; ++c) {
        std::vector<std::size_t> offsets;
        for (std::size_t offset = c * t.page_size; offset < t.devices; offset += connections * t.page_size)
            offsets.push_back(offset);
        tasks.push_back([t, offsets, &part = parts[c]] { return raw_offsets(t, offsets, part); });
    }
    co_await run_all(std::move(tasks));
    scan_outcome out;
    for (const scan_outcome& p : parts) {
        out.records += p.records;
        out.pages += p.pages;
        out.id_sum += p.id_sum;
    }
    out.seconds = std::chrono::duration<double>(clock_type::now() - wall0).count();
    out.cpu_seconds = thread_cpu_seconds() - cpu0;
    co_return out;
}

// ---- the facade ---------------------------------------------------------------------------------

struct facade_mode {
    netbox::pagination mode = netbox::pagination::offset;
    std::size_t concurrency = 1;
    std::size_t pipeline_depth = 1;  ///< pages written ahead per connection; 1: no pipelining
    bool prefetch = true;
    bool by_page = false;  ///< try_next_page() instead of next()
};

/// `nb.dcim.devices.all(options).stream()`, record by record with next() (or page by page), on a
/// new api over a new client (so a new connection), as a program would.
asio::awaitable<scan_outcome> facade_scan(std::string url, std::string token, std::size_t page_size,
                                          facade_mode m) {
    const auto wall0 = clock_type::now();
    const double cpu0 = thread_cpu_seconds();
    netbox::client_options client_options;
    client_options.base_url = url;
    client_options.token = token;
    client_options.pool.max_connections = std::max<std::size_t>(client_options.pool.max_connections, m.concurrency);
    netbox::client client(co_await asio::this_coro::executor, std::move(client_options));
    netbox::api nb(std::move(client));

    netbox::list_options options;
    options.limit = page_size;
    options.mode = m.mode;
    options.concurrency = m.concurrency;
    options.pipeline_depth = m.pipeline_depth;
    options.prefetch = m.prefetch;
    netbox::record_stream stream = nb.dcim.devices.all(options).stream();
    scan_outcome out;
    if (m.by_page) {
        for (;;) {
            netbox::result<std::optional<std::vector<netbox::record>>> page = co_await stream.try_next_page();
            if (!page) fail("facade: " + page.error().what());
            if (!*page) break;
            for (const netbox::record& r : **page) out.id_sum += r.id();
            out.records += (*page)->size();
        }
    } else {
        for (;;) {
            std::optional<netbox::record> r = co_await stream.next();
            if (!r) break;
            out.id_sum += r->id();
            ++out.records;
        }
    }
    const netbox::scan_report& report = stream.report();
    if (report.duplicates_dropped != 0 || report.count_changed())
        fail("facade: the scan reported " + std::to_string(report.duplicates_dropped) +
             " duplicates or a changed count");
    out.pages = report.pages;
    out.seconds = std::chrono::duration<double>(clock_type::now() - wall0).count();
    out.cpu_seconds = thread_cpu_seconds() - cpu0;
    co_return out;
}

// ---- subprocesses -------------------------------------------------------------------------------

void write_all(int fd, const void* data, std::size_t size) {
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t n = ::write(fd, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail(std::string("write to the spawner: ") + std::strerror(errno));
        p += n;
        size -= static_cast<std::size_t>(n);
    }
}

/// False at end of file before the first byte.
bool read_all(int fd, void* data, std::size_t size) {
    char* p = static_cast<char*>(data);
    std::size_t got = 0;
    while (got < size) {
        const ssize_t n = ::read(fd, p + got, size - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            if (got == 0) return false;
            fail("short read from the spawner");
        }
        got += static_cast<std::size_t>(n);
    }
    return true;
}

/// A helper process, forked before this process grows, that runs programs for it (posix_spawn +
/// wait4) and reports each one's exit status and ru_maxrss, clean of our own RSS.
class spawner {
public:
    struct outcome {
        int exit_code = -1;    ///< -1: killed by a signal or could not be started
        int spawn_error = 0;   ///< errno of posix_spawn when it could not be started
        long maxrss_kib = 0;   ///< wait4's ru_maxrss of the child
        double seconds = 0;    ///< wall clock, start-up included
        std::string output;    ///< what it wrote to stdout
    };

    /// Call before starting any thread.
    spawner() {
        int to[2], from[2];
        if (::pipe2(to, O_CLOEXEC) != 0 || ::pipe2(from, O_CLOEXEC) != 0) fail("pipe2 failed");
        std::fflush(nullptr);
        pid_ = ::fork();
        if (pid_ < 0) fail("fork failed");
        if (pid_ == 0) {
            ::close(to[1]);
            ::close(from[0]);
            serve(to[0], from[1]);
            ::_exit(0);
        }
        ::close(to[0]);
        ::close(from[1]);
        requests_ = to[1];
        replies_ = from[0];
    }
    ~spawner() {
        ::close(requests_);
        ::close(replies_);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
    spawner(const spawner&) = delete;
    spawner& operator=(const spawner&) = delete;

    outcome run(const std::vector<std::string>& argv) {
        const std::filesystem::path out = std::filesystem::temp_directory_path() /
                                          ("netbox-bench-scan-" + std::to_string(::getpid()) + ".out");
        std::string message = out.string();
        for (const std::string& a : argv) message.append(1, '\0').append(a);
        const auto size = static_cast<std::uint32_t>(message.size());
        const auto wall0 = clock_type::now();
        write_all(requests_, &size, sizeof size);
        write_all(requests_, message.data(), message.size());
        reply r{};
        if (!read_all(replies_, &r, sizeof r)) fail("the spawner went away");
        outcome o;
        o.seconds = std::chrono::duration<double>(clock_type::now() - wall0).count();
        o.spawn_error = r.spawn_error;
        o.maxrss_kib = r.maxrss_kib;
        if (r.spawn_error == 0 && WIFEXITED(r.status)) o.exit_code = WEXITSTATUS(r.status);
        std::ifstream in(out);
        o.output.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        std::filesystem::remove(out);
        return o;
    }

private:
    struct reply {
        int status;
        int spawn_error;
        long maxrss_kib;
    };

    // In the forked child: one request at a time until the parent closes the pipe.
    static void serve(int in, int out) {
        for (;;) {
            std::uint32_t size = 0;
            if (!read_all(in, &size, sizeof size)) return;
            std::string message(size, '\0');
            read_all(in, message.data(), size);
            std::vector<std::string> parts;
            for (std::size_t at = 0;;) {
                const std::size_t end = message.find('\0', at);
                parts.push_back(message.substr(at, end - at));
                if (end == std::string::npos) break;
                at = end + 1;
            }
            std::vector<char*> args;
            for (std::size_t i = 1; i < parts.size(); ++i) args.push_back(parts[i].data());
            args.push_back(nullptr);
            posix_spawn_file_actions_t actions;
            ::posix_spawn_file_actions_init(&actions);
            ::posix_spawn_file_actions_addopen(&actions, 1, parts[0].c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            pid_t child = 0;
            reply r{};
            r.spawn_error = ::posix_spawnp(&child, args[0], &actions, nullptr, args.data(), environ);
            ::posix_spawn_file_actions_destroy(&actions);
            if (r.spawn_error == 0) {
                rusage usage{};
                while (::wait4(child, &r.status, 0, &usage) < 0 && errno == EINTR) {
                }
                r.maxrss_kib = usage.ru_maxrss;
            }
            write_all(out, &r, sizeof r);
        }
    }

    pid_t pid_ = -1;
    int requests_ = -1;
    int replies_ = -1;
};

std::string self_path() {
    std::error_code ec;
    const auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) fail("cannot read /proc/self/exe: " + ec.message());
    return path.string();
}

// ---- the child of the memory scans: --child-scan URL TOKEN DEVICES PAGE_SIZE SIDE ---------------

/// A positive number spelled in decimal, else 0.
std::size_t count_of(const std::string& text) {
    if (text.empty() || text.size() > 4 || text.find_first_not_of("0123456789") != std::string::npos) return 0;
    return std::stoul(text);
}

std::optional<facade_mode> facade_side(const std::string& name) {
    facade_mode m;
    if (name == "facade-seq") return m;
    // facade-xC, facade-pipeD, facade-xC-pipeD
    if (name.starts_with("facade-x") || name.starts_with("facade-pipe")) {
        std::string rest = name.substr(7);
        if (rest.starts_with("x")) {
            const std::size_t dash = rest.find('-');
            m.concurrency = count_of(rest.substr(1, dash == std::string::npos ? std::string::npos : dash - 1));
            rest = dash == std::string::npos ? "" : rest.substr(dash + 1);
            if (m.concurrency == 0) return std::nullopt;
        }
        if (rest.starts_with("pipe")) {
            m.pipeline_depth = count_of(rest.substr(4));
            if (m.pipeline_depth == 0) return std::nullopt;
        } else if (!rest.empty()) {
            return std::nullopt;
        }
        return m;
    }
    if (name == "facade-keyset") {
        m.mode = netbox::pagination::keyset;
        return m;
    }
    if (name == "facade-pages") {
        m.by_page = true;
        return m;
    }
    if (name == "facade-noprefetch") {
        m.prefetch = false;
        return m;
    }
    return std::nullopt;
}

int child_scan(int argc, char** argv) {
    if (argc != 7) fail("--child-scan URL TOKEN DEVICES PAGE_SIZE SIDE");
    const std::string url = argv[2], token = argv[3], side = argv[6];
    const std::size_t devices = number("DEVICES", argv[4]), page_size = number("PAGE_SIZE", argv[5]);
    scan_outcome o;
    if (side == "raw" || side == "raw-x2" || side == "raw-keyset") {
        const std::string port = url.substr(url.rfind(':') + 1);
        const target t{static_cast<std::uint16_t>(number("port", port)), token, devices, page_size};
        const std::size_t connections = side == "raw" ? 1 : side == "raw-x2" ? 2 : 0;
        o = run_fresh([&] { return raw_scan(t, connections); });
    } else if (const auto m = facade_side(side)) {
        o = run_fresh([&] { return facade_scan(url, token, page_size, *m); });
    } else {
        fail("--child-scan: unknown side " + side);
    }
    std::printf("%zu %lld %.6f %ld\n", o.records, static_cast<long long>(o.id_sum), o.seconds, vm_hwm_kib());
    return o.records == devices ? 0 : 1;
}

// ---- the driver ---------------------------------------------------------------------------------

/// A simulator of `devices` devices, warmed by one raw pass (the first pass renders every device;
/// later passes serve the simulator's caches), and the id sum that pass saw.
struct served {
    std::unique_ptr<netbox::testing::simulator> simulator;
    std::size_t devices = 0;
    std::size_t page_size = 0;
    std::int64_t id_sum = 0;

    target raw_target() const { return {simulator->port(), simulator->token(), devices, page_size}; }
};

served serve(std::size_t devices, std::size_t page_size, std::chrono::milliseconds added_latency = {}) {
    netbox::testing::simulator_options options;
    options.devices = devices;
    options.max_page_size = page_size;
    options.record_requests = false;
    options.faults.latency = added_latency;
    served s;
    const auto wall0 = clock_type::now();
    s.simulator = std::make_unique<netbox::testing::simulator>(options);
    s.devices = devices;
    s.page_size = page_size;
    const target t = s.raw_target();
    const std::size_t connections = added_latency.count() > 0 ? latency_concurrency : 1;
    const scan_outcome warm = run_fresh([&] { return raw_scan(t, connections); });
    if (warm.records != devices) fail("the warm-up pass counted " + std::to_string(warm.records) + " records");
    s.id_sum = warm.id_sum;
    const std::string faults =
        added_latency.count() > 0 ? ", +" + std::to_string(added_latency.count()) + " ms per request" : "";
    std::printf("  simulator: %zu devices, MAX_PAGE_SIZE %zu%s: built and warmed in %.2f s\n", devices, page_size,
                faults.c_str(), std::chrono::duration<double>(clock_type::now() - wall0).count());
    std::fflush(stdout);
    return s;
}

/// A side of a group: its runs' figures, each checked against the simulator's data set.
struct side {
    explicit side(std::string n = "") : name(std::move(n)) {}
    std::string name;
    std::function<scan_outcome()> run;
    std::vector<double> rate;    ///< records per second
    std::vector<double> cpu_ns;  ///< client-thread CPU nanoseconds per record (C++ sides)
    std::vector<double> server_ns;  ///< simulator CPU nanoseconds per record (C++ sides)
    std::vector<double> seconds;
    std::vector<double> extra;   ///< pynetbox: wall seconds of the subprocess (interpreter start-up included)
    std::vector<long> rss_kib;   ///< pynetbox: VmHWM of the interpreter
};

void check(const std::string& name, const scan_outcome& o, const served& s) {
    if (o.records != s.devices || o.id_sum != s.id_sum)
        fail(name + " counted " + std::to_string(o.records) + " records (id sum " + std::to_string(o.id_sum) +
             "), expected " + std::to_string(s.devices) + " (id sum " + std::to_string(s.id_sum) + ")");
}

void record_run(side& sd, const scan_outcome& o, const served& s) {
    check(sd.name, o, s);
    sd.rate.push_back(static_cast<double>(o.records) / o.seconds);
    sd.cpu_ns.push_back(o.cpu_seconds * 1e9 / static_cast<double>(o.records));
    sd.server_ns.push_back(o.server_cpu_seconds * 1e9 / static_cast<double>(o.records));
    sd.seconds.push_back(o.seconds);
}

/// Runs every side once per round, the order rotated each round.
void run_rounds(std::vector<side*> sides, int rounds, const served& s, const char* title) {
    std::printf("\n%s\n%-6s", title, "round");
    for (const side* sd : sides) std::printf(" %18s", sd->name.c_str());
    std::printf("\n");
    for (int r = 0; r < rounds; ++r) {
        for (std::size_t k = 0; k < sides.size(); ++k) {
            side& sd = *sides[(k + static_cast<std::size_t>(r)) % sides.size()];
            record_run(sd, sd.run(), s);
        }
        std::printf("%-6d", r + 1);
        for (const side* sd : sides) std::printf(" %18.0f", sd->rate.back());
        std::printf("\n");
        std::fflush(stdout);
    }
}

/// Median of the per-round ratios a / b: the two ran back to back, so outside load tends to hit both.
double ratio(const std::vector<double>& a, const std::vector<double>& b) {
    std::vector<double> q;
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) q.push_back(a[i] / b[i]);
    return median(q);
}

/// pynetbox through the spawner: one interpreter per scan, timed by the script itself.
struct pynetbox_runner {
    spawner& helper;
    const settings& s;

    /// Whether the interpreter is there and imports pynetbox; says why not otherwise.
    bool available() const {
        const std::vector<std::string> argv{s.python, "-c", "import pynetbox"};
        const spawner::outcome o = helper.run(argv);
        if (o.spawn_error != 0) {
            std::printf("pynetbox: skipped, %s cannot be started (%s)\n", s.python.c_str(),
                        std::strerror(o.spawn_error));
            return false;
        }
        if (o.exit_code != 0) {
            std::printf("pynetbox: skipped, %s cannot import pynetbox (Debian: apt install python3-pynetbox)\n",
                        s.python.c_str());
            return false;
        }
        if (!std::filesystem::exists(s.pynetbox_script)) {
            std::printf("pynetbox: skipped, no script %s (--pynetbox-script)\n", s.pynetbox_script.c_str());
            return false;
        }
        return true;
    }

    /// One scan; fills `sd` (records/s, subprocess wall time, peak RSS) after checking the count.
    void scan(side& sd, const served& sv, bool threading, std::size_t limit) const {
        const std::vector<std::string> argv{s.python, s.pynetbox_script, sv.simulator->url(), sv.simulator->token(),
                                            threading ? "threading" : "sequential", std::to_string(limit)};
        const spawner::outcome o = helper.run(argv);
        if (o.exit_code != 0) fail(sd.name + ": the script failed (exit " + std::to_string(o.exit_code) + ")");
        boost::system::error_code ec;
        const json::value v = json::parse(o.output, ec);
        const json::object* doc = v.if_object();
        if (ec || !doc) fail(sd.name + ": unexpected output: " + o.output);
        const auto records = doc->at("records").to_number<std::size_t>();
        const auto distinct = doc->at("distinct_ids").to_number<std::size_t>();
        if (records != sv.devices || distinct != sv.devices)
            fail(sd.name + " counted " + std::to_string(records) + " records (" + std::to_string(distinct) +
                 " distinct ids), expected " + std::to_string(sv.devices));
        const double seconds = doc->at("seconds").to_number<double>();
        sd.rate.push_back(static_cast<double>(records) / seconds);
        sd.seconds.push_back(seconds);
        sd.extra.push_back(o.seconds);
        const json::value& hwm = doc->at("vmhwm_kib");
        sd.rss_kib.push_back(hwm.is_number() ? hwm.to_number<long>() : o.maxrss_kib);
    }
};

int run(int argc, char** argv, spawner& helper) {
    const settings s = parse(argc, argv);
    const std::vector<std::string> known{"raw", "raw-x2", "raw-keyset", "pynetbox-seq", "pynetbox-threading", "rss",
                                         "latency"};
    if (!s.only.empty() && std::find(known.begin(), known.end(), s.only) == known.end() && !facade_side(s.only))
        fail("--only " + s.only + ": unknown side\n" + usage);
    const std::string self = self_path();
    pynetbox_runner py{helper, s};

    std::printf("netbox-bench-scan: full scans of /api/dcim/devices/ through the dynamic facade, a bare Beast loop\n"
                "(the raw limit) and pynetbox, against the NetBox 4.5 simulator on 127.0.0.1 (its own thread).\n");

    const bool all = s.only.empty();
    const auto wanted = [&](const std::string& name) { return all || s.only == name; };
    bool have_pynetbox =
        s.pynetbox && (all || s.only.starts_with("pynetbox") || s.only == "rss" || s.only == "latency");
    if (have_pynetbox) have_pynetbox = py.available();

    // ---- 1. throughput ----------------------------------------------------------------------------
    std::map<std::string, side> sides;
    std::vector<side*> group;
    std::optional<served> main_sim;
    const bool throughput =
        all || s.only == "raw" || s.only == "raw-x2" || s.only == "raw-keyset" || facade_side(s.only);
    if (throughput) {
        main_sim = serve(s.devices, s.page_size);
        const served& sv = *main_sim;
        const std::string url = sv.simulator->url(), token = sv.simulator->token();
        const target t = sv.raw_target();
        std::vector<std::string> names{"raw",           "facade-seq",       "facade-x2",   "facade-x4",
                                       "raw-keyset",    "facade-keyset",    "raw-x2",      "facade-pages",
                                       "facade-noprefetch", "facade-pipe4", "facade-x2-pipe4"};
        if (!all && std::find(names.begin(), names.end(), s.only) == names.end()) names.push_back(s.only);
        for (const std::string& name : names) {
            if (!wanted(name)) continue;
            side& sd = sides[name];
            sd.name = name;
            if (sd.name.starts_with("raw")) {
                const std::size_t connections = sd.name == "raw" ? 1 : sd.name == "raw-x2" ? 2 : 0;
                sd.run = [t, connections] { return run_fresh([&] { return raw_scan(t, connections); }); };
            } else {
                const facade_mode m = *facade_side(name);
                sd.run = [url, token, page = s.page_size, m] {
                    return run_fresh([&] { return facade_scan(url, token, page, m); });
                };
            }
            group.push_back(&sd);
        }
        char title[200];
        std::snprintf(title, sizeof title,
                      "1. Records per second, full scan of %zu devices in pages of %zu (%d rounds)", s.devices,
                      s.page_size, s.rounds);
        run_rounds(group, s.rounds, sv, title);
        std::printf("%-6s", "median");
        for (const side* sd : group) std::printf(" %18.0f", median(sd->rate));
        std::printf("\n");
    }

    std::optional<served> py_sim;
    side raw_small{"raw"}, facade_small{"facade-seq"};
    side py_seq{"pynetbox-seq"}, py_thr{"pynetbox-threading"};
    const bool py_group = have_pynetbox && (all || s.only == "pynetbox-seq" || s.only == "pynetbox-threading");
    if (py_group) {
        std::printf("\npynetbox group: %zu devices (pynetbox's default page size: the server's MAX_PAGE_SIZE, %zu)\n",
                    s.pynetbox_devices, s.page_size);
        py_sim = serve(s.pynetbox_devices, s.page_size);
        const served& sv = *py_sim;
        const std::string url = sv.simulator->url(), token = sv.simulator->token();
        const target t = sv.raw_target();
        raw_small.run = [t] { return run_fresh([&] { return raw_scan(t, 1); }); };
        facade_small.run = [url, token, page = s.page_size] {
            return run_fresh([&] { return facade_scan(url, token, page, facade_mode()); });
        };
        std::printf("%-6s %18s %18s %18s %18s   records/s; pynetbox timed by the script (list() only)\n", "round",
                    "raw", "facade-seq", "pynetbox-seq", "pynetbox-threading");
        for (int r = 0; r < s.pynetbox_rounds; ++r) {
            const bool both = all;
            if (both || s.only == "pynetbox-seq") py.scan(py_seq, sv, false, 0);
            if (both) record_run(raw_small, raw_small.run(), sv);
            if (both || s.only == "pynetbox-threading") py.scan(py_thr, sv, true, 0);
            if (both) record_run(facade_small, facade_small.run(), sv);
            const auto last = [](const side& sd) { return sd.rate.empty() ? 0.0 : sd.rate.back(); };
            std::printf("%-6d %18.0f %18.0f %18.0f %18.0f\n", r + 1, last(raw_small), last(facade_small), last(py_seq),
                        last(py_thr));
            std::fflush(stdout);
        }
    }

    if (throughput && all) {
        const side& raw = sides.at("raw");
        std::printf("\nSummary 1: records/s as a ratio to the raw loop (median of per-round ratios), medians of\n"
                    "records/s and of client-thread CPU per record (the simulator's CPU is not in it)\n");
        std::printf("  %-20s %8s %12s %14s %10s %16s\n", "side", "ratio", "records/s", "CPU ns/record", "CPU ratio",
                    "simulator ns/rec");
        for (const side* sd : group)
            std::printf("  %-20s %8.3f %12.0f %14.0f %10.3f %16.0f\n", sd->name.c_str(), ratio(sd->rate, raw.rate),
                        median(sd->rate), median(sd->cpu_ns), ratio(sd->cpu_ns, raw.cpu_ns), median(sd->server_ns));
        const auto context = [&](const char* a, const char* b) {
            if (sides.count(a) && sides.count(b))
                std::printf("  %s / %s = %.3f\n", a, b, ratio(sides.at(a).rate, sides.at(b).rate));
        };
        // The raw loop waits for each page before asking for the next; the facade's prefetch and
        // windows overlap the simulator's work with the client's, which raw-x2 does too.
        context("facade-seq", "raw-x2");
        context("facade-x2", "raw-x2");
        context("facade-x4", "raw-x2");
        context("facade-keyset", "raw-keyset");
        // Pipelining against what it replaces: one page ahead per connection.
        context("facade-pipe4", "facade-seq");
        context("facade-x2-pipe4", "facade-x2");
        context("facade-x2-pipe4", "facade-x4");
        if (py_group) {
            std::printf("  at %zu devices (pynetbox group):\n", s.pynetbox_devices);
            std::printf("  %-20s %8.3f %12.0f %14.0f\n", "raw", 1.0, median(raw_small.rate), median(raw_small.cpu_ns));
            std::printf("  %-20s %8.3f %12.0f %14.0f\n", "facade-seq", ratio(facade_small.rate, raw_small.rate),
                        median(facade_small.rate), median(facade_small.cpu_ns));
            for (const side* sd : {&py_seq, &py_thr})
                std::printf("  %-20s %8.4f %12.0f %14s   (%.2f s list(); %.2f s with interpreter start-up)\n",
                            sd->name.c_str(), ratio(sd->rate, raw_small.rate), median(sd->rate), "-",
                            median(sd->seconds), median(sd->extra));
            std::printf("  facade-seq / pynetbox-threading = %.1f; facade-seq / pynetbox-seq = %.1f\n",
                        ratio(facade_small.rate, py_thr.rate), ratio(facade_small.rate, py_seq.rate));
        }
    }
    if (py_group && !all) {
        const side& sd = s.only == "pynetbox-seq" ? py_seq : py_thr;
        std::printf("%s: median %.0f records/s (%.2f s per list(), %.2f s with interpreter start-up)\n",
                    sd.name.c_str(), median(sd.rate), median(sd.seconds), median(sd.extra));
    }
    if (!all && !s.only.starts_with("pynetbox") && s.only != "rss" && s.only != "latency") {
        const side& sd = sides.at(s.only);
        std::printf("%s: median %.0f records/s, %.0f ns client CPU and %.0f ns simulator CPU per record\n",
                    sd.name.c_str(), median(sd.rate), median(sd.cpu_ns), median(sd.server_ns));
    }

    // ---- 2. peak RSS --------------------------------------------------------------------------------
    if (all || s.only == "rss") {
        std::printf("\n2. Peak RSS of a process doing one scan (the simulator stays in this process)\n");
        const std::vector<std::string> child_sides{"raw", "facade-seq", "facade-x4", "facade-keyset", "facade-pipe4"};
        // The simulators first, so that their start-up lines do not break the table.
        std::deque<served> own;
        std::vector<const served*> sims;
        for (const std::size_t n : s.rss_devices)
            sims.push_back(main_sim && main_sim->devices == n ? &*main_sim
                           : py_sim && py_sim->devices == n   ? &*py_sim
                                                              : &own.emplace_back(serve(n, s.page_size)));
        std::printf("  %-9s", "devices");
        for (const std::string& c : child_sides) std::printf(" %16s", c.c_str());
        std::printf("   (MiB, VmHWM of the child; wait4 ru_maxrss in brackets)\n");
        for (const served* sv : sims) {
            const std::size_t n = sv->devices;
            std::printf("  %-9zu", n);
            for (const std::string& c : child_sides) {
                const std::vector<std::string> child{self,
                                                     "--child-scan",
                                                     sv->simulator->url(),
                                                     sv->simulator->token(),
                                                     std::to_string(n),
                                                     std::to_string(s.page_size),
                                                     c};
                const spawner::outcome o = helper.run(child);
                std::size_t records = 0;
                long long id_sum = 0;
                double seconds = 0;
                long hwm = 0;
                const int fields = std::sscanf(o.output.c_str(), "%zu %lld %lf %ld", &records, &id_sum, &seconds, &hwm);
                if (o.exit_code != 0 || fields != 4)
                    fail("the " + c + " child scan of " + std::to_string(n) + " devices failed (exit " +
                         std::to_string(o.exit_code) + "): " + o.output);
                scan_outcome seen;
                seen.records = records;
                seen.id_sum = static_cast<std::int64_t>(id_sum);
                check(c + " (child)", seen, *sv);
                std::printf(" %7.1f (%6.1f)", static_cast<double>(hwm) / 1024,
                            static_cast<double>(o.maxrss_kib) / 1024);
                std::fflush(stdout);
            }
            std::printf("\n");
        }
        if (have_pynetbox) {
            // The interpreter's own peak (VmHWM) in the threading runs of the pynetbox group, or one
            // run now when the group did not run.
            if (py_thr.rss_kib.empty()) {
                std::optional<served> extra;
                const served* sv = py_sim ? &*py_sim : &extra.emplace(serve(s.pynetbox_devices, s.page_size));
                py.scan(py_thr, *sv, true, 0);
            }
            std::vector<double> kib(py_thr.rss_kib.begin(), py_thr.rss_kib.end());
            std::printf("  pynetbox-threading at %zu devices: %.1f MiB (median VmHWM of the interpreter over %zu\n"
                        "  runs; list() keeps every record)\n",
                        s.pynetbox_devices, median(kib) / 1024, kib.size());
        }
    }

    // ---- 3. latency-bound ---------------------------------------------------------------------------
    if (all || s.only == "latency") {
        const double ideal = static_cast<double>(latency_pages) / static_cast<double>(latency_concurrency) *
                             std::chrono::duration<double>(latency).count();
        std::printf("\n3. Latency-bound: %zu pages of %zu devices, +%lld ms per request, %zu in flight; ideal %.3f s\n",
                    latency_pages, latency_page_size, static_cast<long long>(latency.count()), latency_concurrency,
                    ideal);
        const served sv = serve(latency_pages * latency_page_size, 1000, latency);
        const std::string url = sv.simulator->url(), token = sv.simulator->token();
        target t = sv.raw_target();
        t.page_size = latency_page_size;
        side raw{"raw-x8"}, facade{"facade-x8"};
        side pyl{"pynetbox-threading"};
        facade_mode m;
        m.concurrency = latency_concurrency;
        // The same 8 pages in flight, pipelined: 8 on one connection, 4 on each of 2. The simulator
        // answers one request at a time per connection, so these save round trips only.
        side pipe8{"facade-pipe8"}, x2_pipe4{"facade-x2-pipe4"};
        const facade_mode m_pipe8 = *facade_side("facade-pipe8"), m_x2_pipe4 = *facade_side("facade-x2-pipe4");
        std::printf("  %-6s %12s %12s %16s %16s %20s   wall seconds\n", "round", "raw-x8", "facade-x8",
                    "facade-x2-pipe4", "facade-pipe8", "pynetbox-threading");
        for (int r = 0; r < s.latency_rounds; ++r) {
            const auto run_facade = [&](side& sd, const facade_mode& mode) {
                record_run(sd, run_fresh([&] { return facade_scan(url, token, latency_page_size, mode); }), sv);
            };
            const auto run_raw = [&] {
                record_run(raw, run_fresh([&] { return raw_scan(t, latency_concurrency); }), sv);
            };
            if (r % 2) {
                run_raw();
                run_facade(facade, m);
            } else {
                run_facade(facade, m);
                run_raw();
            }
            run_facade(x2_pipe4, m_x2_pipe4);
            run_facade(pipe8, m_pipe8);
            if (have_pynetbox) py.scan(pyl, sv, true, latency_page_size);
            std::printf("  %-6d %12.3f %12.3f %16.3f %16.3f %20s\n", r + 1, raw.seconds.back(), facade.seconds.back(),
                        x2_pipe4.seconds.back(), pipe8.seconds.back(),
                        have_pynetbox ? std::to_string(pyl.seconds.back()).c_str() : "skipped");
            std::fflush(stdout);
        }
        std::printf("  medians: raw-x8 %.3f s (%.3f x ideal), facade-x8 %.3f s (%.3f x ideal, goal <= 1.25),\n"
                    "  facade-x2-pipe4 %.3f s (%.3f x ideal), facade-pipe8 %.3f s (%.3f x ideal)",
                    median(raw.seconds), median(raw.seconds) / ideal, median(facade.seconds),
                    median(facade.seconds) / ideal, median(x2_pipe4.seconds), median(x2_pipe4.seconds) / ideal,
                    median(pipe8.seconds), median(pipe8.seconds) / ideal);
        if (have_pynetbox)
            std::printf(", pynetbox-threading %.3f s (%.3f x ideal; its pool has 4 threads; %.3f s with start-up)",
                        median(pyl.seconds), median(pyl.seconds) / ideal, median(pyl.extra));
        std::printf("\n");
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        if (argc > 1 && std::strcmp(argv[1], "--child-scan") == 0) return child_scan(argc, argv);
        spawner helper;  // first: forked while this process is still small and has one thread
        return run(argc, argv, helper);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "netbox-bench-scan: %s\n", e.what());
        return 1;
    }
}
