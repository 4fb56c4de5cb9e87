// netbox-cpp tests: one blocking HTTP/1.1 exchange with a server on 127.0.0.1, sending exactly the
// method, target, header fields and body given (for tests that need a request no client would
// send). This header includes no Asio or Beast.
//
//     const netbox::test::http_reply r = netbox::test::http_exchange(port, {"GET", "/api/", {{"Accept", "application/json"}}});
//     EXPECT_EQ(r.status, 200);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netbox::test {

struct http_call {
    std::string method;  ///< "GET", "POST", ...
    std::string target;  ///< path and query, sent as they are
    std::vector<std::pair<std::string, std::string>> headers;  ///< Host is added; Content-Length too when there is a body
    std::string body;
};

struct http_reply {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    /// The first value of header `name` (case-insensitive), or null.
    const std::string* header(std::string_view name) const;
};

/// Sends `call` on a fresh connection to 127.0.0.1:`port` and reads the answer (no body for HEAD).
/// Throws boost::system::system_error when the connection fails or the answer is not HTTP.
http_reply http_exchange(std::uint16_t port, const http_call& call);

}  // namespace netbox::test
