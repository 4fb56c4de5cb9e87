#include "target.hpp"

#include <cstdlib>

namespace netbox_examples {

target choose_target() {
    target t;
    const char* url = std::getenv("NETBOX_URL");
    const char* token = std::getenv("NETBOX_TOKEN");
    if (url && *url && token && *token) {
        t.base_url = url;
        t.token = token;
        return t;
    }

    netbox::testing::simulator_options options;
    options.version = simulator_version;
    options.devices = simulator_devices;
    t.simulator = std::make_unique<netbox::testing::simulator>(std::move(options));
    t.base_url = t.simulator->url();
    t.token = t.simulator->token();
    return t;
}

}  // namespace netbox_examples
