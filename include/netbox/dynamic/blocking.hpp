// netbox-cpp: the blocking twin of the dynamic facade, for scripts. Every call runs the same
// asynchronous path on the caller's thread, on the blocking_api's private io_context (no hidden
// thread). One blocking_api, and what it returns, must not be used by two threads at once.
#pragma once

#include <netbox/dynamic/api.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netbox {

namespace detail {
class blocking_runner;
}

/// A record set whose calls block. Iterating it streams the records page by page:
/// `for (const netbox::record& d : nb.dcim.devices.filter({{"site", "lon"}})) ...`.
class blocking_record_set {
public:
    blocking_record_set(record_set set, std::shared_ptr<detail::blocking_runner> runner);

    class iterator {
    public:
        using iterator_category = std::input_iterator_tag;
        using value_type = record;
        using difference_type = std::ptrdiff_t;
        using pointer = const record*;
        using reference = const record&;

        iterator() = default;
        reference operator*() const { return *current_; }
        pointer operator->() const { return &*current_; }
        iterator& operator++();
        void operator++(int) { ++*this; }
        friend bool operator==(const iterator& a, const iterator& b) noexcept { return a.at_end() == b.at_end(); }

    private:
        friend class blocking_record_set;
        struct state;
        bool at_end() const noexcept { return !current_; }
        std::shared_ptr<state> state_;
        std::optional<record> current_;
    };

    /// Starts a scan; a failure of any page throws api_error from begin() or ++.
    iterator begin() const;
    iterator end() const { return {}; }

    std::vector<record> collect() const;
    std::size_t count() const;
    bulk_result update(boost::json::object fields, write_options options = {}) const;
    bulk_result delete_(write_options options = {}) const;
    const record_set& async_set() const noexcept { return set_; }

private:
    record_set set_;
    std::shared_ptr<detail::blocking_runner> runner_;
};

/// endpoint's calls, blocking.
class blocking_endpoint {
public:
    blocking_endpoint(netbox::endpoint e, std::shared_ptr<detail::blocking_runner> runner);

    blocking_record_set all(list_options options = {}) const;
    blocking_record_set filter(filters query, list_options options = {}) const;
    std::optional<record> get(std::int64_t id, list_options options = {}) const;
    std::optional<record> get(filters query, list_options options = {}) const;
    std::size_t count(filters query = {}, list_options options = {}) const;
    record create(boost::json::object object, request_options options = {}) const;
    record create(boost::json::object fields, std::vector<file_part> files, request_options options = {}) const;
    bulk_result create(boost::json::array objects, write_options options = {}) const;
    bulk_result update(std::vector<record> records, write_options options = {}) const;
    bulk_result update(boost::json::array objects, write_options options = {}) const;
    bulk_result delete_(std::vector<std::int64_t> ids, write_options options = {}) const;
    bulk_result delete_(const std::vector<record>& records, write_options options = {}) const;
    bulk_result delete_(const blocking_record_set& set, write_options options = {}) const;
    choice_map choices() const;
    const netbox::endpoint& async_endpoint() const noexcept { return endpoint_; }

private:
    netbox::endpoint endpoint_;
    std::shared_ptr<detail::blocking_runner> runner_;
};

/// The base of the blocking twin's apps (`nb.dcim` of a blocking_api).
class blocking_app {
public:
    using endpoint_type = blocking_endpoint;

    blocking_app(std::shared_ptr<const detail::api_scope> scope, std::string path);
    blocking_endpoint endpoint(std::string_view url_name) const;
    boost::json::value config() const;
    const std::string& path() const noexcept { return app_.path(); }

private:
    netbox::app app_;
    std::shared_ptr<detail::blocking_runner> runner_;
};

/// The dynamic facade for scripts: `netbox::blocking_api nb(url, token); nb.dcim.devices.all()`.
class blocking_api {
    std::shared_ptr<detail::blocking_runner> runner_;  // first: the apps below use it
    std::shared_ptr<const detail::api_scope> scope_;

public:
    blocking_api(std::string base_url, std::string token, api_options options = {});
    /// Client options of its own (TLS, timeouts, retries, pool, hooks).
    explicit blocking_api(client_options client, api_options options = {});
    ~blocking_api();
    blocking_api(blocking_api&&) noexcept = default;

    basic_circuits_app<blocking_app> circuits;
    basic_core_app<blocking_app> core;
    basic_dcim_app<blocking_app> dcim;
    basic_extras_app<blocking_app> extras;
    basic_ipam_app<blocking_app> ipam;
    basic_tenancy_app<blocking_app> tenancy;
    basic_users_app<blocking_app> users;
    basic_virtualization_app<blocking_app> virtualization;
    basic_vpn_app<blocking_app> vpn;
    basic_wireless_app<blocking_app> wireless;

    blocking_app app(std::string_view name) const;
    /// `plugin("gpon").endpoint("olts")`
    blocking_app plugin(std::string_view name) const;
    boost::json::value installed_plugins() const;
    /// A blocking api on the same io_context and state whose requests carry X-NetBox-Branch.
    blocking_api branch(std::string schema_id) const;

    // Records' own calls.
    bool save(record& r, request_options options = {}) const;
    void delete_(const record& r, request_options options = {}) const;
    record full_details(const record& r, bool refresh = false) const;

    boost::json::value status() const;
    std::string version() const;
    boost::json::value openapi() const;
    token_grant create_token(std::string username, std::string password, token_request options = {}) const;

    /// Runs any call of the asynchronous facade to completion (detail endpoints, trace(), ...):
    /// `nb.run(prefix.available_ips().create())`.
    template <class T>
    T run(boost::asio::awaitable<T> op) const {
        std::optional<T> out;
        run_erased(store(std::move(op), out));
        return std::move(*out);
    }
    void run(boost::asio::awaitable<void> op) const { run_erased(std::move(op)); }

    /// The asynchronous api underneath (bound to this object's io_context).
    netbox::api async_api() const;

private:
    blocking_api(std::shared_ptr<detail::blocking_runner> runner, client_options client, api_options options);
    blocking_api(std::shared_ptr<detail::blocking_runner> runner, std::shared_ptr<const detail::api_scope> scope);
    template <class T>
    static boost::asio::awaitable<void> store(boost::asio::awaitable<T> op, std::optional<T>& out) {
        out.emplace(co_await std::move(op));
    }
    void run_erased(boost::asio::awaitable<void> op) const;
};

}  // namespace netbox
