// Example: the same client without coroutines in your code. async_request() takes any Asio
// completion token: use_future, a plain callback, and a callback with a cancellation slot.
// The io_context runs on a thread of its own here, so that main() may block on futures.
//
// Uses NETBOX_URL and NETBOX_TOKEN when both are set, the built-in simulator otherwise.
#include "target.hpp"

#include <netbox/client.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <exception>
#include <future>
#include <iostream>
#include <thread>

namespace {

/// Describes how a call ended.
std::string outcome(std::exception_ptr e, const netbox::response& r) {
    if (!e) return "HTTP " + std::to_string(r.status);
    try {
        std::rethrow_exception(e);
    } catch (const netbox::api_error& error) {
        return "api_error (" + error.code().message() + "): " + error.what();
    } catch (const std::exception& other) {
        return std::string("exception: ") + other.what();
    }
}

}  // namespace

int main() {
    netbox_examples::target target = netbox_examples::choose_target();

    boost::asio::io_context ioc;
    auto work = boost::asio::make_work_guard(ioc);
    std::thread io_thread([&ioc] { ioc.run(); });

    netbox::client_options options;
    options.base_url = target.base_url;
    options.token = target.token;
    netbox::client client(ioc.get_executor(), options);
    int failures = 0;

    // 1. use_future: a std::future<response>; get() rethrows api_error on failure.
    std::future<netbox::response> status =
        client.async_request(netbox::http_method::get, "/api/status/", {}, {}, {}, boost::asio::use_future);
    try {
        netbox::response r = status.get();
        std::cout << "future:   GET /api/status/ -> HTTP " << r.status << "\n";
    } catch (const netbox::api_error& e) {
        std::cout << "future:   failed: " << e.what() << "\n";
        ++failures;
    }

    // 2. A callback: void(std::exception_ptr, netbox::response). It runs on the io_context's thread.
    std::promise<void> callback_done;
    client.async_request(netbox::http_method::get, "/api/dcim/devices/", {{"limit", "1"}}, {}, {},
                         [&](std::exception_ptr e, netbox::response r) {
                             std::cout << "callback: GET /api/dcim/devices/ -> " << outcome(e, r) << "\n";
                             if (e) ++failures;
                             callback_done.set_value();
                         });
    callback_done.get_future().wait();

    // 3. Cancellation: bind a slot to the handler and emit on the io_context's thread. The call
    //    ends with errc::cancelled; the client stays usable. The simulator is told to answer 3 s
    //    late (fault injection); a real NetBox usually answers before the timer fires.
    netbox::testing::fault_options slow;
    slow.latency = std::chrono::seconds(3);
    if (target.simulator) target.simulator->set_faults(slow);
    boost::asio::cancellation_signal cancel;
    std::promise<void> cancel_done;
    bool finished = false;  // touched on the io_context's thread only
    client.async_request(netbox::http_method::get, "/api/status/", {}, {}, {},
                         boost::asio::bind_cancellation_slot(
                             cancel.slot(), [&](std::exception_ptr e, netbox::response r) {
                                 finished = true;
                                 std::cout << "cancel:   GET /api/status/ -> " << outcome(e, r) << "\n";
                                 if (target.simulator && !e) ++failures;  // the simulator is slow enough
                                 cancel_done.set_value();
                             }));
    boost::asio::steady_timer timer(ioc, std::chrono::milliseconds(200));
    timer.async_wait([&](boost::system::error_code) {
        if (!finished) cancel.emit(boost::asio::cancellation_type::terminal);
    });
    cancel_done.get_future().wait();
    if (target.simulator) target.simulator->set_faults({});

    // Still usable after a cancelled call.
    try {
        auto again = client.async_request(netbox::http_method::get, "/api/", {}, {}, {}, boost::asio::use_future);
        netbox::response r = again.get();
        std::cout << "after:    GET /api/ -> HTTP " << r.status << "\n";
    } catch (const netbox::api_error& e) {
        std::cout << "after:    failed: " << e.what() << "\n";
        ++failures;
    }

    work.reset();
    io_thread.join();
    return failures == 0 ? 0 : 1;
}
