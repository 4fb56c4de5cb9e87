#include "support/http_exchange.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <cctype>
#include <limits>

namespace netbox::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

const std::string* http_reply::header(std::string_view name) const
{
    const auto same = [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    };
    for (const auto& [key, value] : headers)
        if (std::ranges::equal(key, name, same))
            return &value;
    return nullptr;
}

http_reply http_exchange(std::uint16_t port, const http_call& call)
{
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    socket.connect({asio::ip::address_v4::loopback(), port});

    http::request<http::string_body> request(http::string_to_verb(call.method), call.target, 11);
    request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    for (const auto& [name, value] : call.headers)
        request.set(name, value);
    request.body() = call.body;
    request.prepare_payload();
    http::write(socket, request);

    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    parser.skip(call.method == "HEAD");
    http::read(socket, buffer, parser);

    http_reply reply;
    reply.status = static_cast<int>(parser.get().result_int());
    for (const auto& field : parser.get())
        reply.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    reply.body = std::move(parser.get().body());
    return reply;
}

}  // namespace netbox::test
