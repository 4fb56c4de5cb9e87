// Consumer of the installed package: uses the asynchronous and the blocking client against a
// port where nothing listens, and expects both to say "not reachable" quickly. It also uses Asio
// directly (a timer and a post with plain handlers), the way programs do next to the client: that
// code is compiled header-only here and must agree with the Asio compiled into the library.
#include <netbox/netbox.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <exception>
#include <iostream>
#include <string>

#if defined(BOOST_ASIO_SEPARATE_COMPILATION) || defined(BOOST_BEAST_SEPARATE_COMPILATION) || \
    defined(BOOST_ASIO_NO_DEPRECATED)
#error "the netbox::netbox target must not impose Asio/Beast macros on its users"
#endif

namespace {

/// A 127.0.0.1 port that was free a moment ago: bind to port 0, note the port, close.
unsigned short closed_port() {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor acceptor(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return acceptor.local_endpoint().port();
}

netbox::client_options unreachable_options() {
    netbox::client_options options;
    options.base_url = "http://127.0.0.1:" + std::to_string(closed_port());
    options.token = "0123456789abcdef0123456789abcdef01234567";
    options.timeouts.connect = std::chrono::milliseconds(500);
    options.timeouts.attempt = std::chrono::milliseconds(500);
    options.timeouts.overall = std::chrono::milliseconds(2000);
    options.retry.max_attempts = 1;
    return options;
}

bool expect_unreachable(const char* who, const netbox::probe_result& probe) {
    std::cout << who << ": reachable=" << probe.reachable << " status=" << probe.status << " error=\"" << probe.error
              << "\"\n";
    if (probe.reachable || probe.authenticated || probe.status != 0) {
        std::cout << who << ": expected an unreachable server\n";
        return false;
    }
    return true;
}

}  // namespace

int main() {
    try {
        const auto started = std::chrono::steady_clock::now();
        bool ok = true;

        {
            netbox::blocking_client blocking(unreachable_options());
            ok = expect_unreachable("blocking_client", blocking.probe_connection()) && ok;
        }

        {
            boost::asio::io_context ioc;
            netbox::client client(ioc.get_executor(), unreachable_options());
            netbox::probe_result probe;
            std::exception_ptr failure;
            bool timer_fired = false, posted = false;
            boost::asio::steady_timer timer(ioc, std::chrono::milliseconds(1));
            timer.async_wait([&](boost::system::error_code ec) { timer_fired = !ec; });
            boost::asio::post(ioc, [&] { posted = true; });
            boost::asio::co_spawn(
                ioc, [client]() -> boost::asio::awaitable<netbox::probe_result> { co_return co_await client.probe_connection(); },
                [&](std::exception_ptr e, netbox::probe_result p) {
                    failure = e;
                    probe = std::move(p);
                });
            ioc.run();
            if (failure) std::rethrow_exception(failure);
            ok = expect_unreachable("client", probe) && ok;
            if (!timer_fired || !posted) {
                std::cout << "plain Asio handlers did not run\n";
                ok = false;
            }
        }

        const auto elapsed = std::chrono::steady_clock::now() - started;
        if (elapsed > std::chrono::seconds(10)) {
            std::cout << "the probes took too long\n";
            ok = false;
        }
        std::cout << (ok ? "consumer: OK\n" : "consumer: FAILED\n");
        return ok ? 0 : 1;
    } catch (const std::exception& e) {
        std::cout << "consumer: unexpected exception: " << e.what() << "\n";
        return 1;
    }
}
