// The same request through each completion model: co_await, use_future, a plain callback, an
// io_context run by several threads, a strand, and the blocking client.
#include "component/component_support.hpp"

#include <netbox/blocking_client.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <atomic>
#include <condition_variable>
#include <set>
#include <thread>

namespace netbox::component {
namespace {

namespace json = boost::json;
using http_client = netbox::client;

class client_async_models : public component_test {};

/// Echoes the request's path in the body.
reply echo_target(const received_request& r) {
    json::object o{{"target", r.target}, {"method", r.method}};
    return json_reply(r.method == "POST" ? 201 : 200, json::serialize(o));
}

std::string target_of(const response& r) { return std::string(r.json().at("target").as_string()); }

/// An io_context run by `n` threads until destroyed.
class thread_pool_io {
public:
    explicit thread_pool_io(int n) : work_(asio::make_work_guard(io)) {
        for (int i = 0; i < n; ++i) threads_.emplace_back([this] { io.run(); });
    }
    ~thread_pool_io() { stop(); }
    void stop() {
        work_.reset();
        io.stop();
        for (auto& t : threads_)
            if (t.joinable()) t.join();
    }
    asio::io_context io;

private:
    asio::executor_work_guard<asio::io_context::executor_type> work_;
    std::vector<std::thread> threads_;
};

template <class T>
T get_within(std::future<T>& f, std::chrono::seconds limit = step_limit) {
    if (f.wait_for(limit) != std::future_status::ready) throw std::runtime_error("no completion in time");
    return f.get();
}

asio::awaitable<std::string> get_then_post(http_client c) {
    // (Named arguments: GCC 12 rejects string literals and braced lists inside co_await.)
    const std::string path = "/api/dcim/sites/";
    payload body = json::value{{"name", "a"}};
    query_params none;
    response r = co_await c.request(http_method::get, path);
    response p = co_await c.request(http_method::post, path, std::move(none), std::move(body));
    co_return target_of(r) + "|" + std::to_string(p.status);
}

TEST_F(client_async_models, co_await_in_a_coroutine) {
    test_server server(echo_target);
    http_client c(io.get_executor(), options_for(server.url()));
    auto body = run(get_then_post(c));
    EXPECT_EQ(body, "/api/dcim/sites/|201");
}

TEST_F(client_async_models, use_future) {
    test_server server(echo_target);
    thread_pool_io pool(1);
    http_client c(pool.io.get_executor(), options_for(server.url()));
    auto f = c.async_request(http_method::get, "/api/ipam/prefixes/", {{"limit", "1"}}, {}, {}, asio::use_future);
    auto r = get_within(f);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(target_of(r), "/api/ipam/prefixes/?limit=1");

    // Failures arrive as the future's exception.
    auto bad = c.async_request(http_method::get, "/api/?x", {}, {}, {}, asio::use_future);
    EXPECT_THROW(get_within(bad), api_error);
}

TEST_F(client_async_models, plain_callback) {
    test_server server(echo_target);
    http_client c(io.get_executor(), options_for(server.url()));
    bool called = false;
    std::exception_ptr failure;
    response got;
    c.async_request(http_method::get, "/api/dcim/racks/", {}, {}, {}, [&](std::exception_ptr e, response r) {
        called = true;
        failure = e;
        got = std::move(r);
    });
    drive_until(io, [&] { return called; });
    EXPECT_FALSE(failure);
    EXPECT_EQ(got.status, 200);
    EXPECT_EQ(target_of(got), "/api/dcim/racks/");

    called = false;
    c.async_request(http_method::get, "no-slash", {}, {}, {}, [&](std::exception_ptr e, response) {
        called = true;
        failure = e;
    });
    drive_until(io, [&] { return called; });
    ASSERT_TRUE(failure);
    try {
        std::rethrow_exception(failure);
    } catch (const api_error& e) {
        EXPECT_EQ(e.code(), make_error_code(errc::invalid_argument));
    }
}

TEST_F(client_async_models, many_concurrent_requests_on_four_threads) {
    test_server server(echo_target);
    thread_pool_io pool(4);
    auto o = options_for(server.url());
    o.pool.max_connections = 3;
    std::atomic<int> events{0};
    o.observer = [&](const request_event& e) {
        if (e.what == request_event::kind::request) ++events;
    };
    http_client c(pool.io.get_executor(), o);

    constexpr int n = 60;
    std::vector<std::future<response>> results;
    for (int i = 0; i < n; ++i)
        results.push_back(c.async_request(http_method::get, "/api/dcim/devices/" + std::to_string(i) + "/", {}, {}, {},
                                          asio::use_future));
    std::set<std::string> targets;
    for (auto& f : results) {
        auto r = get_within(f);
        EXPECT_EQ(r.status, 200);
        targets.insert(target_of(r));
    }
    EXPECT_EQ(targets.size(), static_cast<std::size_t>(n));  // each caller got its own answer
    EXPECT_EQ(server.requests().size(), static_cast<std::size_t>(n));
    EXPECT_LE(server.connections_accepted(), 3u);
    EXPECT_EQ(events.load(), n);
}

TEST_F(client_async_models, on_a_strand) {
    test_server server(echo_target);
    thread_pool_io pool(4);
    auto strand = asio::make_strand(pool.io);
    http_client c(strand, options_for(server.url()));

    std::atomic<int> off_strand{0};
    auto worker = [&](int i) -> asio::awaitable<std::string> {
        response r = co_await c.request(http_method::get, "/api/dcim/sites/" + std::to_string(i) + "/");
        if (!strand.running_in_this_thread()) ++off_strand;
        co_return target_of(r);
    };
    std::vector<std::future<std::string>> results;
    for (int i = 0; i < 20; ++i) results.push_back(asio::co_spawn(strand, worker(i), asio::use_future));
    for (int i = 0; i < 20; ++i) EXPECT_EQ(get_within(results[i]), "/api/dcim/sites/" + std::to_string(i) + "/");
    EXPECT_EQ(off_strand.load(), 0);

    // async_request spawns on the client's executor: the strand.
    auto f = c.async_request(http_method::get, "/api/", {}, {}, {}, asio::use_future);
    EXPECT_EQ(get_within(f).status, 200);
}

TEST_F(client_async_models, blocking_client) {
    test_server server([](const received_request& r) {
        if (r.target == "/api/status/") return json_reply(200, R"({"netbox-version":"4.5.0"})");
        if (r.target == "/api/") return json_reply(200, "{}", {{"API-Version", "4.5"}});
        return echo_target(r);
    });
    auto o = options_for(server.url());
    o.token = "0123456789abcdef";
    blocking_client c(o);
    EXPECT_EQ(c.status().at("netbox-version").as_string(), "4.5.0");
    EXPECT_EQ(c.version(), "4.5");
    auto r = c.request(http_method::post, "/api/dcim/sites/", {}, json::value{{"name", "a"}});
    EXPECT_EQ(r.status, 201);
    auto p = c.probe_connection();
    EXPECT_TRUE(p.reachable);
    EXPECT_TRUE(p.authenticated);
    auto failed = c.try_request(http_method::get, "/api/?bad");
    EXPECT_NETBOX_ERROR(failed, errc::invalid_argument);
    EXPECT_THROW(c.request(http_method::get, "/api/?bad"), api_error);

    // Moved, it still works, on one keep-alive connection.
    blocking_client moved = std::move(c);
    EXPECT_EQ(moved.request(http_method::get, "/api/dcim/sites/").status, 200);
    EXPECT_EQ(server.connections_accepted(), 1u);
    for (const auto& req : server.requests()) EXPECT_EQ(req.header("Authorization"), "Token 0123456789abcdef");
}

}  // namespace
}  // namespace netbox::component
