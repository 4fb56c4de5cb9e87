// The simulated NetBox site over HTTP, minus the sockets: what Django's middleware, DRF's
// authentication and NetBox's own views do around the REST engine. It answers /api/ (root, status,
// schema, app roots, token provisioning; every resource path through the engine), /graphql/, the
// missing-slash redirect and 404s, with NetBox's headers and error texts for the chosen release
// line. Not thread-safe: the server calls it from its one thread.
#pragma once

#include "sim/engine.hpp"
#include "sim/http_message.hpp"
#include "sim/tokens.hpp"

#include <netbox/testing/simulator.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netbox::sim {

/// A request target taken apart and percent-decoded.
struct target {
    std::string path;
    std::string raw_query;  ///< as sent, without '?'
    std::vector<std::pair<std::string, std::string>> query;
};

/// Splits `path?query` and decodes both ('+' is a space in the query), leniently as Django does:
/// a '%' not followed by two hex digits is kept as it is.
target parse_target(std::string_view text);

class gateway {
public:
    /// Builds the data set. `default_base_url` stands in for a request without a Host header.
    /// Throws std::runtime_error for a release line that is not compiled in, or a schema file
    /// that cannot be read.
    gateway(const testing::simulator_options& options, std::string default_base_url);

    http_answer answer(const http_request& request);
    /// The answer of fault injection: `status` (NetBox's 500 body, or a proxy's `detail`) with
    /// `Retry-After` when `retry_after_seconds` > 0. The engine never sees the request.
    http_answer injected(const http_request& request, int status, int retry_after_seconds);

private:
    struct route;

    http_answer api(const http_request& request, const target& t);
    http_answer authorized(const http_request& request, const target& t, const route& r);
    http_answer own_view(const http_request& request, const route& r, const std::string& base_url);
    http_answer provision(const http_request& request, const std::string& base_url);
    http_answer graphql(const http_request& request, const target& t);
    http_answer from_engine(const http_request& request, const target& t);
    route route_of(std::string_view path) const;
    std::string base_url(const http_request& request) const;
    /// Adds the headers every answer carries (API-Version on /api/ paths only).
    http_answer finish(const target& t, http_answer a);
    std::string request_id();

    testing::simulator_options options_;
    const model::api& api_;
    std::string default_base_url_;
    std::string schema_;
    engine engine_;
    token_store tokens_;
    std::mt19937_64 random_;
};

}  // namespace netbox::sim
