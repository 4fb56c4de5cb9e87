// Deadlines bound name resolution even when getaddrinfo hangs (slow_getaddrinfo.cpp, preloaded).
#include <netbox/client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <dlfcn.h>

#include <chrono>
#include <thread>

namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;

TEST(dns, a_deadline_bounds_a_resolver_that_hangs) {
    ASSERT_NE(dlsym(RTLD_DEFAULT, "netbox_slow_dns_active"), nullptr)
        << "run with LD_PRELOAD naming the netbox_slow_dns library (ctest does)";
    asio::io_context io;
    netbox::client_options o;
    o.base_url = "http://device.slow.test:8080";
    o.timeouts.connect = 300ms;
    o.timeouts.overall = 300ms;
    netbox::client c(io.get_executor(), o);

    const auto started = std::chrono::steady_clock::now();
    auto answer = asio::co_spawn(io, c.try_request(netbox::http_method::get, "/api/"), asio::use_future);
    std::thread runner([&] { io.run(); });  // run() itself lasts until the lookup returns
    const bool ready = answer.wait_for(2s) == std::future_status::ready;
    const auto waited = std::chrono::steady_clock::now() - started;
    runner.join();

    ASSERT_TRUE(ready) << "the call waited for the 3 s lookup";
    EXPECT_LT(waited, 2s);
    auto r = answer.get();
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, netbox::errc::timeout) << r.error().what();
}

}  // namespace
