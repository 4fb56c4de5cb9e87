// netbox-cpp: the typed client, pinned to one NetBox release line (docs/typed.md):
//     netbox::typed_api<netbox::v4_5::version> nb(executor, url, token);
//     auto page = co_await nb.dcim.devices.list({.site = {"ber-dc1"}, .limit = 50});
#pragma once

#include <netbox/client.hpp>
#include <netbox/typed/endpoint.hpp>
#include <netbox/typed/options.hpp>
#include <netbox/typed/runtime.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <string>
#include <utility>

namespace netbox {

/// The typed client of the release line `Version` (netbox::v4_5::version): the apps and their
/// endpoints as members (`nb.dcim.devices`). Cheap to copy; thread-safe like the client.
template <class Version>
class typed_api : public Version::template apps<typed::endpoint> {
    using apps_base = typename Version::template apps<typed::endpoint>;

public:
    using version = Version;

    /// A client of its own for `base_url` with `token`.
    typed_api(boost::asio::any_io_executor executor, std::string base_url, std::string token,
              typed_options options = typed_options(), client_options client = client_options())
        : typed_api(netbox::client(std::move(executor), with_credentials(std::move(client), std::move(base_url),
                                                                         std::move(token))),
                    std::move(options)) {}
    /// Over an existing client.
    explicit typed_api(netbox::client c, typed_options options = typed_options())
        : typed_api(typed_detail::make_state(std::move(c), std::move(options), Version::release_line)) {}

    const client& http() const noexcept { return typed_detail::client_of(*state_); }

private:
    explicit typed_api(typed_detail::state_ptr s) : apps_base(s), state_(std::move(s)) {}

    static client_options with_credentials(client_options o, std::string url, std::string token) {
        o.base_url = std::move(url);
        o.token = std::move(token);
        return o;
    }

    typed_detail::state_ptr state_;
};

}  // namespace netbox
