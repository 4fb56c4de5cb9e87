// netbox-cpp examples: a small in-process stand-in for NetBox, so that every example runs without
// a real server. It is NOT the simulator of netbox::testing; it knows a handful of routes:
//
//   GET  /api/                  API root (links to the apps)
//   GET  /api/status/           NetBox-like status, netbox-version "4.5.10"
//   GET  /api/dcim/devices/     paginated device list ({count, next, previous, results}; limit, offset)
//   GET  /api/dcim/devices/<id>/
//   POST /api/dcim/devices/     validates (device_type, role, site required) and answers 201; stores nothing
//   POST /api/extras/image-attachments/   multipart/form-data upload
//   POST /api/users/tokens/provision/     user "demo", password "demo" -> the demo token (v1)
//   POST /graphql/              {"query": ...} -> {"data": ...}
//   GET  /api/demo/slow/?ms=N   demo only: answers after N milliseconds (for cancellation examples)
//
// Like NetBox it wants `Authorization: Token <demo token>` (Bearer is accepted too), answers 403
// {"detail": ...} without it, and sends API-Version and X-Request-ID on /api/ answers. Connections
// are kept alive. It runs on its own thread, listening on 127.0.0.1 on a free port.
//
// This header is free of Asio and Beast: the examples that include it need no special macros.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace netbox_examples {

class demo_server {
public:
    /// The token the demo server accepts (a v1-style 40-character key).
    static constexpr std::string_view token = "0123456789abcdef0123456789abcdef01234567";

    /// Starts listening and serving at once. Throws std::exception on failure.
    demo_server();
    /// Stops the server thread and closes every connection.
    ~demo_server();
    demo_server(const demo_server&) = delete;
    demo_server& operator=(const demo_server&) = delete;

    /// "http://127.0.0.1:<port>"
    std::string base_url() const;
    unsigned short port() const;
    /// Number of HTTP requests answered so far.
    std::size_t requests_served() const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

/// Where an example sends its requests: a real NetBox when both NETBOX_URL and NETBOX_TOKEN are set
/// in the environment, otherwise a demo_server started by choose_target().
struct target {
    std::string base_url;
    std::string token;
    bool real = false;                    ///< true: NETBOX_URL/NETBOX_TOKEN
    std::unique_ptr<demo_server> server;  ///< set when real == false
};

target choose_target();

}  // namespace netbox_examples
