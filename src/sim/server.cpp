// netbox::testing::simulator: the HTTP/1.1 server around the gateway. One thread runs one
// io_context; each connection is a coroutine reading requests with Beast's parser and writing the
// gateway's answers, keep-alive unless connection_close (gunicorn) or the client says otherwise.
// Faults are applied here: latency, injected statuses, broken connections.
#include <netbox/testing/simulator.hpp>

#include "sim/faults.hpp"
#include "sim/gateway.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

namespace netbox::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using break_kind = fault_options::break_kind;

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t max_header_bytes = 64u << 10;
constexpr std::size_t max_body_bytes = 16u << 20;
constexpr int slow_body_parts = 4;

/// "Mon, 23 Nov 2026 04:32:03 GMT"
std::string http_date()
{
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[40];
    std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
    return text;
}

/// 1xx, 204 and 304 answers have no body and so no Content-Length.
bool may_have_body(int status)
{
    return status >= 200 && status != 204 && status != 304;
}

/// CR, LF and NUL, which must never reach a header line: they would end it and begin another.
bool breaks_header_line(char c)
{
    return c == '\r' || c == '\n' || c == '\0';
}

/// `value` with CR, LF and NUL percent-encoded.
std::string header_value(std::string_view value)
{
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        if (breaks_header_line(c)) {
            out += '%';
            out += digits[static_cast<unsigned char>(c) >> 4];
            out += digits[static_cast<unsigned char>(c) & 15];
        } else {
            out += c;
        }
    }
    return out;
}

/// The status line and header block of `a`, ending with the empty line. A field whose name holds
/// CR, LF, NUL or ':' is left out, and those bytes in a value are percent-encoded, so that no
/// answer can carry more header fields than it names.
std::string render_head(const sim::http_answer& a, bool keep_alive)
{
    std::string head = "HTTP/1.1 " + std::to_string(a.status) + ' '
                       + std::string(http::obsolete_reason(http::int_to_status(a.status))) + "\r\n";
    head += "Date: " + http_date() + "\r\nServer: netbox-sim\r\n";
    for (const auto& [name, value] : a.headers) {
        if (name.empty() || std::ranges::any_of(name, [](char c) { return breaks_header_line(c) || c == ':'; }))
            continue;
        head += name + ": " + header_value(value) + "\r\n";
    }
    if (may_have_body(a.status))
        head += "Content-Length: " + std::to_string(a.body.size()) + "\r\n";
    if (!keep_alive)
        head += "Connection: close\r\n";
    return head + "\r\n";
}

/// A short plain answer for a request that could not be read, after which the connection closes.
std::string refusal(http::status status)
{
    const std::string reason(http::obsolete_reason(status));
    return "HTTP/1.1 " + std::to_string(static_cast<int>(status)) + ' ' + reason + "\r\nDate: " + http_date()
           + "\r\nServer: netbox-sim\r\nContent-Type: text/html\r\nContent-Length: " + std::to_string(reason.size())
           + "\r\nConnection: close\r\n\r\n" + reason;
}

/// What to answer a request that could not be read, or nothing when the peer went away.
std::optional<http::status> refusal_status(boost::system::error_code ec)
{
    if (ec == http::error::body_limit)
        return http::status::payload_too_large;
    if (ec == http::error::header_limit)
        return http::status::request_header_fields_too_large;
    const bool parse_error = ec.category() == http::make_error_code(http::error::bad_method).category();
    if (!parse_error || ec == http::error::end_of_stream || ec == http::error::partial_message)
        return std::nullopt;
    return http::status::bad_request;
}

sim::http_request to_request(const http::request<http::string_body>& message)
{
    sim::http_request r;
    r.method = std::string(message.method_string());
    r.target = std::string(message.target());
    for (const auto& field : message)
        r.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    r.body = message.body();
    return r;
}

asio::awaitable<void> sleep_for(std::chrono::steady_clock::duration duration)
{
    asio::steady_timer timer(co_await asio::this_coro::executor, duration);
    co_await timer.async_wait(use_tuple);
}

template <class Buffers>
asio::awaitable<bool> write_all(beast::tcp_stream& stream, const Buffers& buffers)
{
    auto [ec, written] = co_await asio::async_write(stream, buffers, use_tuple);
    co_return !ec;
}

/// FIN after everything written.
void close_gracefully(beast::tcp_stream& stream)
{
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.close();
}

/// TCP RST instead of FIN.
void reset(beast::tcp_stream& stream)
{
    boost::system::error_code ignored;
    stream.socket().set_option(tcp::socket::linger(true, 0), ignored);
    stream.close();
}

/// Options of every accepted connection. TCP_NODELAY: with Nagle's algorithm the last, partial
/// segment of a large answer waits for the client's delayed ACK (40 ms on Linux) whenever earlier
/// segments are unacknowledged; NetBox's usual front end (nginx, `tcp_nodelay on`) sends at once.
void configure_accepted(tcp::socket& socket)
{
    boost::system::error_code ignored;  // a socket that cannot take it still works, only slower
    socket.set_option(tcp::no_delay(true), ignored);
}

/// The address to listen on: an IP literal, or the first address `host` resolves to.
tcp::endpoint endpoint_of(asio::io_context& io, const std::string& host, std::uint16_t port)
{
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(host, ec);
    if (!ec)
        return {address, port};
    tcp::resolver resolver(io);
    const auto results = resolver.resolve(host, std::to_string(port));
    return results.begin()->endpoint();
}

void report_exception(std::exception_ptr e)
{
    try {
        if (e)
            std::rethrow_exception(e);
    } catch (const std::exception& x) {
        std::fprintf(stderr, "netbox-sim: %s\n", x.what());
    }
}

}  // namespace

std::string recorded_request::header(std::string_view name) const
{
    const std::string* value = sim::find_header(headers, name);
    return value ? *value : std::string();
}

struct simulator::impl {
    // Declaration order matters: stop() destroys `io`, and with it every connection, before the
    // gateway and the log the connections use.
    simulator_options options;
    sim::fault_injector faults;
    std::optional<sim::gateway> gateway;
    mutable std::mutex log_mutex;
    std::vector<recorded_request> log;  // guarded by log_mutex
    std::optional<asio::io_context> io;
    std::uint16_t port = 0;
    std::string url;
    std::size_t connections = 0;  // accepted so far (server thread only)
    std::thread thread;

    explicit impl(simulator_options o) : options(std::move(o)), faults(options.faults, options.seed)
    {
        io.emplace();
        tcp::acceptor acceptor(*io);
        try {
            const tcp::endpoint endpoint = endpoint_of(*io, options.host, options.port);
            acceptor.open(endpoint.protocol());
            acceptor.set_option(tcp::acceptor::reuse_address(true));
            acceptor.bind(endpoint);
            acceptor.listen();
            port = acceptor.local_endpoint().port();
        } catch (const boost::system::system_error& e) {
            throw std::runtime_error("netbox-sim: cannot listen on " + options.host + ":"
                                     + std::to_string(options.port) + ": " + e.code().message());
        }
        const bool ipv6 = options.host.find(':') != std::string::npos;
        url = "http://" + (ipv6 ? "[" + options.host + "]" : options.host) + ":" + std::to_string(port);
        gateway.emplace(options, url);
        asio::co_spawn(*io, accept_loop(std::move(acceptor)), report_exception);
        thread = std::thread([this] { io->run(); });
    }

    void stop()
    {
        if (!io)
            return;
        io->stop();
        if (thread.joinable())
            thread.join();
        io.reset();  // destroys every suspended coroutine: the acceptor and each connection
    }

    asio::awaitable<void> accept_loop(tcp::acceptor acceptor)
    {
        for (;;) {
            auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
            if (ec == asio::error::operation_aborted)
                co_return;
            if (ec) {  // out of file descriptors, say: let connections close before trying again
                co_await sleep_for(std::chrono::milliseconds(50));
                continue;
            }
            configure_accepted(socket);
            asio::co_spawn(acceptor.get_executor(), serve(std::move(socket), connections++), report_exception);
        }
    }

    /// Requests and answers on one connection until either side closes it.
    asio::awaitable<void> serve(tcp::socket socket, std::size_t connection)
    {
        beast::tcp_stream stream(std::move(socket));
        beast::flat_buffer buffer;
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.header_limit(max_header_bytes);
            parser.body_limit(max_body_bytes);
            if (!co_await read_request(stream, buffer, parser))
                co_return;

            const http::request<http::string_body>& message = parser.get();
            const sim::http_request request = to_request(message);
            const sim::fault_plan plan = faults.next();
            if (plan.latency.count() > 0)
                co_await sleep_for(plan.latency);
            const sim::http_answer answer = plan.status != 0
                                                ? gateway->injected(request, plan.status, plan.retry_after_seconds)
                                                : gateway->answer(request);
            if (plan.latency_per_object.count() > 0 && answer.objects > 0)
                co_await sleep_for(plan.latency_per_object * static_cast<long>(answer.objects));
            record(request, plan.connection == break_kind::reset_before_headers ? 0 : answer.status, connection);

            const bool keep_alive = message.keep_alive() && !options.connection_close;
            const bool head_only = message.method() == http::verb::head;
            if (!co_await respond(stream, answer, keep_alive, head_only, plan))
                co_return;
            if (!keep_alive) {
                close_gracefully(stream);
                co_return;
            }
        }
    }

    /// Reads one request into `parser`, answering `Expect: 100-continue`. On a request that is
    /// not HTTP, too large or cut short, answers what it can and returns false.
    asio::awaitable<bool> read_request(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                       http::request_parser<http::string_body>& parser)
    {
        auto [ec, read] = co_await http::async_read_header(stream, buffer, parser, use_tuple);
        if (!ec && sim::iequals(parser.get()[http::field::expect], "100-continue")) {
            static constexpr std::string_view go_on = "HTTP/1.1 100 Continue\r\n\r\n";
            if (!co_await write_all(stream, asio::buffer(go_on)))
                co_return false;
        }
        if (!ec && !parser.is_done())
            std::tie(ec, read) = co_await http::async_read(stream, buffer, parser, use_tuple);
        if (!ec)
            co_return true;

        const std::optional<http::status> answer = refusal_status(ec);
        if (answer) {
            const std::string bytes = refusal(*answer);
            if (co_await write_all(stream, asio::buffer(bytes)))
                close_gracefully(stream);
        }
        co_return false;
    }

    /// Writes `answer` (only its head for HEAD), or breaks the connection as `plan` says. False
    /// when the connection is gone.
    asio::awaitable<bool> respond(beast::tcp_stream& stream, const sim::http_answer& answer, bool keep_alive,
                                  bool head_only, const sim::fault_plan& plan)
    {
        const std::string head = render_head(answer, keep_alive);
        const std::string_view body = head_only ? std::string_view() : std::string_view(answer.body);
        switch (plan.connection) {
        case break_kind::none:
            co_return co_await write_all(stream, std::array{asio::buffer(head), asio::buffer(body)});
        case break_kind::reset_before_headers:
            break;
        case break_kind::reset_after_headers:
            co_await write_all(stream, asio::buffer(head));
            break;
        case break_kind::truncate_body:
            if (co_await write_all(stream, std::array{asio::buffer(head), asio::buffer(body.substr(0, body.size() / 2))}))
                close_gracefully(stream);
            co_return false;
        case break_kind::slow_body: {
            if (!co_await write_all(stream, asio::buffer(head)))
                co_return false;
            const std::size_t part = (body.size() + slow_body_parts - 1) / slow_body_parts;
            for (std::size_t offset = 0; offset < body.size(); offset += part) {
                co_await sleep_for(plan.slow_body_interval);
                if (!co_await write_all(stream, asio::buffer(body.substr(offset, part))))
                    co_return false;
            }
            co_return true;
        }
        }
        reset(stream);
        co_return false;
    }

    void record(const sim::http_request& request, int status, std::size_t connection)
    {
        if (!options.record_requests)
            return;
        recorded_request r;
        r.method = request.method;
        const std::size_t question = request.target.find('?');
        r.path = request.target.substr(0, question);
        r.query = question == std::string::npos ? std::string() : request.target.substr(question + 1);
        r.headers = request.headers;
        r.body = request.body;
        r.status = status;
        r.connection = connection;
        std::lock_guard lock(log_mutex);
        log.push_back(std::move(r));
    }
};

simulator::simulator(simulator_options options) : impl_(std::make_unique<impl>(std::move(options))) {}

simulator::~simulator()
{
    stop();
}

std::string simulator::url() const
{
    return impl_->url;
}

std::uint16_t simulator::port() const
{
    return impl_->port;
}

const std::string& simulator::token() const
{
    static const std::string none;
    return impl_->options.tokens.empty() ? none : impl_->options.tokens.front();
}

const simulator_options& simulator::options() const
{
    return impl_->options;
}

std::vector<recorded_request> simulator::requests() const
{
    std::lock_guard lock(impl_->log_mutex);
    return impl_->log;
}

void simulator::clear_requests()
{
    std::lock_guard lock(impl_->log_mutex);
    impl_->log.clear();
}

void simulator::set_faults(fault_options faults)
{
    impl_->faults.set(std::move(faults));
}

void simulator::stop()
{
    impl_->stop();
}

}  // namespace netbox::testing
