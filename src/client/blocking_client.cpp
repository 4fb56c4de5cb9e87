#include <netbox/blocking_client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <optional>

namespace netbox {
namespace asio = boost::asio;
namespace json = boost::json;

struct blocking_client::impl {
    explicit impl(client_options o) : c(io.get_executor(), std::move(o)) {}

    // Runs one operation to completion on the calling thread.
    template <class T>
    T run(asio::awaitable<T> op) {
        std::optional<T> out;
        std::exception_ptr failure;
        asio::co_spawn(io, std::move(op), [&](std::exception_ptr e, T v) {
            failure = e;
            if (!e) out.emplace(std::move(v));
        });
        io.restart();
        io.run();
        if (failure) std::rethrow_exception(failure);
        if (!out) {  // someone stopped the io_context through async_client().get_executor()
            throw api_error(make_error(errc::cancelled,
                                       "the operation did not complete: the blocking client's io_context was stopped"));
        }
        return std::move(*out);
    }

    asio::io_context io{1};
    client c;
};

blocking_client::blocking_client(client_options options) : impl_(std::make_unique<impl>(std::move(options))) {}
blocking_client::~blocking_client() = default;
blocking_client::blocking_client(blocking_client&&) noexcept = default;
blocking_client& blocking_client::operator=(blocking_client&&) noexcept = default;

result<response> blocking_client::try_request(http_method method, std::string path, query_params query, payload body,
                                              request_options options) {
    return impl_->run(impl_->c.try_request(method, std::move(path), std::move(query), std::move(body), std::move(options)));
}

response blocking_client::request(http_method method, std::string path, query_params query, payload body,
                                  request_options options) {
    return try_request(method, std::move(path), std::move(query), std::move(body), std::move(options)).value();
}

json::value blocking_client::status() { return impl_->run(impl_->c.try_status()).value(); }
std::string blocking_client::version() { return impl_->run(impl_->c.try_version()).value(); }
json::value blocking_client::openapi() { return impl_->run(impl_->c.try_openapi()).value(); }
token_grant blocking_client::create_token(std::string username, std::string password, token_request options) {
    return impl_->run(impl_->c.try_create_token(std::move(username), std::move(password), std::move(options))).value();
}
probe_result blocking_client::probe_connection() { return impl_->run(impl_->c.probe_connection()); }
json::value blocking_client::graphql(std::string query, json::object variables) {
    return impl_->run(impl_->c.try_graphql(std::move(query), std::move(variables))).value();
}

const client& blocking_client::async_client() const noexcept { return impl_->c; }

}  // namespace netbox
