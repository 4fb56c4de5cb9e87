// Pagination modes of scans: what each one asks for and that each yields what a plain listing does.
#include "scan_support.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <mutex>
#include <set>
#include <thread>

namespace netbox::facade_test {
namespace {

using scan_modes = scan_test;

list_options with(pagination mode, std::size_t limit, std::size_t concurrency = 1)
{
    list_options o;
    o.mode = mode;
    o.limit = limit;
    o.concurrency = concurrency;
    return o;
}

TEST_F(scan_modes, every_mode_yields_the_plain_listing)
{
    for (const char* version : {"4.5", "4.6"}) {
        SCOPED_TRACE(version);
        start_with(130, version);
        const ids expected = plain_ids();
        ASSERT_EQ(expected.size(), 130u);
        struct mode_case {
            list_options options;
            pagination used;
        };
        const bool v46 = std::string_view(version) == "4.6";
        const std::vector<mode_case> cases{
            {with(pagination::automatic, 20), v46 ? pagination::cursor : pagination::offset},
            {with(pagination::offset, 20), pagination::offset},
            {with(pagination::offset, 20, 3), pagination::offset},
            {with(pagination::keyset, 20), pagination::keyset},
            {with(pagination::cursor, 20), v46 ? pagination::cursor : pagination::keyset},
            {with(pagination::sharded_keyset, 15, 3), pagination::sharded_keyset},
            {with(pagination::offset, 0), pagination::offset},  // limit=0: the server's maximum
        };
        for (const mode_case& c : cases) {
            SCOPED_TRACE(static_cast<int>(c.options.mode));
            SCOPED_TRACE(c.options.concurrency);
            record_stream s = nb->dcim.devices.all(c.options).stream();
            ids got = drain(s);
            if (c.used == pagination::sharded_keyset)
                std::ranges::sort(got);  // ranges interleave by page
            EXPECT_EQ(got, expected);
            EXPECT_EQ(s.report().mode, c.used);
            EXPECT_EQ(s.report().records, expected.size());
            EXPECT_TRUE(s.report().consistent());
            EXPECT_EQ(s.report().url_splits, 1u);
        }
    }
}

TEST_F(scan_modes, filters_and_list_options_reach_every_page)
{
    start_with(130);
    const ids expected = plain_ids("status=active&status=offline");
    list_options o = with(pagination::offset, 10);
    o.brief = true;
    record_stream s = nb->dcim.devices.filter({{"status", {"active", "offline"}}}, o).stream();
    EXPECT_EQ(drain(s), expected);
    const auto log = list_requests();
    ASSERT_GE(log.size(), 2u);
    for (const auto& r : log) {
        EXPECT_TRUE(has_parameter(r, "status=active")) << r.query;
        EXPECT_TRUE(has_parameter(r, "status=offline")) << r.query;
        EXPECT_TRUE(has_parameter(r, "brief=1") || has_parameter(r, "brief=True")) << r.query;
    }
}

TEST_F(scan_modes, concurrent_offset_keeps_page_order_and_bounds_requests_in_flight)
{
    // Per-object latency makes the short last page overtake the full ones before it.
    testing::fault_options slow;
    slow.latency_per_object = 300us;
    start_with(130, "4.5", {}, slow);
    const ids expected = plain_ids();
    for (std::size_t concurrency : {2u, 3u}) {
        SCOPED_TRACE(concurrency);
        server->clear_requests();
        in_flight_counter counter;
        list_options o = with(pagination::offset, 20, concurrency);
        counter.attach(o.request);
        record_stream s = nb->dcim.devices.all(o).stream();
        EXPECT_EQ(drain(s), expected);
        EXPECT_LE(counter.most->load(), static_cast<int>(concurrency));
        EXPECT_GE(counter.most->load(), 2);
        EXPECT_EQ(s.report().pages, 7u);
        // limit=20 first, then limit=20&offset=20..120: one request per page, no empty one.
        const auto log = list_requests();
        ASSERT_EQ(log.size(), 7u);
        std::set<std::string> offsets;
        for (const auto& r : log) {
            EXPECT_TRUE(has_parameter(r, "limit=20")) << r.query;
            for (const std::string& p : parameters_of(r.query))
                if (p.starts_with("offset="))
                    offsets.insert(p);
        }
        EXPECT_EQ(offsets, (std::set<std::string>{"offset=20", "offset=40", "offset=60", "offset=80", "offset=100",
                                                  "offset=120"}));
    }
}

TEST_F(scan_modes, concurrent_offset_takes_the_page_size_from_the_first_page)
{
    testing::simulator_options sim = small_simulator("4.5", 130);
    sim.max_page_size = 30;  // limit=0 and limit=100 both come back as 30 rows
    sim.default_page_size = 20;
    start(sim);
    const ids expected = [&] {
        ids all;
        for (std::size_t offset = 0; offset < 130; offset += 30) {
            const ids part = plain_ids("offset=" + std::to_string(offset));
            all.insert(all.end(), part.begin(), part.end());
        }
        return all;
    }();
    for (std::size_t limit : {0u, 100u}) {
        SCOPED_TRACE(limit);
        server->clear_requests();
        record_stream s = nb->dcim.devices.all(with(pagination::offset, limit, 3)).stream();
        EXPECT_EQ(drain(s), expected);
        const auto log = list_requests();
        ASSERT_EQ(log.size(), 5u);
        EXPECT_TRUE(has_parameter(log[0], "limit=" + std::to_string(limit))) << log[0].query;
        for (std::size_t i = 1; i < log.size(); ++i)
            EXPECT_TRUE(has_parameter(log[i], "limit=30")) << log[i].query;
    }
}

TEST_F(scan_modes, page_size_and_concurrency_default_to_the_api_options)
{
    start_with(60);
    record_stream plain = nb->dcim.devices.all().stream();
    EXPECT_EQ(drain(plain).size(), 60u);
    auto log = list_requests();
    ASSERT_EQ(log.size(), 1u);  // limit=0: the server's maximum, one page here
    EXPECT_TRUE(has_parameter(log[0], "limit=0")) << log[0].query;

    api_options defaults;
    defaults.page_size = 25;
    defaults.concurrency = 2;
    start(small_simulator("4.5", 60), defaults);
    in_flight_counter counter;
    list_options o;
    o.mode = pagination::offset;
    counter.attach(o.request);
    record_stream windowed = nb->dcim.devices.all(o).stream();
    EXPECT_EQ(drain(windowed).size(), 60u);
    log = list_requests();
    ASSERT_EQ(log.size(), 3u);
    for (const auto& r : log)
        EXPECT_TRUE(has_parameter(r, "limit=25")) << r.query;
    EXPECT_EQ(counter.most->load(), 2);
}

TEST_F(scan_modes, no_extra_empty_page_when_the_count_is_a_multiple_of_the_page_size)
{
    start_with(100);
    for (std::size_t concurrency : {1u, 3u}) {
        SCOPED_TRACE(concurrency);
        server->clear_requests();
        record_stream s = nb->dcim.devices.all(with(pagination::offset, 20, concurrency)).stream();
        EXPECT_EQ(drain(s).size(), 100u);
        const auto log = list_requests();
        EXPECT_EQ(log.size(), 5u);
        for (const auto& r : log)
            EXPECT_FALSE(has_parameter(r, "offset=100")) << r.query;
    }
}

TEST_F(scan_modes, prefetch_requests_the_next_page_while_the_first_is_consumed)
{
    start_with(60);
    list_options o = with(pagination::offset, 20);
    record_stream s = nb->dcim.devices.all(o).stream();
    EXPECT_EQ(next_id(s), 1);
    // One record taken: page 2 is already on its way without another next().
    EXPECT_TRUE(drive_until([&] { return list_requests().size() >= 2; }));
    const auto log = list_requests();
    ASSERT_EQ(log.size(), 2u);  // and not page 3: one page ahead, not more
    EXPECT_TRUE(has_parameter(log[1], "offset=20")) << log[1].query;
    EXPECT_EQ(s.report().records, 20u);
}

TEST_F(scan_modes, without_prefetch_the_next_page_waits_for_the_consumer)
{
    start_with(60);
    list_options o = with(pagination::offset, 20);
    o.prefetch = false;
    record_stream s = nb->dcim.devices.all(o).stream();
    for (int i = 0; i < 20; ++i)
        EXPECT_EQ(next_id(s), i + 1);
    drive_for(100ms);
    EXPECT_EQ(list_requests().size(), 1u);
    EXPECT_EQ(next_id(s), 21);
    EXPECT_EQ(list_requests().size(), 2u);
}

TEST_F(scan_modes, keyset_orders_by_id_and_continues_after_the_last_id)
{
    start_with(50);
    record_stream s = nb->dcim.devices.all(with(pagination::keyset, 20)).stream();
    EXPECT_EQ(drain(s).size(), 50u);
    const auto log = list_requests();
    ASSERT_EQ(log.size(), 3u);
    for (const auto& r : log) {
        EXPECT_TRUE(has_parameter(r, "ordering=id")) << r.query;
        EXPECT_FALSE(has_key(r, "offset")) << r.query;
    }
    EXPECT_FALSE(has_key(log[0], "id__gt"));
    EXPECT_TRUE(has_parameter(log[1], "id__gt=20")) << log[1].query;
    EXPECT_TRUE(has_parameter(log[2], "id__gt=40")) << log[2].query;
}

TEST_F(scan_modes, keyset_folds_an_id__gt_filter_of_the_user_into_its_own)
{
    start_with(50);
    const ids expected = plain_ids("id__gt=25");
    record_stream s = nb->dcim.devices.filter({{"id__gt", 25}}, with(pagination::keyset, 10)).stream();
    EXPECT_EQ(drain(s), expected);
    for (const auto& r : list_requests()) {
        std::size_t bounds = 0;
        for (const std::string& p : parameters_of(r.query))
            bounds += p.starts_with("id__gt=");
        EXPECT_EQ(bounds, 1u) << r.query;  // two would be ORed by NetBox
    }
}

TEST_F(scan_modes, cursor_on_4_6_follows_next)
{
    start_with(50, "4.6");
    record_stream s = nb->dcim.devices.all(with(pagination::automatic, 20)).stream();
    EXPECT_EQ(drain(s), plain_ids());
    EXPECT_EQ(s.report().mode, pagination::cursor);
    const auto log = list_requests();
    ASSERT_EQ(log.size(), 3u);
    EXPECT_TRUE(has_parameter(log[0], "start=0")) << log[0].query;
    EXPECT_TRUE(has_parameter(log[1], "start=21")) << log[1].query;
    EXPECT_TRUE(has_parameter(log[2], "start=41")) << log[2].query;
    for (const auto& r : log) {
        EXPECT_FALSE(has_key(r, "offset")) << r.query;
        EXPECT_FALSE(has_key(r, "ordering")) << r.query;
    }
}

TEST_F(scan_modes, automatic_uses_offset_with_an_ordering_or_concurrency_on_4_6)
{
    start_with(50, "4.6");
    list_options ordered = with(pagination::automatic, 20);
    ordered.ordering = "-id";
    record_stream a = nb->dcim.devices.all(ordered).stream();
    ids got = drain(a);
    ids expected = plain_ids();
    std::ranges::reverse(expected);
    EXPECT_EQ(got, expected);
    EXPECT_EQ(a.report().mode, pagination::offset);

    record_stream b = nb->dcim.devices.all(with(pagination::automatic, 20, 2)).stream();
    EXPECT_EQ(drain(b).size(), 50u);
    EXPECT_EQ(b.report().mode, pagination::offset);
}

TEST_F(scan_modes, cursor_before_4_6_falls_back_to_keyset)
{
    start_with(50, "4.5");
    record_stream s = nb->dcim.devices.all(with(pagination::cursor, 20)).stream();
    EXPECT_EQ(drain(s), plain_ids());
    EXPECT_EQ(s.report().mode, pagination::keyset);
    for (const auto& r : list_requests()) {
        EXPECT_FALSE(has_key(r, "start")) << r.query;
        EXPECT_TRUE(has_parameter(r, "ordering=id")) << r.query;
    }
}

TEST_F(scan_modes, cursor_with_an_ordering_is_refused_before_any_request)
{
    start_with(50, "4.6");
    list_options o = with(pagination::cursor, 20);
    o.ordering = "name";
    record_stream s = nb->dcim.devices.all(o).stream();
    auto r = run(s.try_next());
    EXPECT_NETBOX_ERROR(r, errc::invalid_argument);
    EXPECT_TRUE(requests().empty());
    // The stream is finished after its error.
    auto again = run(s.try_next());
    ASSERT_TRUE(again.has_value());
    EXPECT_FALSE(again->has_value());
}

TEST_F(scan_modes, sharded_keyset_covers_every_id_once)
{
    start_with(130);
    const ids expected = plain_ids("status=active");
    in_flight_counter counter;
    list_options o = with(pagination::sharded_keyset, 10, 3);
    counter.attach(o.request);
    record_stream s = nb->dcim.devices.filter({{"status", "active"}}, o).stream();
    ids got = drain(s);
    std::ranges::sort(got);
    EXPECT_EQ(got, expected);
    EXPECT_LE(counter.most->load(), 3);
    const auto log = list_requests();
    ASSERT_GE(log.size(), 2u);
    // Two probes for the smallest and largest id, then id ranges walked by id.
    EXPECT_TRUE(has_parameter(log[0], "fields=id") && has_parameter(log[0], "limit=1"));
    EXPECT_TRUE(has_parameter(log[1], "fields=id") && has_parameter(log[1], "limit=1"));
    std::size_t ranges = 0;
    for (std::size_t i = 2; i < log.size(); ++i) {
        EXPECT_TRUE(has_parameter(log[i], "status=active")) << log[i].query;
        EXPECT_TRUE(has_parameter(log[i], "ordering=id")) << log[i].query;
        EXPECT_TRUE(has_key(log[i], "id__gte") && has_key(log[i], "id__lt")) << log[i].query;
        ranges += !has_key(log[i], "id__gt");
    }
    EXPECT_EQ(ranges, 3u);
}

TEST_F(scan_modes, sharded_keyset_of_nothing_ends_after_the_probes)
{
    start_with(20);
    const list_options o = with(pagination::sharded_keyset, 10, 3);
    record_stream s = nb->dcim.devices.filter({{"name", "no such device"}}, o).stream();
    EXPECT_TRUE(drain(s).empty());
    EXPECT_EQ(list_requests().size(), 2u);
}

TEST_F(scan_modes, a_single_page_by_offset_and_limit)
{
    start_with(130);
    const ids all = plain_ids();
    list_options o;
    o.offset = 40;
    o.limit = 20;
    record_stream s = nb->dcim.devices.all(o).stream();
    EXPECT_EQ(drain(s), ids(all.begin() + 40, all.begin() + 60));
    const auto log = list_requests();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_TRUE(has_parameter(log[0], "offset=40") && has_parameter(log[0], "limit=20")) << log[0].query;
    EXPECT_EQ(s.report().first_count, 130u);
}

TEST_F(scan_modes, offset_without_a_positive_limit_is_refused_before_any_request)
{
    start_with(20);
    for (std::optional<std::size_t> limit : {std::optional<std::size_t>(), std::optional<std::size_t>(0)}) {
        list_options o;
        o.offset = 10;
        o.limit = limit;
        auto r = run(nb->dcim.devices.all(o).try_collect());
        EXPECT_NETBOX_ERROR(r, errc::invalid_argument);
    }
    EXPECT_TRUE(list_requests().empty());
}

TEST_F(scan_modes, strict_filters_fail_before_any_request)
{
    start_with(20);
    list_options o;
    o.strict_filters = true;
    record_stream s = nb->dcim.devices.filter({{"no_such_filter", "x"}}, o).stream();
    auto r = run(s.try_next());
    EXPECT_NETBOX_ERROR(r, errc::invalid_filter);
    EXPECT_TRUE(list_requests().empty());
}

TEST_F(scan_modes, count_reads_one_brief_row)
{
    start_with(130);
    const std::size_t active = plain_ids("status=active").size();
    EXPECT_EQ(run(nb->dcim.devices.all().count()), 130u);
    EXPECT_EQ(run(nb->dcim.devices.filter({{"status", "active"}}).count()), active);
    const auto log = list_requests();
    ASSERT_EQ(log.size(), 2u);
    for (const auto& r : log)
        EXPECT_TRUE(has_parameter(r, "limit=1") && has_parameter(r, "brief=1")) << r.query;
    EXPECT_TRUE(has_parameter(log[1], "status=active"));
}

TEST_F(scan_modes, collect_and_next_page)
{
    start_with(45);
    auto all = run(nb->dcim.devices.all(with(pagination::offset, 20)).try_collect());
    ASSERT_TRUE(all.has_value()) << all.error().what();
    EXPECT_EQ(all->size(), 45u);

    record_stream s = nb->dcim.devices.all(with(pagination::offset, 20)).stream();
    EXPECT_EQ(next_id(s), 1);
    // The rest of the current page first, then whole pages.
    auto rest = run(s.try_next_page());
    ASSERT_TRUE(rest.has_value() && rest->has_value());
    EXPECT_EQ((*rest)->size(), 19u);
    auto second = run(s.try_next_page());
    ASSERT_TRUE(second.has_value() && second->has_value());
    EXPECT_EQ((*second)->front().id(), 21);
    EXPECT_EQ((*second)->size(), 20u);
}

TEST_F(scan_modes, records_alias_their_page)
{
    start_with(10);
    auto all = run(nb->dcim.devices.all().try_collect());
    ASSERT_TRUE(all.has_value());
    ASSERT_EQ(all->size(), 10u);
    // Fields of records from one page live in one parsed document: one memory resource, not the
    // default one a copy would use.
    EXPECT_EQ((*all)[0]["name"].storage().get(), (*all)[9]["name"].storage().get());
    EXPECT_NE((*all)[0]["name"].storage().get(), json::storage_ptr().get());
}

TEST_F(scan_modes, destroying_a_stream_cancels_its_requests)
{
    testing::fault_options slow;
    slow.latency = 300ms;
    start_with(130, "4.5", {}, slow);
    // An api whose client reports how each call ended.
    struct ended {
        std::mutex mutex;
        std::vector<request_event> events;
    };
    auto log = std::make_shared<ended>();
    client_options c = component::options_for(server->url());
    c.token = server->token();
    c.observer = [log](const request_event& e) {
        if (e.what != request_event::kind::request)
            return;
        std::lock_guard lock(log->mutex);
        log->events.push_back(e);
    };
    api watched(client(io.get_executor(), c));
    const auto window_ends = [&] {
        std::lock_guard lock(log->mutex);
        std::vector<request_event> out;
        for (const request_event& e : log->events)
            if (e.path.find("offset=") != std::string::npos)
                out.push_back(e);
        return out;
    };
    {
        record_stream s = watched.dcim.devices.all(with(pagination::offset, 10, 3)).stream();
        EXPECT_EQ(next_id(s), 1);
        // Page 1 is here and pages 2-4 are in flight, each held up by the latency.
        EXPECT_TRUE(window_ends().empty());
    }
    // The window's three requests end as cancelled rather than with their pages.
    EXPECT_TRUE(drive_until([&] { return window_ends().size() >= 3; }));
    const auto ends = window_ends();
    ASSERT_EQ(ends.size(), 3u);
    for (const request_event& e : ends)
        EXPECT_EQ(e.error, make_error_code(errc::cancelled)) << e.path << " " << e.error.message();
    // And the api carries on.
    server->set_faults({});
    EXPECT_EQ(run(watched.dcim.devices.all().count()), 130u);
}

TEST_F(scan_modes, a_scan_on_an_io_context_run_by_several_threads)
{
    asio::io_context pool_io;
    start_with(130);
    const ids expected = plain_ids();
    client_options c = component::options_for(server->url());
    c.token = server->token();
    api threaded(client(pool_io.get_executor(), c));
    auto work = asio::make_work_guard(pool_io);
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([&] { pool_io.run(); });
    for (auto options : {with(pagination::offset, 10, 4), with(pagination::sharded_keyset, 10, 4),
                         with(pagination::offset, 10), with(pagination::keyset, 10)}) {
        const auto scan = [](api& nb, list_options o) -> asio::awaitable<ids> {
            record_stream s = nb.dcim.devices.all(std::move(o)).stream();
            ids out;
            while (auto r = co_await s.next())
                out.push_back(r->id());
            co_return out;
        };
        auto f = asio::co_spawn(pool_io, scan(threaded, options), asio::use_future);
        ASSERT_EQ(f.wait_for(component::step_limit), std::future_status::ready);
        ids got = f.get();
        if (options.mode == pagination::sharded_keyset)
            std::ranges::sort(got);
        EXPECT_EQ(got, expected);
    }
    work.reset();
    for (auto& t : threads)
        t.join();
}

}  // namespace
}  // namespace netbox::facade_test
