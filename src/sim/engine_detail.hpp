// Endpoints under a detail path: available IPs, prefixes, VLANs and ASNs (GET lists, POST
// allocates), rack elevations (JSON units and SVG), cable traces and pass-through port paths.
#pragma once

#include "engine_render.hpp"
#include "engine_store.hpp"
#include "engine_write.hpp"
#include "engine_query.hpp"

#include <string_view>

namespace netbox::sim::detail {

struct detail_request {
    std::string_view method;     ///< "GET" or "POST"
    std::string_view name;       ///< "available-ips"
    std::int64_t id = 0;         ///< of the parent record
    const query_parameters* query = nullptr;
    const json::value* body = nullptr;  ///< POST only
    std::string_view url;        ///< absolute URL of the endpoint, for page links
    std::size_t default_page_size = 50;
    std::size_t max_page_size = 1000;
};

struct detail_answer {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::size_t objects = 0;
};

class detail_endpoints {
public:
    detail_endpoints(store& s, renderer& r, writer& w) : store_(s), render_(r), write_(w) {}

    /// False when `t` has no implementation of `request.name` (the caller answers generically).
    bool handle(table& t, const detail_request& request, detail_answer& answer);

private:
    void available_ips(table& t, const record& parent, const detail_request& request, detail_answer& answer);
    void available_prefixes(table& t, const record& parent, const detail_request& request, detail_answer& answer);
    void available_vlans(table& t, const record& parent, const detail_request& request, detail_answer& answer);
    void available_asns(table& t, const record& parent, const detail_request& request, detail_answer& answer);
    void elevation(table& t, const record& rack, const detail_request& request, detail_answer& answer);
    void trace(table& t, const record& origin, detail_answer& answer);
    void paths(table& t, const record& origin, detail_answer& answer);

    store& store_;
    renderer& render_;
    writer& write_;
};

}  // namespace netbox::sim::detail
