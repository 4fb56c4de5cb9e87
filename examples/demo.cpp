// netbox-demo: a tour of the low-level client.
//
// With NETBOX_URL and NETBOX_TOKEN set it talks to that NetBox (read-only requests only);
// otherwise it starts the in-process demo server (demo_server.hpp) and talks to that.
// Optional: NETBOX_CA_FILE (PEM bundle to trust), NETBOX_INSECURE_TLS=1 (lab servers only).
//
// Everything runs as coroutines on one io_context. Exit status 0 when every step did what was
// expected, 1 otherwise.
#include "demo_server.hpp"

#include <netbox/client.hpp>
#include <netbox/error.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>

#include <atomic>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace nb = netbox;
using boost::asio::awaitable;

namespace {

struct tally {
    bool real = false;
    int failures = 0;

    /// Records a failed expectation. In front of a real NetBox only `always` checks count.
    void expect(bool ok, std::string_view what, bool always = false) {
        if (ok || (real && !always)) return;
        std::cout << "  ** unexpected: " << what << "\n";
        ++failures;
    }
};

void section(std::string_view title) { std::cout << "\n== " << title << "\n"; }

std::string string_or(const boost::json::value& v, std::string_view key, std::string fallback = "?") {
    if (const auto* o = v.if_object())
        if (const auto* f = o->if_contains(key))
            if (const auto* s = f->if_string()) return std::string(*s);
    return fallback;
}

/// A `next` link as a path and query for request(). NetBox builds these links from the incoming
/// request, so behind a proxy the scheme or host may be wrong: only path and query are kept, and
/// the base URL's path prefix (".../netbox") is removed because the client adds it again.
std::optional<std::pair<std::string, nb::query_params>> rebase_link(std::string_view link,
                                                                    std::string_view base_url) {
    auto url = boost::urls::parse_uri_reference(link);
    auto base = boost::urls::parse_uri(base_url);
    if (!url || !base) return std::nullopt;
    std::string path = url->path();
    std::string prefix = base->path();
    if (!prefix.empty() && path.rfind(prefix, 0) == 0) path.erase(0, prefix.size());
    nb::query_params query;
    for (auto param : url->params()) query.emplace_back(param.key, param.value);
    return std::make_pair(std::move(path), std::move(query));
}

awaitable<void> tour(nb::client client, nb::client_options options, tally& t) {
    // 1. Is anybody there? probe_connection() never throws for server faults.
    section("probe_connection()");
    nb::probe_result probe = co_await client.probe_connection();
    std::cout << "  reachable=" << std::boolalpha << probe.reachable << " authenticated=" << probe.authenticated
              << " status=" << probe.status << " api_version=" << probe.api_version << "\n";
    if (!probe.error.empty()) std::cout << "  error: " << probe.error << "\n";
    t.expect(probe.reachable && probe.authenticated, "the server should be reachable and accept the token", true);
    if (!probe.reachable || !probe.authenticated) co_return;

    // 2. The API version (the API-Version header of /api/).
    section("version()");
    std::string version = co_await client.version();
    std::cout << "  API version " << version << "\n";
    t.expect(version == "4.5", "API version 4.5");

    // 3. /api/status/ as JSON.
    section("status()");
    boost::json::value status = co_await client.status();
    std::string netbox_version = string_or(status, "netbox-version");
    std::cout << "  netbox-version " << netbox_version << ", python " << string_or(status, "python-version")
              << ", django " << string_or(status, "django-version") << "\n";
    t.expect(netbox_version == "4.5.10", "netbox-version 4.5.10");

    // 4. A paginated list, page by page, following `next`.
    section("GET /api/dcim/devices/ page by page");
    const int max_pages = t.real ? 3 : 100;  // be gentle with a real server
    std::string path = "/api/dcim/devices/";
    nb::query_params query{{"limit", t.real ? "5" : "2"}, {"ordering", "name"}};
    std::int64_t count = 0;
    std::size_t listed = 0;
    int pages = 0;
    for (;;) {
        nb::response page = co_await client.request(nb::http_method::get, path, query);
        if (!page.ok()) {
            std::cout << "  HTTP " << page.status << ": " << page.body.substr(0, 200) << "\n";
            t.expect(false, "the device list should answer 2xx", true);
            break;
        }
        boost::json::value body = page.json();
        count = body.at("count").to_number<std::int64_t>();
        const auto& results = body.at("results").as_array();
        ++pages;
        std::cout << "  page " << pages << " (X-Request-ID " << page.request_id() << "):";
        for (const auto& device : results) std::cout << " " << string_or(device, "name");
        std::cout << "\n";
        listed += results.size();

        const auto& next = body.at("next");
        if (!next.is_string()) break;
        if (pages == max_pages) {
            std::cout << "  ... stopping after " << pages << " pages\n";
            break;
        }
        auto rebased = rebase_link(next.as_string(), client.base_url());
        if (!rebased) {
            t.expect(false, "`next` should be a URL", true);
            break;
        }
        std::tie(path, query) = std::move(*rebased);
    }
    std::cout << "  " << listed << " of " << count << " devices listed in " << pages << " page(s)\n";
    t.expect(listed == static_cast<std::size_t>(count) && pages == 4, "7 devices in 4 pages");

    // 5. GraphQL, with the non-throwing form: a result<json::value>.
    section("graphql()");
    nb::result<boost::json::value> data =
        co_await client.try_graphql("query { device_list(pagination: {limit: 3}) { id name } }");
    if (data) {
        std::cout << "  data: " << boost::json::serialize(*data) << "\n";
        t.expect(data->is_object() && data->as_object().contains("device_list"), "data.device_list");
    } else {
        // GraphQL can be switched off on a real NetBox (GRAPHQL_ENABLED); only report it there.
        std::cout << "  failed: " << data.error().what() << "\n";
        t.expect(false, "GraphQL should answer");
    }

    // 6. Errors.
    section("errors");
    // 6a. request() hands back any answer it got: a 404 is a response, not an exception.
    nb::response missing = co_await client.request(nb::http_method::get, "/api/dcim/no-such-endpoint/");
    std::cout << "  GET /api/dcim/no-such-endpoint/ -> HTTP " << missing.status
              << (missing.ok() ? "" : " (returned as a response; the caller decides)") << "\n";
    t.expect(missing.status == 404, "HTTP 404", true);
    // When you do want "2xx or an error", check_status() (or raise_for_status(), which throws)
    // turns the answer into a netbox::error with NetBox's error body taken apart.
    if (nb::result<void> checked = missing.check_status(); checked.has_error()) {
        std::cout << "  check_status(): " << checked.error().what() << "\n";
        t.expect(checked.error().code == nb::errc::http_status, "errc::http_status from check_status()", true);
    }

    // 6b. Helpers that need a 2xx turn other answers into netbox::error / api_error. Here a
    //     second client, sharing the executor, presents a token the server does not know.
    const std::string wrong_token = "0000000000000000000000000000000000000000";
    options.token = wrong_token;
    options.observer = nullptr;
    nb::client stranger(client.get_executor(), options);
    try {
        co_await stranger.status();
        t.expect(false, "a wrong token should be refused", true);
    } catch (const nb::api_error& e) {
        const nb::error& info = e.info();
        std::cout << "  status() with a wrong token threw api_error:\n"
                  << "    what():     " << e.what() << "\n"
                  << "    code:       " << info.code.message() << "\n"
                  << "    HTTP:       " << info.status << "\n"
                  << "    detail:     " << info.detail << "   <- server text, kept apart from our message\n"
                  << "    request id: " << info.request_id << "\n";
        t.expect(info.status == 403, "HTTP 403", true);
        t.expect(info.code == nb::errc::http_status, "errc::http_status", true);
        t.expect(info.detail == "Invalid v1 token", "detail \"Invalid v1 token\"");
        t.expect(std::string(e.what()).find(wrong_token) == std::string::npos, "the token never appears in errors",
                 true);
    }
    // The same failure without exceptions.
    nb::result<boost::json::value> refused = co_await stranger.try_status();
    if (refused.has_error())
        std::cout << "  try_status() with a wrong token: has_error(), HTTP " << refused.error().status << ", detail \""
                  << refused.error().detail << "\"\n";
    t.expect(refused.has_error(), "try_status() should fail with a wrong token", true);
}

}  // namespace

int main() {
    try {
        netbox_examples::target target = netbox_examples::choose_target();
        tally t;
        t.real = target.real;
        std::cout << "netbox-cpp demo against " << (target.real ? "NETBOX_URL " : "the built-in demo server ")
                  << target.base_url << "\n";

        nb::client_options options;
        options.base_url = target.base_url;
        options.token = target.token;
        options.timeouts.connect = std::chrono::seconds(5);
        options.timeouts.overall = std::chrono::seconds(60);
        if (const char* ca = std::getenv("NETBOX_CA_FILE")) options.tls.ca_file = ca;
        if (const char* insecure = std::getenv("NETBOX_INSECURE_TLS"); insecure && std::string_view(insecure) == "1")
            options.tls.insecure_disable_verification = true;

        // The observer sees one `request` event per call (and one `attempt` event per attempt).
        std::atomic<int> calls{0};
        options.observer = [&calls](const nb::request_event& ev) {
            if (ev.what == nb::request_event::kind::request) ++calls;
        };

        boost::asio::io_context ioc;
        nb::client client(ioc.get_executor(), options);

        std::exception_ptr failure;
        boost::asio::co_spawn(ioc, tour(client, options, t), [&](std::exception_ptr e) { failure = e; });
        ioc.run();

        if (failure) std::rethrow_exception(failure);
        std::cout << "\n" << calls.load() << " calls observed on the main client\n";
        if (t.failures != 0) {
            std::cout << t.failures << " expectation(s) failed\n";
            return 1;
        }
        std::cout << "demo finished: OK\n";
        return 0;
    } catch (const nb::api_error& e) {
        std::cout << "\nfailed: " << e.what() << "\n";
    } catch (const std::exception& e) {
        std::cout << "\nfailed: " << e.what() << "\n";
    }
    return 1;
}
