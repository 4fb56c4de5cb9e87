// Queries too long for one request target (a proxy's 414): split into chunks, scanned one after
// another, merged.
#include "scan_support.hpp"

namespace netbox::facade_test {
namespace {

constexpr std::size_t target_limit = 600;

class scan_split : public scan_test {
protected:
    void SetUp() override
    {
        testing::simulator_options sim = small_simulator("4.5", 200);
        sim.max_target_length = target_limit;
        api_options o;
        o.max_url_length = target_limit;
        start(sim, o);
    }

    void start_version(std::string version)
    {
        testing::simulator_options sim = small_simulator(std::move(version), 200);
        sim.max_target_length = target_limit;
        api_options o;
        o.max_url_length = target_limit;
        start(sim, o);
    }

    /// Every request fitted in the limit, and none got a 414.
    void expect_requests_fit()
    {
        for (const auto& r : requests()) {
            const std::size_t target = r.path.size() + (r.query.empty() ? 0 : 1 + r.query.size());
            EXPECT_LE(target, target_limit) << r.path << "?" << r.query;
            EXPECT_NE(r.status, 414);
        }
    }
};

/// 1..150 backwards, some ids twice (they land in different chunks), and ids no device has.
filter long_id_filter()
{
    std::vector<std::string> values;
    for (int id = 150; id >= 1; --id)
        values.push_back(std::to_string(id));
    for (int id : {3, 77, 140, 5000, 6000})
        values.push_back(std::to_string(id));
    return filter("id", std::move(values));
}

list_options pages(pagination mode, std::size_t limit, std::size_t concurrency = 1)
{
    list_options o;
    o.mode = mode;
    o.limit = limit;
    o.concurrency = concurrency;
    return o;
}

TEST_F(scan_split, the_simulator_refuses_the_long_query_in_one_request)
{
    query_params q;
    for (const std::string& v : long_id_filter().values)
        q.emplace_back("id", v);
    response r = run(nb->http().request(http_method::get, "/api/dcim/devices/", q));
    EXPECT_EQ(r.status, 414);
}

TEST_F(scan_split, a_long_id_filter_is_split_and_merged)
{
    struct split_case {
        const char* version;
        list_options options;
    };
    const std::vector<split_case> cases{
        {"4.5", pages(pagination::offset, 40)},       {"4.5", pages(pagination::offset, 40, 3)},
        {"4.5", pages(pagination::keyset, 40)},       {"4.6", pages(pagination::automatic, 40)},
        {"4.5", pages(pagination::sharded_keyset, 40, 2)},
    };
    for (const split_case& c : cases) {
        SCOPED_TRACE(c.version);
        SCOPED_TRACE(static_cast<int>(c.options.mode));
        start_version(c.version);
        record_stream s = nb->dcim.devices.filter({long_id_filter()}, c.options).stream();
        ids got = drain(s);
        std::ranges::sort(got);
        ids expected;
        for (std::int64_t id = 1; id <= 150; ++id)
            expected.push_back(id);
        EXPECT_EQ(got, expected);  // each once, though 3, 77 and 140 matched two chunks
        EXPECT_GT(s.report().url_splits, 1u);
        EXPECT_EQ(s.report().duplicates_dropped, 0u);  // overlapping chunks are no inconsistency
        EXPECT_TRUE(s.report().consistent());
        expect_requests_fit();
        std::size_t chunk_starts = 0;
        for (const auto& r : list_requests())
            chunk_starts += !has_key(r, "offset") && !has_key(r, "id__gt") && !has_parameter(r, "fields=id");
        if (c.options.mode != pagination::sharded_keyset && c.options.mode != pagination::automatic)
            EXPECT_EQ(chunk_starts, s.report().url_splits);
    }
}

TEST_F(scan_split, the_chunks_keep_the_other_filters)
{
    const std::size_t active = plain_ids("status=active&id__lte=150").size();
    const list_options o = pages(pagination::offset, 50);
    record_stream s = nb->dcim.devices.filter({long_id_filter(), {"status", "active"}}, o).stream();
    EXPECT_EQ(drain(s).size(), active);
    for (const auto& r : list_requests())
        EXPECT_TRUE(has_parameter(r, "status=active")) << r.query;
    expect_requests_fit();
}

TEST_F(scan_split, count_counts_distinct_ids_over_the_chunks)
{
    auto n = run(nb->dcim.devices.filter({long_id_filter()}).try_count());
    ASSERT_TRUE(n.has_value()) << n.error().what();
    EXPECT_EQ(*n, 150u);
    const auto log = list_requests();
    ASSERT_GE(log.size(), 2u);
    for (const auto& r : log)
        EXPECT_TRUE(has_parameter(r, "fields=id")) << r.query;
    expect_requests_fit();
}

TEST_F(scan_split, a_value_that_does_not_fit_alone_is_refused_before_any_request)
{
    const std::string huge(target_limit, 'x');
    auto r = run(nb->dcim.devices.filter({{"name", {huge, "b"}}}).try_collect());
    EXPECT_NETBOX_ERROR(r, errc::invalid_argument);
    // Percent-encoding counts: 250 bytes that each need three characters do not fit either.
    const std::string escaped(250, '/');
    auto e = run(nb->dcim.devices.filter({{"name", {escaped, "b"}}}).try_count());
    EXPECT_NETBOX_ERROR(e, errc::invalid_argument);
    EXPECT_TRUE(list_requests().empty());
}

TEST_F(scan_split, filters_whose_values_are_not_alternatives_are_not_split)
{
    // name__n=a&name__n=b means "neither": two requests would each let the other's value through.
    std::vector<std::string> names;
    for (int i = 0; i < 120; ++i)
        names.push_back("device-name-" + std::to_string(i));
    auto r = run(nb->dcim.devices.filter({filter("name__n", names)}).try_collect());
    EXPECT_NETBOX_ERROR(r, errc::invalid_argument);
    auto t = run(nb->dcim.devices.filter({filter("tag", names)}).try_collect());
    EXPECT_NETBOX_ERROR(t, errc::invalid_argument);
    EXPECT_TRUE(list_requests().empty());
}

TEST_F(scan_split, a_single_page_cannot_be_split)
{
    list_options o;
    o.offset = 10;
    o.limit = 10;
    auto r = run(nb->dcim.devices.filter({long_id_filter()}, o).try_collect());
    EXPECT_NETBOX_ERROR(r, errc::invalid_argument);
}

}  // namespace
}  // namespace netbox::facade_test
