// A small GraphQL evaluator for the simulator's /graphql/: one query operation made of fields with
// aliases, arguments, variables and nested selections, which covers what NetBox clients send:
//
//     query { device_list(filters: {status: {exact: STATUS_ACTIVE}}, pagination: {limit: 3}) {
//               id name status site { name region { name } } interfaces { name } } }
//     query ($id: ID!) { device(id: $id) { name } }
//
// Root fields `<type>` and `<type>_list` name a resource of the API model (`ip_address_list` →
// /api/ipam/ip-addresses/). Objects are read through the REST API, so data, filters and ordering
// are the REST engine's: a field is a key of the REST object, a related object is fetched when the
// selection asks for more than its nested form holds, and a list field that the REST object lacks
// is a reverse relation (`interfaces` of a device: /api/dcim/interfaces/?device_id=N). Fragments,
// directives, mutations and subscriptions are answered with an error.
#pragma once

#include <netbox/model/api_model.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netbox::sim::graphql {

using query_params = std::vector<std::pair<std::string, std::string>>;

/// GETs `path` with `query` from the REST API: the JSON of a 200 answer, or nullopt.
using fetch_function = std::function<std::optional<boost::json::value>(const std::string& path, const query_params& query)>;

struct schema {
    const model::api& api;
    fetch_function fetch;
    /// NetBox before 4.5 filters a choice field by a bare enum (`status: STATUS_ACTIVE`) and
    /// refuses the lookup form (`status: {exact: STATUS_ACTIVE}`); later versions take both here.
    bool bare_enum_filters = false;
};

/// Runs `query` and returns the response document: {"data": {...}}, or, when anything failed,
/// {"data": null, "errors": [{"message", "locations", ...}]}, as strawberry answers with HTTP 200.
boost::json::object execute(const schema& s, std::string_view query, const boost::json::object& variables);

}  // namespace netbox::sim::graphql
