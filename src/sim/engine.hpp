// The simulator's REST engine: the data of one NetBox release line and the NetBox semantics of
// its resources (render, filter, paginate, write, detail endpoints). No I/O: the server
// (src/sim/server.cpp) parses HTTP, checks auth, injects faults, and calls handle(). Not
// thread-safe: the server calls it from one thread at a time.
#pragma once

#include <netbox/model/api_model.hpp>

#include <boost/json/value.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netbox::sim {

struct request {
    std::string method;  ///< "GET", "POST", ...
    std::string path;    ///< "/api/dcim/devices/12/" (percent-decoded)
    std::vector<std::pair<std::string, std::string>> query;  ///< decoded, in order, keys may repeat
    std::string raw_query;  ///< as sent, for next/previous links
    std::string body;
    std::string content_type;
    std::string base_url;  ///< "http://<Host header>": absolute `url`, `next`, `previous` start with it
};

struct response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  ///< extra headers (Allow, ...)
    std::size_t objects = 0;  ///< objects returned (for per-object latency)
};

struct dataset_options {
    std::size_t devices = 60;
    std::uint64_t seed = 1;
    std::size_t max_page_size = 1000;
    std::size_t default_page_size = 50;
};

/// DRF's Allow header for a model::method_bit mask: the view's methods in DRF's order, HEAD with
/// GET, then OPTIONS ("GET, POST, HEAD, OPTIONS").
std::string allow_header(std::uint8_t methods);
/// True when release line `line` ("4.5") is `major.minor` or later.
bool at_least(std::string_view line, int major, int minor);

class engine {
public:
    engine(const model::api& api, dataset_options options);
    ~engine();

    /// True when `path` is a list, detail or detail-endpoint path of a resource of the model.
    bool handles(std::string_view path) const;
    /// Answers a resource request the way NetBox does (also 400/404/405/409 bodies).
    response handle(const request& r);

    /// The /api/ root document: {"<app>": "<base>/api/<app>/", ...} with plugins and status.
    boost::json::value api_root(const std::string& base_url) const;
    const model::api& api() const;

private:
    struct state;
    std::unique_ptr<state> state_;
};

}  // namespace netbox::sim
