// netbox-cpp: the dynamic facade's root object, `nb.dcim.devices.filter(...)` in the style of
// pynetbox (docs/dynamic.md).
#pragma once

#include <netbox/client.hpp>
#include <netbox/dynamic/app.hpp>
#include <netbox/dynamic/apps.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace netbox {

/// The root of the dynamic facade. Cheap to copy: copies share the client, the API model, the
/// memoized choices and the full_details() cache. Thread-safe like the client.
class api {
    std::shared_ptr<const detail::api_scope> scope_;  // first: the apps below are built from it

public:
    /// A client of its own for `base_url` with `token`.
    api(boost::asio::any_io_executor executor, std::string base_url, std::string token, api_options options = api_options());
    /// Over an existing client (its options: TLS, timeouts, retries, pool, hooks).
    explicit api(client c, api_options options = api_options());

    circuits_app circuits;
    core_app core;
    dcim_app dcim;
    extras_app extras;
    ipam_app ipam;
    tenancy_app tenancy;
    users_app users;
    virtualization_app virtualization;
    vpn_app vpn;
    wireless_app wireless;
    plugins_app plugins;

    /// Any app by name ("dcim").
    netbox::app app(std::string_view name) const;

    /// A copy of this api whose requests carry `X-NetBox-Branch: <schema_id>` (netbox-branching).
    /// The scope is the object: two coroutines holding different branch apis never see each other's
    /// branch. Records fetched through it keep it for save() and delete_().
    api branch(std::string schema_id) const;
    /// The branch of this api, "" for main.
    const std::string& active_branch() const noexcept;

    // Pass-throughs to the client.
    boost::asio::awaitable<boost::json::value> status() const;
    boost::asio::awaitable<std::string> version() const;
    boost::asio::awaitable<boost::json::value> openapi() const;
    boost::asio::awaitable<token_grant> create_token(std::string username, std::string password,
                                                     token_request options = token_request()) const;

    const client& http() const noexcept;
    const api_options& options() const noexcept;
    /// Forgets what full_details() fetched.
    void clear_details_cache() const;

private:
    friend class blocking_api;
    explicit api(std::shared_ptr<const detail::api_scope> scope);
};

}  // namespace netbox
