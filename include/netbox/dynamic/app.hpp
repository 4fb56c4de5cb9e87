// netbox-cpp: apps of the dynamic facade (`nb.dcim`), the api's options (docs/dynamic.md).
#pragma once

#include <netbox/dynamic/endpoint.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace netbox {

namespace detail {
struct api_scope;
}

struct api_options {
    /// Check filter names against the API model (or, for plugins, the OpenAPI schema) before any
    /// request; a list call's list_options::strict_filters overrides it.
    bool strict_filters = false;
    /// Page size of scans: 0 asks for the server's MAX_PAGE_SIZE, as pynetbox does.
    std::size_t page_size = 0;
    /// Pages in flight of concurrent scans when list_options::concurrency is 0. 1 = sequential.
    std::size_t concurrency = 1;
    /// Pages written ahead on one connection by offset scans when list_options::pipeline_depth
    /// is 0 (docs/dynamic.md#pagination). 0 or 1 = no pipelining.
    std::size_t pipeline_depth = 1;
    /// Objects per request of bulk writes.
    std::size_t batch_size = 1000;
    /// Longest request target (path and query) sent; longer multi-value filters are split into
    /// several requests whose results are merged. Common proxy limits are 4-8 KiB.
    std::size_t max_url_length = 4000;
    /// NetBox release line ("4.5") of the API model to use; empty: learnt from the API-Version
    /// header of the first answer (GET /api/ when a model is needed before any answer).
    std::string version;
    /// Objects full_details() keeps per api (oldest dropped first).
    std::size_t detail_cache_size = 10'000;
};

/// An app (`nb.dcim`): its endpoints as members (generated, dynamic/apps.hpp), any endpoint by URL
/// name, and the app's config.
class app {
public:
    using endpoint_type = netbox::endpoint;

    app(std::shared_ptr<const detail::api_scope> scope, std::string path);

    /// Any endpoint by its URL name, as given: `endpoint("front-ports")`.
    netbox::endpoint endpoint(std::string_view url_name) const;
    /// GET /api/<app>/config/ (users: the user's preferences).
    boost::asio::awaitable<result<boost::json::value>> try_config() const;
    boost::asio::awaitable<boost::json::value> config() const;
    /// "dcim", "plugins/gpon"
    const std::string& path() const noexcept { return path_; }

protected:
    std::shared_ptr<const detail::api_scope> scope_;
    std::string path_;
};

/// `nb.plugins`: apps of plugins by name, and the installed plugins.
class plugins_app {
public:
    explicit plugins_app(std::shared_ptr<const detail::api_scope> scope) : scope_(std::move(scope)) {}

    /// `nb.plugins.app("gpon").endpoint("olts")` → /api/plugins/gpon/olts/
    netbox::app app(std::string_view name) const;
    /// GET /api/plugins/installed-plugins/
    boost::asio::awaitable<result<boost::json::value>> try_installed_plugins() const;
    boost::asio::awaitable<boost::json::value> installed_plugins() const;

private:
    std::shared_ptr<const detail::api_scope> scope_;
};

}  // namespace netbox
