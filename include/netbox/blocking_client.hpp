// netbox-cpp: the blocking client for scripts. It runs the same asynchronous path on the caller's
// thread (no hidden thread). One blocking_client must not be used by two threads at once, nor after
// it was moved from.
#pragma once

#include <netbox/client.hpp>

#include <memory>

namespace netbox {

class blocking_client {
public:
    explicit blocking_client(client_options options);
    ~blocking_client();
    blocking_client(blocking_client&&) noexcept;
    blocking_client& operator=(blocking_client&&) noexcept;

    result<response> try_request(http_method method, std::string path, query_params query = {},
                                 payload body = {}, request_options options = {});
    response request(http_method method, std::string path, query_params query = {}, payload body = {},
                     request_options options = {});

    boost::json::value status();
    std::string version();
    boost::json::value openapi();
    token_grant create_token(std::string username, std::string password, token_request options = {});
    probe_result probe_connection();
    boost::json::value graphql(std::string query, boost::json::object variables = {});

    /// The asynchronous client underneath (bound to this object's private io_context).
    const client& async_client() const noexcept;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace netbox
