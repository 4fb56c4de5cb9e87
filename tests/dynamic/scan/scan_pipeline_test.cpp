// Pipelined offset scans (list_options::pipeline_depth): pages requested several at a time on one
// connection, yielded in page order, and what happens when the connection or the server fails.
#include "scan_support.hpp"

#include "client/client_impl.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <future>
#include <set>
#include <thread>

namespace netbox::facade_test {
namespace {

class scan_pipeline : public scan_test {
protected:
    /// The records of a scan whose faults are set once its first page is in, so that they hit the
    /// pipelined batches rather than the first request.
    ids scan_with_faults_after_the_first_page(record_stream& s, const testing::fault_options& faults)
    {
        ids got{next_id(s)};
        server->set_faults(faults);
        const ids rest = drain(s);
        got.insert(got.end(), rest.begin(), rest.end());
        return got;
    }
};
using break_kind = testing::fault_options::break_kind;

list_options pipelined(std::size_t depth, std::size_t limit = 10, std::size_t concurrency = 1)
{
    list_options o;
    o.mode = pagination::offset;
    o.limit = limit;
    o.concurrency = concurrency;
    o.pipeline_depth = depth;
    return o;
}

std::set<std::size_t> connections_of(const std::vector<testing::recorded_request>& log)
{
    std::set<std::size_t> out;
    for (const auto& r : log)
        out.insert(r.connection);
    return out;
}

TEST_F(scan_pipeline, yields_what_a_sequential_scan_yields_in_order)
{
    start_with(130);
    const ids expected = plain_ids();
    record_stream sequential = nb->dcim.devices.all(pipelined(1)).stream();
    ASSERT_EQ(drain(sequential), expected);
    for (std::size_t concurrency : {1u, 2u}) {
        for (std::size_t depth : {2u, 4u, 8u}) {
            SCOPED_TRACE(std::to_string(concurrency) + " x depth " + std::to_string(depth));
            server->clear_requests();
            record_stream s = nb->dcim.devices.all(pipelined(depth, 10, concurrency)).stream();
            EXPECT_EQ(drain(s), expected);
            EXPECT_EQ(s.report().pages, 13u);
            EXPECT_EQ(s.report().mode, pagination::offset);
            EXPECT_TRUE(s.report().consistent());
            // One request per page, none twice, no empty page after the last.
            const auto log = list_requests();
            EXPECT_EQ(log.size(), 13u);
            std::set<std::string> queries;
            for (const auto& r : log)
                queries.insert(r.query);
            EXPECT_EQ(queries.size(), 13u);
        }
    }
}

TEST_F(scan_pipeline, pages_are_requested_depth_at_a_time_on_one_connection)
{
    start_with(130);
    in_flight_counter counter;
    list_options o = pipelined(4);
    counter.attach(o.request);
    record_stream s = nb->dcim.devices.all(o).stream();
    EXPECT_EQ(drain(s).size(), 130u);
    // Four requests made before any of their answers was read, all on the first page's connection.
    EXPECT_EQ(counter.most->load(), 4);
    const auto log = list_requests();
    ASSERT_EQ(log.size(), 13u);
    EXPECT_EQ(connections_of(log).size(), 1u);

    // With concurrency 2, two connections, each with a batch of up to four.
    server->clear_requests();
    in_flight_counter two;
    list_options o2 = pipelined(4, 10, 2);
    two.attach(o2.request);
    record_stream s2 = nb->dcim.devices.all(o2).stream();
    EXPECT_EQ(drain(s2).size(), 130u);
    EXPECT_EQ(two.most->load(), 8);
    EXPECT_EQ(connections_of(list_requests()).size(), 2u);
}

TEST_F(scan_pipeline, the_depth_defaults_to_the_api_option_and_is_capped_by_the_client)
{
    api_options defaults;
    defaults.pipeline_depth = 3;
    start(small_simulator("4.5", 130), defaults);
    in_flight_counter counter;
    list_options o = pipelined(0);
    counter.attach(o.request);
    record_stream s = nb->dcim.devices.all(o).stream();
    EXPECT_EQ(drain(s).size(), 130u);
    EXPECT_EQ(counter.most->load(), 3);

    // pool_options::max_pipeline_depth bounds whatever a scan asks for; 1 turns pipelining off.
    for (std::size_t cap : {2u, 1u}) {
        SCOPED_TRACE(cap);
        client_options c = component::options_for(server->url());
        c.token = server->token();
        c.pool.max_pipeline_depth = cap;
        api capped(client(io.get_executor(), c));
        in_flight_counter capped_counter;
        list_options deep = pipelined(8);
        capped_counter.attach(deep.request);
        record_stream t = capped.dcim.devices.all(deep).stream();
        EXPECT_EQ(drain(t).size(), 130u);
        EXPECT_EQ(capped_counter.most->load(), static_cast<int>(cap));
    }
}

TEST_F(scan_pipeline, without_prefetch_nothing_is_pipelined)
{
    start_with(60);
    in_flight_counter counter;
    list_options o = pipelined(4);
    o.prefetch = false;
    counter.attach(o.request);
    record_stream s = nb->dcim.devices.all(o).stream();
    EXPECT_EQ(drain(s).size(), 60u);
    EXPECT_EQ(counter.most->load(), 1);
}

TEST_F(scan_pipeline, a_server_that_closes_every_connection_still_gets_the_scan_done)
{
    // gunicorn's way: Connection: close on every answer, so each batch gets one answer and the
    // rest of it is sent again.
    testing::simulator_options sim = small_simulator("4.5", 130);
    sim.connection_close = true;
    start(sim);
    const ids expected = plain_ids();
    for (std::size_t concurrency : {1u, 2u}) {
        SCOPED_TRACE(concurrency);
        server->clear_requests();
        record_stream s = nb->dcim.devices.all(pipelined(4, 10, concurrency)).stream();
        EXPECT_EQ(drain(s), expected);
        EXPECT_TRUE(s.report().consistent());
        const auto log = list_requests();
        EXPECT_GE(log.size(), 13u);
        for (const auto& r : log)
            EXPECT_EQ(r.status, 200) << r.query;
        EXPECT_GE(connections_of(log).size(), 13u);  // one per answer
    }
}

TEST_F(scan_pipeline, a_connection_broken_mid_batch_is_recovered)
{
    start_with(130);
    const ids expected = plain_ids();
    for (auto kind : {break_kind::reset_before_headers, break_kind::reset_after_headers, break_kind::truncate_body}) {
        SCOPED_TRACE(static_cast<int>(kind));
        server->clear_requests();
        record_stream s = nb->dcim.devices.all(pipelined(4)).stream();
        testing::fault_options faults;
        faults.connection_fault = kind;
        faults.connection_fault_count = 1;
        EXPECT_EQ(scan_with_faults_after_the_first_page(s, faults), expected);
        EXPECT_TRUE(s.report().consistent());
        EXPECT_EQ(s.report().pages, 13u);
        const auto log = list_requests();
        EXPECT_GT(log.size(), 13u);                   // the broken page (and what followed it) again
        EXPECT_GE(connections_of(log).size(), 2u);    // on a new connection
        if (kind == break_kind::reset_before_headers)
            EXPECT_TRUE(std::ranges::any_of(log, [](const auto& r) { return r.status == 0; }));
        server->set_faults({});
    }
}

TEST_F(scan_pipeline, throttling_and_unavailability_mid_batch_are_retried)
{
    start_with(130);
    const ids expected = plain_ids();
    server->clear_requests();
    record_stream s = nb->dcim.devices.all(pipelined(4, 10, 2)).stream();
    testing::fault_options faults;
    faults.status_sequence = {503, 429};
    faults.retry_after_seconds = 0;
    EXPECT_EQ(scan_with_faults_after_the_first_page(s, faults), expected);
    EXPECT_TRUE(s.report().consistent());
    std::vector<int> statuses;
    for (const auto& r : list_requests())
        statuses.push_back(r.status);
    EXPECT_EQ(std::ranges::count(statuses, 503), 1);
    EXPECT_EQ(std::ranges::count(statuses, 429), 1);
    EXPECT_EQ(statuses.size(), 15u);  // 13 pages and the two answers retried
}

TEST_F(scan_pipeline, a_500_mid_batch_ends_the_stream_with_it)
{
    start_with(130);
    record_stream s = nb->dcim.devices.all(pipelined(4)).stream();
    EXPECT_EQ(next_id(s), 1);
    testing::fault_options faults;
    faults.status_sequence = {500, 500, 500, 500, 500, 500, 500, 500};
    server->set_faults(faults);
    auto r = run([&]() -> asio::awaitable<result<std::optional<record>>> {
        for (;;) {
            auto n = co_await s.try_next();
            if (!n || !*n)
                co_return n;
        }
    }());
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().status, 500);
}

TEST_F(scan_pipeline, destroying_a_stream_closes_the_pipelined_connection)
{
    testing::fault_options slow;
    slow.latency = 500ms;  // the batch of four takes 2 s: still on the wire when the stream goes
    start_with(130, "4.5", {}, slow);
    const auto& impl = detail::impl_of(nb->http());
    const auto pool = impl->pool_for(impl->base.where);
    {
        record_stream s = nb->dcim.devices.all(pipelined(4)).stream();
        EXPECT_EQ(next_id(s), 1);
        // Page 1 is here; pages 2-5 are written on its connection and held up by the latency.
        EXPECT_TRUE(drive_until([&] { return list_requests().size() >= 2; }));
        EXPECT_EQ(pool->stats().open, 1u);
        EXPECT_EQ(pool->stats().idle, 0u);
    }
    // The batch ends cancelled and its connection is closed, not given back with answers unread.
    EXPECT_TRUE(drive_until([&] { return pool->stats().open == 0; }));
    EXPECT_EQ(pool->stats().idle, 0u);
    // And the api carries on.
    server->set_faults({});
    record_stream again = nb->dcim.devices.all(pipelined(4)).stream();
    EXPECT_EQ(drain(again).size(), 130u);
}

TEST_F(scan_pipeline, a_query_split_into_chunks_is_pipelined_chunk_after_chunk)
{
    // A proxy's limit on the request target splits the id filter into several chunks; batches of
    // one chunk may still be finishing when the next chunk starts.
    constexpr std::size_t target_limit = 600;
    testing::simulator_options sim = small_simulator("4.5", 200);
    sim.max_target_length = target_limit;
    api_options o;
    o.max_url_length = target_limit;
    start(sim, o);
    std::vector<std::string> values;
    for (int id = 150; id >= 1; --id)
        values.push_back(std::to_string(id));
    const filters long_ids{filter("id", std::move(values))};
    for (std::size_t concurrency : {1u, 2u}) {
        SCOPED_TRACE(concurrency);
        record_stream s = nb->dcim.devices.filter(long_ids, pipelined(3, 5, concurrency)).stream();
        ids got = drain(s);
        std::ranges::sort(got);
        ids expected;
        for (std::int64_t id = 1; id <= 150; ++id)
            expected.push_back(id);
        EXPECT_EQ(got, expected);
        EXPECT_GT(s.report().url_splits, 1u);
        EXPECT_TRUE(s.report().consistent());
    }
}

TEST_F(scan_pipeline, on_an_io_context_run_by_several_threads)
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
    for (auto options : {pipelined(4), pipelined(3, 10, 2), pipelined(8, 7, 3)}) {
        const auto scan = [](api& nb, list_options o) -> asio::awaitable<ids> {
            record_stream s = nb.dcim.devices.all(std::move(o)).stream();
            ids out;
            while (auto r = co_await s.next())
                out.push_back(r->id());
            co_return out;
        };
        auto f = asio::co_spawn(pool_io, scan(threaded, options), asio::use_future);
        ASSERT_EQ(f.wait_for(component::step_limit), std::future_status::ready);
        EXPECT_EQ(f.get(), expected);
    }
    work.reset();
    for (auto& t : threads)
        t.join();
}

TEST_F(scan_pipeline, a_branch_header_reaches_every_pipelined_request)
{
    start_with(60);
    api branched = nb->branch("scan-branch");
    record_stream s = branched.dcim.devices.all(pipelined(4)).stream();
    drain(s);
    const auto log = list_requests();
    ASSERT_EQ(log.size(), 6u);
    for (const auto& r : log)
        EXPECT_EQ(r.header("X-NetBox-Branch"), "scan-branch") << r.query;
}

}  // namespace
}  // namespace netbox::facade_test
