// netbox-bench-simulator: how fast the simulator (netbox::testing::simulator) serves JSON. A
// simulator with 100,000 devices; a bare, blocking Asio loop on the main thread fetches every page
// of /api/dcim/devices/ with limit=1000 over one keep-alive connection, pass after pass, and
// reports MB/s of JSON bodies and pages/s. The first pass renders every device (cold render
// caches); later passes serve them from the caches.
//
//   netbox-bench-simulator [--devices N] [--limit N] [--rounds N] [--version V]
//
// The client is a bare loop rather than netbox::client (or even Beast's parser) so that what is
// measured is the simulator: it writes one pre-built request per page and reads the answer
// straight into one reused buffer, with no JSON parsing, no copies out of a parser's buffer, no
// retry or deadline machinery and no coroutine frames; its CPU time is reported too. The
// simulator serves from its own thread; its CPU time is the process's minus the client thread's,
// which gives a second figure that depends less on how busy the machine is.
#include <netbox/testing/simulator.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <time.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

struct settings {
    std::size_t devices = 100'000;
    std::size_t limit = 1000;
    int rounds = 5;
    std::string version = "4.5";
};

[[noreturn]] void fail(const std::string& message) {
    throw std::runtime_error(message);
}

settings parse(int argc, char** argv) {
    settings s;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (i + 1 >= argc) fail("missing value after " + arg);
        const std::string value = argv[++i];
        if (arg == "--devices") s.devices = std::stoul(value);
        else if (arg == "--limit") s.limit = std::stoul(value);
        else if (arg == "--rounds") s.rounds = std::stoi(value);
        else if (arg == "--version") s.version = value;
        else fail("unknown option " + arg + " (options: --devices N --limit N --rounds N --version V)");
    }
    if (s.devices == 0 || s.limit == 0 || s.rounds < 1) fail("--devices, --limit and --rounds must be positive");
    return s;
}

double cpu_seconds(clockid_t clock) {
    timespec ts{};
    ::clock_gettime(clock, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

/// One pass over every page.
struct pass {
    std::size_t pages = 0;
    std::size_t body_bytes = 0;
    double wall_seconds = 0;
    double server_cpu_seconds = 0;  // process CPU minus the client thread's
    double client_cpu_seconds = 0;

    double mb_per_second() const { return static_cast<double>(body_bytes) / 1e6 / wall_seconds; }
    double pages_per_second() const { return static_cast<double>(pages) / wall_seconds; }
    double mb_per_server_cpu_second() const { return static_cast<double>(body_bytes) / 1e6 / server_cpu_seconds; }
};

/// A keep-alive connection that GETs pages with pre-built requests. It reads each answer straight
/// into one reused buffer: the header block, then exactly Content-Length bytes of body in as few
/// reads as the kernel allows. The simulator always sends Content-Length.
class page_reader {
public:
    page_reader(std::uint16_t port, std::string token) : socket_(io_), token_(std::move(token)), port_(port) {
        socket_.connect({asio::ip::address_v4::loopback(), port});
        socket_.set_option(tcp::no_delay(true));
        buffer_.resize(4 << 20);
    }

    std::string request_for(std::size_t limit, std::size_t offset) const {
        return "GET /api/dcim/devices/?limit=" + std::to_string(limit) + "&offset=" + std::to_string(offset) +
               " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) + "\r\nAccept: application/json\r\n" +
               "Authorization: Token " + token_ + "\r\n\r\n";
    }

    /// Sends `request` and returns the body of the answer, which must be a 200. The view is valid
    /// until the next call.
    std::string_view get(const std::string& request) {
        asio::write(socket_, asio::buffer(request));
        std::size_t have = 0;
        std::size_t header_end = std::string_view::npos;
        while (header_end == std::string_view::npos) {
            if (have == buffer_.size()) fail("header block too large");
            have += socket_.read_some(asio::buffer(buffer_.data() + have, buffer_.size() - have));
            header_end = std::string_view(buffer_.data(), have).find("\r\n\r\n");
        }
        const std::string_view head(buffer_.data(), header_end + 2);
        if (!head.starts_with("HTTP/1.1 200 ")) fail("unexpected answer: " + std::string(head.substr(0, 40)));
        const std::size_t length = content_length(head);
        const std::size_t body_start = header_end + 4;
        if (buffer_.size() < body_start + length) buffer_.resize(body_start + length);
        if (have < body_start + length)
            asio::read(socket_, asio::buffer(buffer_.data() + have, body_start + length - have));
        return {buffer_.data() + body_start, length};
    }

private:
    static std::size_t content_length(std::string_view head) {
        static constexpr std::string_view name = "\r\ncontent-length:";
        const auto same = [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; };
        const auto found = std::search(head.begin(), head.end(), name.begin(), name.end(), same);
        if (found == head.end()) fail("no Content-Length");
        std::size_t at = static_cast<std::size_t>(found - head.begin()) + name.size();
        while (at < head.size() && head[at] == ' ') ++at;
        return std::stoul(std::string(head.substr(at, head.find('\r', at) - at)));
    }

    asio::io_context io_;
    tcp::socket socket_;
    std::string token_;
    std::uint16_t port_;
    std::vector<char> buffer_;
};

/// Every page once. Each answer must be a page of the whole data set: it starts with `prefix`
/// (the count) and ends the results list.
pass run_pass(page_reader& reader, const std::vector<std::string>& requests, const std::string& prefix) {
    pass p;
    const double process0 = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
    const double thread0 = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
    const auto start = clock_type::now();
    for (const std::string& request : requests) {
        const std::string_view body = reader.get(request);
        if (!body.starts_with(prefix) || !body.ends_with("]}")) fail("unexpected page: " + std::string(body.substr(0, 80)));
        p.body_bytes += body.size();
        ++p.pages;
    }
    p.wall_seconds = std::chrono::duration<double>(clock_type::now() - start).count();
    p.client_cpu_seconds = cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - thread0;
    p.server_cpu_seconds = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - process0 - p.client_cpu_seconds;
    return p;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int run(int argc, char** argv) {
    const settings s = parse(argc, argv);

    netbox::testing::simulator_options options;
    options.version = s.version;
    options.devices = s.devices;
    options.record_requests = false;  // the request log is not what is measured
    const auto built0 = clock_type::now();
    netbox::testing::simulator simulator(options);
    const double build_seconds = std::chrono::duration<double>(clock_type::now() - built0).count();

    page_reader reader(simulator.port(), simulator.token());
    std::vector<std::string> requests;
    for (std::size_t offset = 0; offset < s.devices; offset += s.limit) requests.push_back(reader.request_for(s.limit, offset));

    const std::string prefix = "{\"count\":" + std::to_string(s.devices) + ",";

    std::printf("netbox-bench-simulator: NetBox %s simulator with %zu devices (built in %.2f s); a bare Asio loop\n"
                "GETs /api/dcim/devices/?limit=%zu&offset=... (%zu pages) over one keep-alive connection, %d passes.\n"
                "MB = 10^6 bytes of JSON bodies. Server CPU = process CPU minus the client thread's.\n\n",
                s.version.c_str(), s.devices, build_seconds, s.limit, requests.size(), s.rounds);
    std::printf("%-6s %8s %8s %9s %9s %10s %13s %13s\n", "pass", "pages", "MB", "seconds", "pages/s", "MB/s",
                "server CPU s", "client CPU s");

    std::vector<pass> passes;
    for (int r = 0; r < s.rounds; ++r) {
        passes.push_back(run_pass(reader, requests, prefix));
        const pass& p = passes.back();
        std::printf("%-6d %8zu %8.1f %9.3f %9.1f %10.1f %13.3f %13.3f%s\n", r + 1, p.pages,
                    static_cast<double>(p.body_bytes) / 1e6, p.wall_seconds, p.pages_per_second(), p.mb_per_second(),
                    p.server_cpu_seconds, p.client_cpu_seconds, r == 0 ? "  (cold render caches)" : "");
        std::fflush(stdout);
    }

    // "On one core": MB per second of the simulator thread's CPU time is the headline; wall-clock
    // MB/s adds the client's share and, on a busy machine, time spent waiting for a core.
    const auto verdict = [](double mb_per_cpu_second) { return mb_per_cpu_second >= 300 ? "meets the goal" : "BELOW THE GOAL"; };
    const pass& cold = passes.front();
    std::printf("\nSummary (goal >= 300 MB/s on one core):\n");
    std::printf("  first pass (cold)  : %7.1f MB per server CPU second -> %s\n"
                "                       wall clock %.1f MB/s, %.1f pages/s\n",
                cold.mb_per_server_cpu_second(), verdict(cold.mb_per_server_cpu_second()), cold.mb_per_second(),
                cold.pages_per_second());
    if (passes.size() > 1) {
        std::vector<double> mb, pages, cpu_mb;
        for (std::size_t i = 1; i < passes.size(); ++i) {
            mb.push_back(passes[i].mb_per_second());
            pages.push_back(passes[i].pages_per_second());
            cpu_mb.push_back(passes[i].mb_per_server_cpu_second());
        }
        std::printf("  later passes (warm): %7.1f MB per server CPU second (median) -> %s\n"
                    "                       wall clock %.1f MB/s, %.1f pages/s (medians); best pass %.1f MB/s, %.1f pages/s\n",
                    median(cpu_mb), verdict(median(cpu_mb)), median(mb), median(pages),
                    *std::max_element(mb.begin(), mb.end()), *std::max_element(pages.begin(), pages.end()));
    }
    std::printf("  average page: %.0f bytes\n", static_cast<double>(cold.body_bytes) / static_cast<double>(cold.pages));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "netbox-bench-simulator: %s\n", e.what());
        return 1;
    }
}
