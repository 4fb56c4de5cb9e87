// netbox-cpp: operation_info, one operation of a NetBox release line's schema, as the generated
// table `netbox::v4_5::operations()` lists them (every operationId, sorted).
#pragma once

#include <netbox/types/codec.hpp>

#include <boost/json/fwd.hpp>

#include <string_view>

namespace netbox {

struct operation_info {
    std::string_view operation_id;  ///< "dcim_devices_list"
    std::string_view method;        ///< "GET"
    std::string_view path;          ///< "/api/dcim/devices/"
    std::string_view app;           ///< "dcim"; "root" for /api/status/, /api/schema/, …
    /// The endpoint traits that cover it: "devices", or "prefixes.available_ips" for an action.
    std::string_view endpoint;
    /// What it is in those traits: "list", "list_response" (not paginated), "retrieve", "create",
    /// "update", "patch", "destroy", "bulk_update", "bulk_patch", "bulk_destroy"; for actions the
    /// method ("get", "post").
    std::string_view role;
    /// Decodes a 2xx answer into the operation's response type and drops it (throws
    /// codec::decode_error, with the JSON pointer, when it does not fit): a paginated list as
    /// `netbox::page<item>`, a list answer as a vector, a create that also takes a list either
    /// form. Null when the operation answers no body (204).
    void (*decode_response)(const boost::json::value&, codec::decoder&) = nullptr;
};

}  // namespace netbox
