// netbox-cpp tests: an in-process HTTP/1.1 server (plain or TLS) on 127.0.0.1:0 with fault injection.
//
// The server runs on its own thread with its own io_context, so a test may block, or run the client on
// any io_context it likes. The handler is called on the server thread, once per request, after the
// whole request body has been read. This header includes no Asio or Beast.
//
//     netbox::test::test_server server([](const received_request& r) {
//         return json_reply(200, R"({"results":[]})");
//     });
//     ... client on server.url() ...
//     EXPECT_EQ(server.requests().at(0).target, "/api/status/");
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netbox::test {

using header_fields = std::vector<std::pair<std::string, std::string>>;

struct received_request {
    std::string method;    ///< "GET", "POST", ...
    std::string target;    ///< as sent: path and query
    std::string body;
    header_fields headers; ///< in order received
    std::size_t connection_index = 0;  ///< 0 for the first connection accepted, 1 for the next, ...

    /// The first value of header `name` (case-insensitive), or "" when absent.
    std::string header(std::string_view name) const;
    bool has_header(std::string_view name) const;
};

/// What goes wrong instead of a normal answer (after reply::delay).
enum class fault {
    none,
    close_before_response,  ///< close the connection without answering
    hang_before_response,   ///< never answer; the connection stays open until stop()
    truncate_body,          ///< headers with the full Content-Length, half the body, then close
    hang_mid_body,          ///< like truncate_body, but keep the connection open until stop()
    reset,                  ///< close with SO_LINGER 0 (TCP RST) without answering
};

struct reply {
    int status = 200;
    /// Written as given. Content-Length is added from `body` unless the handler set Content-Length or
    /// Transfer-Encoding itself (then `body` is written verbatim, e.g. already chunk-encoded).
    header_fields headers;
    std::string body;
    std::chrono::milliseconds delay{0};  ///< wait this long before answering
    test::fault fault = test::fault::none;

    /// Bytes written verbatim instead of a rendered response (status, headers and body are ignored).
    /// The connection then stays open for the next request, unless `close`,
    /// server_options::connection_close or the request's own Connection: close says otherwise.
    std::optional<std::string> raw;
    bool close = false;  ///< answer with Connection: close and close afterwards
};

/// A reply with Content-Type: application/json, then `extra_headers`.
reply json_reply(int status, std::string body, header_fields extra_headers = {});

using handler = std::function<reply(const received_request&)>;

struct server_options {
    bool tls = false;
    bool wrong_host_cert = false;      ///< present the "wrong.example" certificate (with tls)
    bool require_client_cert = false;  ///< mutual TLS: the client must present a certificate of the test CA
    bool connection_close = false;     ///< every response carries Connection: close (like gunicorn)
    /// Close a connection that has been waiting this long for its next request, without a word
    /// (no response, no TLS close_notify). Zero: never.
    std::chrono::milliseconds close_idle_after{0};
    /// Accept TCP connections and never read from them (no TLS handshake, no HTTP): connect-timeout tests.
    bool hang_tls_handshake = false;
};

class test_server {
public:
    /// Listens on 127.0.0.1 on a free port and starts serving at once.
    explicit test_server(handler h, server_options options = {});
    /// Calls stop(). Never blocks on a client.
    ~test_server();

    test_server(const test_server&) = delete;
    test_server& operator=(const test_server&) = delete;

    std::uint16_t port() const;
    /// "http://127.0.0.1:PORT" or "https://127.0.0.1:PORT".
    std::string url() const;

    /// Every request read so far, in arrival order. Safe to call while the server runs.
    std::vector<received_request> requests() const;
    std::size_t connections_accepted() const;

    /// Stops serving and closes every connection and the listening socket (ending any hang_* fault),
    /// then joins the server thread. Idempotent. requests() stays available afterwards.
    void stop();

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace netbox::test
