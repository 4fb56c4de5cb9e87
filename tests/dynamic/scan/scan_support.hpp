// Helpers of the scan tests: the ids a plain listing gives, the list requests of the log, and
// draining a stream.
#pragma once

#include "support/facade_support.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace netbox::facade_test {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;

using ids = std::vector<std::int64_t>;

/// The query parameters of a recorded request, in order, still encoded.
inline std::vector<std::string> parameters_of(std::string_view query)
{
    std::vector<std::string> out;
    while (!query.empty()) {
        const std::size_t amp = std::min(query.find('&'), query.size());
        out.emplace_back(query.substr(0, amp));
        query.remove_prefix(std::min(amp + 1, query.size()));
    }
    return out;
}

inline bool has_parameter(const testing::recorded_request& r, std::string_view parameter)
{
    const auto all = parameters_of(r.query);
    return std::ranges::find(all, parameter) != all.end();
}

inline bool has_key(const testing::recorded_request& r, std::string_view key)
{
    for (const std::string& p : parameters_of(r.query))
        if (p.substr(0, p.find('=')) == key)
            return true;
    return false;
}

class scan_test : public facade_test {
protected:
    /// Simulator with `devices` devices and the api on it; `max_page` large enough for plain listings.
    void start_with(std::size_t devices, std::string version = "4.5", api_options options = {},
                    testing::fault_options faults = {})
    {
        testing::simulator_options sim = small_simulator(std::move(version), devices);
        sim.faults = std::move(faults);
        start(std::move(sim), std::move(options));
    }

    /// GET requests of the device list, in arrival order.
    std::vector<testing::recorded_request> list_requests() const
    {
        std::vector<testing::recorded_request> out;
        for (auto& r : requests())
            if (r.method == "GET" && r.path == "/api/dcim/devices/")
                out.push_back(std::move(r));
        return out;
    }

    /// The ids of one plain GET of every matching device (limit=0 within MAX_PAGE_SIZE), in the
    /// server's order; the request is removed from the log.
    ids plain_ids(std::string query = "")
    {
        const std::string q = "limit=0" + (query.empty() ? "" : "&" + query);
        query_params params;
        for (const std::string& p : parameters_of(q)) {
            const std::size_t eq = p.find('=');
            params.emplace_back(p.substr(0, eq), p.substr(eq + 1));
        }
        response r = run(nb->http().request(http_method::get, "/api/dcim/devices/", std::move(params)));
        const json::value body = json::parse(r.body);
        ids out;
        for (const json::value& v : body.at("results").as_array())
            out.push_back(v.at("id").to_number<std::int64_t>());
        server->clear_requests();
        return out;
    }

    /// Every record left in the stream.
    ids drain(record_stream& s)
    {
        return run([&]() -> asio::awaitable<ids> {
            ids out;
            for (;;) {
                auto r = co_await s.try_next();
                EXPECT_TRUE(r.has_value()) << r.error().what();
                if (!r || !*r)
                    break;
                out.push_back((*r)->id());
            }
            co_return out;
        }());
    }

    /// The next record's id, 0 at the end.
    std::int64_t next_id(record_stream& s)
    {
        auto r = run(s.try_next());
        EXPECT_TRUE(r.has_value()) << r.error().what();
        return r && *r ? (*r)->id() : 0;
    }

    /// Drives the io_context until `done()` or a generous bound; returns done().
    template <class Done>
    bool drive_until(Done done)
    {
        return run([&]() -> asio::awaitable<bool> {
            asio::steady_timer t(co_await asio::this_coro::executor);
            for (int i = 0; i < 500 && !done(); ++i) {
                t.expires_after(10ms);
                co_await t.async_wait(asio::use_awaitable);
            }
            co_return done();
        }());
    }

    /// Lets the io_context run for `d` (requests already started may go out).
    void drive_for(std::chrono::milliseconds d)
    {
        run([d]() -> asio::awaitable<void> {
            asio::steady_timer t(co_await asio::this_coro::executor, d);
            co_await t.async_wait(asio::use_awaitable);
        }());
    }

    /// POSTs a device like device 1 through the api's plain client; returns its id.
    std::int64_t create_device(const std::string& name)
    {
        response one = run(nb->http().request(http_method::get, "/api/dcim/devices/1/"));
        const json::value d = json::parse(one.body);
        json::object body;
        body["name"] = name;
        body["device_type"] = d.at("device_type").at("id");
        body["role"] = d.at("role").at("id");
        body["site"] = d.at("site").at("id");
        response r = run(nb->http().request(http_method::post, "/api/dcim/devices/", {}, json::value(body)));
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? json::parse(r.body).at("id").to_number<std::int64_t>() : 0;
    }

    void delete_device(std::int64_t id)
    {
        response r = run(nb->http().request(http_method::delete_, "/api/dcim/devices/" + std::to_string(id) + "/"));
        EXPECT_EQ(r.status, 204) << r.body;
    }
};

/// Counts the requests of a scan in flight through its request hooks, and the most seen at once.
struct in_flight_counter {
    std::shared_ptr<std::atomic<int>> now = std::make_shared<std::atomic<int>>(0);
    std::shared_ptr<std::atomic<int>> most = std::make_shared<std::atomic<int>>(0);

    void attach(request_options& o) const
    {
        o.on_request = [now = now, most = most](outgoing_request&) {
            const int n = ++*now;
            int seen = most->load();
            while (n > seen && !most->compare_exchange_weak(seen, n)) {
            }
        };
        o.on_response = [now = now](const outgoing_request&, const response&) { --*now; };
    }
};

}  // namespace netbox::facade_test
