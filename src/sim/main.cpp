// netbox-sim: the NetBox simulator as a program (docs/simulator.md). Prints one line,
// `listening on http://<host>:<port>`, once it accepts connections, and serves until SIGINT or
// SIGTERM. Exit status: 0 after a signal, 2 for bad arguments, 1 when it cannot start.
#include <netbox/model/api_model.hpp>
#include <netbox/testing/simulator.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <csignal>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace {

using netbox::testing::fault_options;
using netbox::testing::simulator_options;

constexpr std::string_view usage = R"(usage: netbox-sim [options]
  --host ADDRESS          address to listen on (127.0.0.1)
  --port PORT             port; 0 picks a free one (0)
  --version X.Y           NetBox release line: 4.3, 4.4, 4.5 or 4.6 (4.5)
  --token TOKEN           an accepted API token; repeat for more
                          (default: 0123456789abcdef0123456789abcdef01234567)
  --devices N             devices in the generated data set (60)
  --seed S                seed of the generated data set (1)
  --max-page-size N       NetBox's MAX_PAGE_SIZE (1000)
  --schema FILE           OpenAPI JSON document to serve at /api/schema/
  --connection-close      answer every request with Connection: close, like gunicorn
  --public-url URL        base of absolute URLs in answers, as a misconfigured proxy
                          makes NetBox report them (from the Host header)
  --max-target-length N   answer 414 to a longer path and query, as a proxy does (no limit)
fault injection:
  --latency-ms L          delay every answer by L milliseconds
  --object-latency-us U   and by U microseconds per object it returns
  --fail STATUS,...       answer these statuses instead of the real ones, one per request
  --fail-ratio P          answer --fail-status instead with probability P (0 to 1)
  --fail-status STATUS    the status of --fail-ratio (503)
  --retry-after S         Retry-After of injected 429 and 503 answers (1)
  --break KIND[:N]        break the next N (1) answers: reset-before-headers,
                          reset-after-headers, truncate-body or slow-body
  --help                  print this text
)";

struct bad_arguments : std::runtime_error {
    using std::runtime_error::runtime_error;
};

template <class Number>
Number number(std::string_view option, std::string_view text)
{
    Number value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        throw bad_arguments(std::string(option) + ": not a valid number: '" + std::string(text) + "'");
    return value;
}

fault_options::break_kind break_kind_of(std::string_view name)
{
    using kind = fault_options::break_kind;
    if (name == "reset-before-headers")
        return kind::reset_before_headers;
    if (name == "reset-after-headers")
        return kind::reset_after_headers;
    if (name == "truncate-body")
        return kind::truncate_body;
    if (name == "slow-body")
        return kind::slow_body;
    throw bad_arguments("--break: unknown kind '" + std::string(name) + "'");
}

simulator_options parse_arguments(int argc, char** argv)
{
    simulator_options o;
    o.record_requests = false;  // nobody reads the log of a long-running process
    bool default_tokens = true;
    for (int i = 1; i < argc; ++i) {
        const std::string_view option = argv[i];
        const auto value = [&]() -> std::string_view {
            if (i + 1 >= argc)
                throw bad_arguments(std::string(option) + " needs a value");
            return argv[++i];
        };
        if (option == "--host") {
            o.host = value();
        } else if (option == "--port") {
            o.port = number<std::uint16_t>(option, value());
        } else if (option == "--version") {
            o.version = value();
            if (!netbox::model::find_api(o.version))
                throw bad_arguments("--version: NetBox " + o.version + " is not compiled in (4.3 to 4.6 are)");
        } else if (option == "--token") {
            if (std::exchange(default_tokens, false))
                o.tokens.clear();
            o.tokens.emplace_back(value());
        } else if (option == "--devices") {
            o.devices = number<std::size_t>(option, value());
        } else if (option == "--seed") {
            o.seed = number<std::uint64_t>(option, value());
        } else if (option == "--max-page-size") {
            o.max_page_size = number<std::size_t>(option, value());
        } else if (option == "--schema") {
            o.schema_file = value();
        } else if (option == "--connection-close") {
            o.connection_close = true;
        } else if (option == "--public-url") {
            o.public_url = value();
        } else if (option == "--max-target-length") {
            o.max_target_length = number<std::size_t>(option, value());
        } else if (option == "--latency-ms") {
            o.faults.latency = std::chrono::milliseconds(number<unsigned>(option, value()));
        } else if (option == "--object-latency-us") {
            o.faults.latency_per_object = std::chrono::microseconds(number<unsigned>(option, value()));
        } else if (option == "--fail") {
            std::string_view list = value();
            while (!list.empty()) {
                const std::string_view item = list.substr(0, list.find(','));
                o.faults.status_sequence.push_back(number<int>(option, item));
                list.remove_prefix(std::min(list.size(), item.size() + 1));
            }
        } else if (option == "--fail-ratio") {
            o.faults.status_ratio = number<double>(option, value());
            if (o.faults.status_ratio < 0.0 || o.faults.status_ratio > 1.0)
                throw bad_arguments("--fail-ratio: must be between 0 and 1");
        } else if (option == "--fail-status") {
            o.faults.ratio_status = number<int>(option, value());
        } else if (option == "--retry-after") {
            o.faults.retry_after_seconds = number<int>(option, value());
        } else if (option == "--break") {
            const std::string_view spec = value();
            const std::size_t colon = spec.find(':');
            o.faults.connection_fault = break_kind_of(spec.substr(0, colon));
            o.faults.connection_fault_count = colon == std::string_view::npos ? 1 : number<int>(option, spec.substr(colon + 1));
        } else {
            throw bad_arguments("unknown option '" + std::string(option) + "'");
        }
    }
    return o;
}

}  // namespace

int main(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        if (std::string_view(argv[i]) == "--help") {
            std::cout << usage;
            return 0;
        }
    }
    simulator_options options;
    try {
        options = parse_arguments(argc, argv);
    } catch (const bad_arguments& e) {
        std::cerr << "netbox-sim: " << e.what() << "\n" << usage;
        return 2;
    }

    try {
        // The signal handlers go in before the line is printed: a SIGTERM sent as soon as it is read
        // must stop the server cleanly, not kill it.
        boost::asio::io_context io;
        boost::asio::signal_set signals(io, SIGINT, SIGTERM);
        netbox::testing::simulator sim(std::move(options));
        signals.async_wait([&](const boost::system::error_code&, int) { sim.stop(); });
        std::cout << "listening on " << sim.url() << std::endl;
        io.run();
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "netbox-sim: " << e.what() << "\n";
        return 1;
    }
}
