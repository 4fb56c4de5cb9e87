// Branch scoping under concurrency, and records whose server-reported URLs are wrong (a proxy).
#include "support/facade_support.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>

#include <future>

namespace netbox::facade_test {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

using branches = facade_test;

/// `rounds` lookups by a name that identifies the caller in the request log.
asio::awaitable<void> lookups(api through, std::string marker, int rounds)
{
    for (int i = 0; i < rounds; ++i) {
        filters by_name{{"name", marker}};
        auto r = co_await through.dcim.sites.try_get(by_name);
        EXPECT_TRUE(r.has_value()) << r.error().what();
        auto one = co_await through.dcim.sites.try_get(1);
        EXPECT_TRUE(one.has_value()) << one.error().what();
    }
}

TEST_F(branches, concurrent_coroutines_each_send_only_their_own_branch)
{
    testing::simulator_options sim = small_simulator();
    sim.faults.latency = std::chrono::milliseconds(2);
    start(sim);

    // Three coroutines on one thread, interleaved at every request by the latency.
    constexpr int rounds = 8;
    auto a = asio::co_spawn(io, lookups(nb->branch("aaaa1111"), "marker-a", rounds), asio::use_future);
    auto b = asio::co_spawn(io, lookups(nb->branch("bbbb2222"), "marker-b", rounds), asio::use_future);
    auto on_main = asio::co_spawn(io, lookups(*nb, "marker-main", rounds), asio::use_future);
    component::drive_until(io, [&] { return component::is_ready(a) && component::is_ready(b) && component::is_ready(on_main); });
    a.get();
    b.get();
    on_main.get();

    const auto log = requests();
    std::size_t seen_a = 0, seen_b = 0, seen_main = 0;
    // List GETs carry their coroutine's marker and are checked one by one; detail GETs carry none,
    // so they are checked by count: each coroutine sent 2 * rounds requests under its header.
    std::size_t header_a = 0, header_b = 0, header_none = 0;
    for (const auto& r : log) {
        const std::string branch = r.header("X-NetBox-Branch");
        header_a += branch == "aaaa1111";
        header_b += branch == "bbbb2222";
        header_none += branch.empty();
        if (r.query.find("marker-a") != std::string::npos) {
            ++seen_a;
            EXPECT_EQ(branch, "aaaa1111") << r.query;
        } else if (r.query.find("marker-b") != std::string::npos) {
            ++seen_b;
            EXPECT_EQ(branch, "bbbb2222") << r.query;
        } else if (r.query.find("marker-main") != std::string::npos) {
            ++seen_main;
            EXPECT_EQ(branch, "") << r.query;
        }
    }
    EXPECT_EQ(seen_a, std::size_t(rounds));
    EXPECT_EQ(seen_b, std::size_t(rounds));
    EXPECT_EQ(seen_main, std::size_t(rounds));
    EXPECT_EQ(header_a, std::size_t(2 * rounds));
    EXPECT_EQ(header_b, std::size_t(2 * rounds));
    EXPECT_EQ(header_none, std::size_t(2 * rounds));

    // They did interleave: the log is not three runs one after another.
    std::size_t switches = 0;
    for (std::size_t i = 1; i < log.size(); ++i)
        switches += log[i].header("X-NetBox-Branch") != log[i - 1].header("X-NetBox-Branch");
    EXPECT_GT(switches, 2u);
}

TEST_F(branches, records_fetched_through_a_branch_save_and_delete_in_it)
{
    api feature = nb->branch("aaaa1111");
    auto site = run(feature.dcim.sites.get(2));
    ASSERT_TRUE(site.has_value());
    site->set("description", "in the branch");
    EXPECT_TRUE(run(site->save()));

    json::object tag{{"name", "branch-tag"}, {"slug", "branch-tag"}};
    record created = run(feature.extras.tags.create(tag));
    run(created.delete_());

    const auto log = requests();
    ASSERT_EQ(log.size(), 4u);
    for (const auto& r : log)
        EXPECT_EQ(r.header("X-NetBox-Branch"), "aaaa1111") << r.method << " " << r.path;
    EXPECT_EQ(log[1].method, "PATCH");
    EXPECT_EQ(log[3].method, "DELETE");
}

TEST_F(branches, bulk_writes_go_through_the_endpoints_branch)
{
    api feature = nb->branch("bbbb2222");
    json::array objects{json::object{{"name", "b1"}, {"slug", "b1"}}, json::object{{"name", "b2"}, {"slug", "b2"}}};
    const bulk_result created = run(feature.extras.tags.create(objects));
    EXPECT_TRUE(created.ok());
    (void)run(feature.extras.tags.delete_(created.records));
    (void)run(feature.dcim.devices.choices());
    for (const auto& r : requests())
        EXPECT_EQ(r.header("X-NetBox-Branch"), "bbbb2222") << r.method << " " << r.path;
}

// --- a proxy that reports the wrong base URL -------------------------------------------------------

TEST_F(branches, records_with_wrong_urls_still_write_through_the_configured_base)
{
    testing::simulator_options sim = small_simulator();
    sim.public_url = "http://wrong-host:9/netbox";
    start(sim);

    auto site = run(nb->dcim.sites.get(1));
    ASSERT_TRUE(site.has_value());
    EXPECT_EQ(site->url(), "http://wrong-host:9/netbox/api/dcim/sites/1/");
    site->set("description", "proxied");
    auto saved = run(site->try_save());
    ASSERT_TRUE(saved.has_value()) << saved.error().what();
    EXPECT_TRUE(*saved);

    json::object tag{{"name", "proxied"}, {"slug", "proxied"}};
    record created = run(nb->extras.tags.create(tag));
    auto deleted = run(created.try_delete());
    ASSERT_TRUE(deleted.has_value()) << deleted.error().what();

    const auto log = requests();
    ASSERT_EQ(log.size(), 4u);
    EXPECT_EQ(log[1].method, "PATCH");
    EXPECT_EQ(log[1].path, "/api/dcim/sites/1/");
    EXPECT_EQ(log[3].method, "DELETE");
    EXPECT_EQ(log[3].path, "/api/extras/tags/" + std::to_string(created.id()) + "/");
    EXPECT_EQ(run(nb->dcim.sites.get(1))->get_string("description"), "proxied");
}

}  // namespace
}  // namespace netbox::facade_test
