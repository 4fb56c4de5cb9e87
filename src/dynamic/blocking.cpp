// The blocking twin: each call spawns the asynchronous one on the private io_context and runs
// that io_context on the caller's thread until it completes.
#include <netbox/dynamic/blocking.hpp>

#include "dynamic/state.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>

namespace netbox {

namespace asio = boost::asio;
namespace json = boost::json;

namespace detail {

class blocking_runner {
public:
    asio::io_context io{1};

    void run(asio::awaitable<void> op)
    {
        bool done = false;
        std::exception_ptr failure;
        asio::co_spawn(io, std::move(op), [&](std::exception_ptr e) {
            failure = e;
            done = true;
        });
        io.restart();
        // run() returns when the operation and everything it started (a scan's prefetches that
        // were cancelled, ...) are finished; a stopped io_context leaves `done` false.
        while (!done && !io.stopped())
            io.run_one();
        if (failure)
            std::rethrow_exception(failure);
        if (!done)
            throw api_error(make_error(errc::cancelled, "the blocking api's io_context was stopped"));
    }

    template <class T>
    T value(asio::awaitable<result<T>> op)
    {
        std::optional<result<T>> out;
        run(store(std::move(op), out));
        return std::move(*out).value();
    }

    void value(asio::awaitable<result<void>> op)
    {
        std::optional<result<void>> out;
        run(store(std::move(op), out));
        out->value();
    }

private:
    template <class T>
    static asio::awaitable<void> store(asio::awaitable<T> op, std::optional<T>& out)
    {
        out.emplace(co_await std::move(op));
    }
};

}  // namespace detail

namespace {

std::shared_ptr<detail::blocking_runner> runner_of(const std::shared_ptr<const detail::api_scope>& scope)
{
    return scope->runner;
}

}  // namespace

// --- blocking_record_set --------------------------------------------------------------------------------

struct blocking_record_set::iterator::state {
    record_stream stream;
    std::shared_ptr<detail::blocking_runner> runner;
};

blocking_record_set::blocking_record_set(record_set set, std::shared_ptr<detail::blocking_runner> runner)
    : set_(std::move(set)), runner_(std::move(runner))
{
}

blocking_record_set::iterator& blocking_record_set::iterator::operator++()
{
    current_ = state_->runner->value(state_->stream.try_next());
    if (!current_)
        state_.reset();
    return *this;
}

blocking_record_set::iterator blocking_record_set::begin() const
{
    iterator it;
    it.state_ = std::make_shared<iterator::state>(iterator::state{set_.stream(), runner_});
    ++it;
    return it;
}

std::vector<record> blocking_record_set::collect() const { return runner_->value(set_.try_collect()); }
std::size_t blocking_record_set::count() const { return runner_->value(set_.try_count()); }

bulk_result blocking_record_set::update(json::object fields, write_options options) const
{
    return runner_->value(set_.try_update(std::move(fields), std::move(options)));
}

bulk_result blocking_record_set::delete_(write_options options) const
{
    return runner_->value(set_.try_delete(std::move(options)));
}

// --- blocking_endpoint ----------------------------------------------------------------------------------

blocking_endpoint::blocking_endpoint(netbox::endpoint e, std::shared_ptr<detail::blocking_runner> runner)
    : endpoint_(std::move(e)), runner_(std::move(runner))
{
}

blocking_record_set blocking_endpoint::all(list_options options) const
{
    return {endpoint_.all(std::move(options)), runner_};
}

blocking_record_set blocking_endpoint::filter(filters query, list_options options) const
{
    return {endpoint_.filter(std::move(query), std::move(options)), runner_};
}

std::optional<record> blocking_endpoint::get(std::int64_t id, list_options options) const
{
    return runner_->value(endpoint_.try_get(id, std::move(options)));
}

std::optional<record> blocking_endpoint::get(filters query, list_options options) const
{
    return runner_->value(endpoint_.try_get(std::move(query), std::move(options)));
}

std::size_t blocking_endpoint::count(filters query, list_options options) const
{
    return runner_->value(endpoint_.try_count(std::move(query), std::move(options)));
}

record blocking_endpoint::create(json::object object, request_options options) const
{
    return runner_->value(endpoint_.try_create(std::move(object), std::move(options)));
}

record blocking_endpoint::create(json::object fields, std::vector<file_part> files, request_options options) const
{
    return runner_->value(endpoint_.try_create(std::move(fields), std::move(files), std::move(options)));
}

bulk_result blocking_endpoint::create(json::array objects, write_options options) const
{
    return runner_->value(endpoint_.try_create(std::move(objects), std::move(options)));
}

bulk_result blocking_endpoint::update(std::vector<record> records, write_options options) const
{
    return runner_->value(endpoint_.try_update(std::move(records), std::move(options)));
}

bulk_result blocking_endpoint::update(json::array objects, write_options options) const
{
    return runner_->value(endpoint_.try_update(std::move(objects), std::move(options)));
}

bulk_result blocking_endpoint::delete_(std::vector<std::int64_t> ids, write_options options) const
{
    return runner_->value(endpoint_.try_delete(std::move(ids), std::move(options)));
}

bulk_result blocking_endpoint::delete_(const std::vector<record>& records, write_options options) const
{
    return runner_->value(endpoint_.try_delete(records, std::move(options)));
}

bulk_result blocking_endpoint::delete_(const blocking_record_set& set, write_options options) const
{
    return runner_->value(endpoint_.try_delete(set.async_set(), std::move(options)));
}

choice_map blocking_endpoint::choices() const { return runner_->value(endpoint_.try_choices()); }

// --- blocking_app ---------------------------------------------------------------------------------------

blocking_app::blocking_app(std::shared_ptr<const detail::api_scope> scope, std::string path)
    : app_(scope, std::move(path)), runner_(runner_of(scope))
{
}

blocking_endpoint blocking_app::endpoint(std::string_view url_name) const { return {app_.endpoint(url_name), runner_}; }

json::value blocking_app::config() const { return runner_->value(app_.try_config()); }

// --- blocking_api ---------------------------------------------------------------------------------------

blocking_api::blocking_api(std::string base_url, std::string token, api_options options)
    : blocking_api(detail::client_options_for(std::move(base_url), std::move(token)), std::move(options))
{
}

blocking_api::blocking_api(client_options client, api_options options)
    : blocking_api(std::make_shared<detail::blocking_runner>(), std::move(client), std::move(options))
{
}

blocking_api::blocking_api(std::shared_ptr<detail::blocking_runner> runner, client_options client,
                           api_options options)
    : blocking_api(runner, detail::make_scope(netbox::client(runner->io.get_executor(), std::move(client)), std::move(options), runner))
{
}

blocking_api::blocking_api(std::shared_ptr<detail::blocking_runner> runner,
                           std::shared_ptr<const detail::api_scope> scope)
    : runner_(std::move(runner)),
      scope_(std::move(scope)),
      circuits(scope_),
      core(scope_),
      dcim(scope_),
      extras(scope_),
      ipam(scope_),
      tenancy(scope_),
      users(scope_),
      virtualization(scope_),
      vpn(scope_),
      wireless(scope_)
{
}

blocking_api::~blocking_api() = default;

blocking_app blocking_api::app(std::string_view name) const { return {scope_, std::string(name)}; }

blocking_app blocking_api::plugin(std::string_view name) const { return {scope_, "plugins/" + std::string(name)}; }

json::value blocking_api::installed_plugins() const
{
    return runner_->value(plugins_app(scope_).try_installed_plugins());
}

blocking_api blocking_api::branch(std::string schema_id) const
{
    // The async api validates the schema id; its branch scope keeps this runner.
    return blocking_api(runner_, async_api().branch(std::move(schema_id)).scope_);
}

bool blocking_api::save(record& r, request_options options) const
{
    return runner_->value(r.try_save(std::move(options)));
}

void blocking_api::delete_(const record& r, request_options options) const
{
    runner_->value(r.try_delete(std::move(options)));
}

record blocking_api::full_details(const record& r, bool refresh) const
{
    return runner_->value(r.try_full_details(refresh));
}

json::value blocking_api::status() const { return runner_->value(scope_->state->http.try_status()); }
std::string blocking_api::version() const { return runner_->value(scope_->state->http.try_version()); }
json::value blocking_api::openapi() const { return runner_->value(scope_->state->http.try_openapi()); }

token_grant blocking_api::create_token(std::string username, std::string password, token_request options) const
{
    return runner_->value(
        scope_->state->http.try_create_token(std::move(username), std::move(password), std::move(options)));
}

netbox::api blocking_api::async_api() const { return netbox::api(scope_); }

void blocking_api::run_erased(asio::awaitable<void> op) const { runner_->run(std::move(op)); }

}  // namespace netbox
