// The simulator's connections: TCP_NODELAY on every accepted socket, and pipelined requests (several
// written before any answer is read) answered in order on one connection.
#include "component/component_support.hpp"

#include <netbox/testing/simulator.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/parse.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <filesystem>
#include <optional>

namespace netbox::component {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
namespace sim = netbox::testing;
using tcp = asio::ip::tcp;

const std::string v1_token = "0123456789abcdef0123456789abcdef01234567";  // the default token

sim::simulator_options small() {
    sim::simulator_options o;
    o.devices = 12;
    return o;
}

std::string get(std::string_view target) {
    return "GET " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token " + v1_token +
           "\r\n\r\n";
}

/// TCP_NODELAY of the socket of this process whose local port is `local` and whose peer's port is
/// `peer`: the simulator runs in this process, so the server's end of a connection is here too.
std::optional<bool> no_delay_of(std::uint16_t local, std::uint16_t peer) {
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
        const int fd = std::atoi(entry.path().filename().c_str());
        sockaddr_in here{}, there{};
        socklen_t here_size = sizeof here, there_size = sizeof there;
        if (::getsockname(fd, reinterpret_cast<sockaddr*>(&here), &here_size) != 0 || here.sin_family != AF_INET)
            continue;
        if (::getpeername(fd, reinterpret_cast<sockaddr*>(&there), &there_size) != 0) continue;
        if (ntohs(here.sin_port) != local || ntohs(there.sin_port) != peer) continue;
        int on = 0;
        socklen_t size = sizeof on;
        if (::getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, &size) != 0) return std::nullopt;
        return on != 0;
    }
    return std::nullopt;
}

TEST(simulator_connections, accepted_sockets_send_without_nagles_algorithm) {
    sim::simulator server(small());
    asio::io_context io;
    tcp::socket socket(io);
    socket.connect({asio::ip::address_v4::loopback(), server.port()});
    // One answer: the connection has been accepted and set up.
    asio::write(socket, asio::buffer(get("/api/status/")));
    beast::flat_buffer buffer;
    http::response<http::string_body> answer;
    http::read(socket, buffer, answer);
    ASSERT_EQ(answer.result_int(), 200u);

    const std::uint16_t client_port = socket.local_endpoint().port();
    EXPECT_EQ(no_delay_of(server.port(), client_port), std::optional<bool>(true));
    // The probe tells the two apart: this end was left as the system made it.
    EXPECT_EQ(no_delay_of(client_port, server.port()), std::optional<bool>(false));
}

TEST(simulator_connections, pipelined_requests_are_answered_in_order_on_one_connection) {
    sim::simulator server(small());
    asio::io_context io;
    tcp::socket socket(io);
    socket.connect({asio::ip::address_v4::loopback(), server.port()});
    std::string requests;
    for (int offset : {0, 1, 2, 3})
        requests += get("/api/dcim/devices/?limit=1&offset=" + std::to_string(offset) + "&ordering=id");
    asio::write(socket, asio::buffer(requests));  // all four before reading anything

    beast::flat_buffer buffer;
    for (std::int64_t expected_id = 1; expected_id <= 4; ++expected_id) {
        http::response<http::string_body> answer;
        http::read(socket, buffer, answer);
        ASSERT_EQ(answer.result_int(), 200u) << answer.body();
        EXPECT_TRUE(answer.keep_alive());
        const json::value page = json::parse(answer.body());
        EXPECT_EQ(page.at("results").at(0).at("id").to_number<std::int64_t>(), expected_id);
    }
    const auto log = server.requests();
    ASSERT_EQ(log.size(), 4u);
    for (std::size_t i = 0; i < log.size(); ++i) {
        EXPECT_EQ(log[i].connection, 0u);
        EXPECT_NE(log[i].query.find("offset=" + std::to_string(i)), std::string::npos) << log[i].query;
    }
}

}  // namespace
}  // namespace netbox::component
