#include "transport/exchange.hpp"

#include <netbox/error.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <optional>

namespace netbox::detail {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using boost::system::error_code;

namespace {

constexpr std::size_t read_chunk = 16 * 1024;

using parser_type = http::response_parser<http::string_body>;

void start_parser(std::optional<parser_type>& p, bool head, const exchange_limits& limits) {
    p.emplace();
    p->eager(true);
    p->header_limit(static_cast<std::uint32_t>(limits.max_header));
    p->body_limit(limits.max_body);
    if (head) p->skip(true);
}

void fail(exchange_result& r, error_code code, std::string text) {
    r.error = code;
    r.error_text = std::move(text);
    r.reusable = false;
}

void map_parse_error(exchange_result& r, const error_code& ec) {
    if (ec == http::error::body_limit)
        fail(r, errc::body_too_large, "response body exceeds the size limit");
    else if (ec == http::error::header_limit)
        fail(r, errc::protocol_error, "response header exceeds the size limit");
    else
        fail(r, errc::protocol_error, "malformed HTTP response: " + ec.message());
}

}  // namespace

asio::awaitable<exchange_result> run_exchange(byte_stream& stream, boost::beast::flat_buffer& buffer,
                                              std::string_view request, bool head, const exchange_limits& limits) {
    auto [wec, written] = co_await stream.write(asio::buffer(request));
    if (wec) {
        exchange_result r;
        r.bytes_sent = written;
        fail(r, classify_io_error(wec, errc::connection_closed), "writing the request failed: " + wec.message());
        co_return r;
    }
    exchange_result r = co_await read_response(stream, buffer, head, limits, false);
    r.bytes_sent = written;
    co_return r;
}

asio::awaitable<exchange_result> read_response(byte_stream& stream, boost::beast::flat_buffer& buffer, bool head,
                                               const exchange_limits& limits, bool more_expected) {
    exchange_result r;
    r.bytes_early = buffer.size();  // already read: the start of this response
    std::optional<parser_type> parser;
    start_parser(parser, head, limits);
    bool ended_by_close = false;

    for (;;) {
        // Feed whatever is buffered before reading more.
        while (buffer.size() > 0 && !parser->is_done()) {
            error_code pec;
            std::size_t used = parser->put(buffer.data(), pec);
            buffer.consume(used);
            if (pec == http::error::need_more) break;
            if (pec) {
                map_parse_error(r, pec);
                co_return r;
            }
            if (used == 0) break;
        }
        if (parser->is_done()) {
            int status = static_cast<int>(parser->get().result_int());
            if (status >= 100 && status < 200 && status != 101) {  // interim response: read the real one
                start_parser(parser, head, limits);
                continue;
            }
            break;
        }

        auto [rec, n] = co_await stream.read_some(buffer.prepare(read_chunk));
        buffer.commit(n);
        r.bytes_received += n;
        if (!rec) continue;

        bool end_of_stream = rec == asio::error::eof || classify_io_error(rec, {}) == errc::connection_closed;
        if (end_of_stream && parser->is_header_done()) {
            // A body delimited by the end of the connection is complete now; anything else is cut short.
            error_code pec;
            parser->put_eof(pec);
            if (!pec && parser->is_done()) {
                ended_by_close = true;
                break;
            }
            fail(r, errc::truncated_body, "connection closed in the middle of the response body");
            co_return r;
        }
        if (end_of_stream) {
            fail(r, errc::connection_closed,
                 r.response_started() ? "connection closed in the middle of the response header"
                                    : "connection closed before any response byte arrived");
            co_return r;
        }
        auto code = classify_io_error(rec, errc::connection_closed);
        if (code == errc::timeout)
            fail(r, code, parser->is_header_done() ? "timed out reading the response body" : "timed out waiting for the response");
        else
            fail(r, code, "reading the response failed: " + rec.message());
        co_return r;
    }

    auto& msg = parser->get();
    r.status = static_cast<int>(msg.result_int());
    for (const auto& f : msg) r.headers.add(std::string(f.name_string()), std::string(f.value()));
    // Bytes after a complete response that nobody asked for mean the connection is out of step;
    // with requests written ahead they are the start of the next answer.
    r.reusable = !ended_by_close && msg.keep_alive() && (more_expected || buffer.size() == 0);
    r.body = parser->release().body();
    co_return r;
}

}  // namespace netbox::detail
