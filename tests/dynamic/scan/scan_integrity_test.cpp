// Scans under trouble: transient failures mid-scan, objects created or deleted between pages,
// answers that are not pages.
#include "scan_support.hpp"

namespace netbox::facade_test {
namespace {

using scan_integrity = scan_test;

list_options offset_pages(std::size_t limit, std::size_t concurrency = 1)
{
    list_options o;
    o.mode = pagination::offset;
    o.limit = limit;
    o.concurrency = concurrency;
    return o;
}

TEST_F(scan_integrity, throttling_and_unavailability_mid_scan_are_retried)
{
    start_with(100);
    const ids expected = plain_ids();
    for (std::size_t concurrency : {1u, 3u}) {
        SCOPED_TRACE(concurrency);
        server->clear_requests();
        record_stream s = nb->dcim.devices.all(offset_pages(20, concurrency)).stream();
        ids got{next_id(s)};
        testing::fault_options faults;
        faults.status_sequence = {429, 503};
        faults.retry_after_seconds = 0;
        server->set_faults(faults);
        const ids rest = drain(s);
        got.insert(got.end(), rest.begin(), rest.end());
        EXPECT_EQ(got, expected);
        std::vector<int> statuses;
        for (const auto& r : list_requests())
            statuses.push_back(r.status);
        EXPECT_NE(std::ranges::find(statuses, 429), statuses.end());
        EXPECT_NE(std::ranges::find(statuses, 503), statuses.end());
        EXPECT_TRUE(s.report().consistent());
        server->set_faults({});
    }
}

TEST_F(scan_integrity, a_connection_broken_mid_page_is_retried)
{
    start_with(100);
    const ids expected = plain_ids();
    for (auto kind : {testing::fault_options::break_kind::reset_before_headers,
                      testing::fault_options::break_kind::truncate_body,
                      testing::fault_options::break_kind::reset_after_headers}) {
        SCOPED_TRACE(static_cast<int>(kind));
        server->clear_requests();
        record_stream s = nb->dcim.devices.all(offset_pages(20)).stream();
        ids got{next_id(s)};
        testing::fault_options faults;
        faults.connection_fault = kind;
        faults.connection_fault_count = 1;
        server->set_faults(faults);
        const ids rest = drain(s);
        got.insert(got.end(), rest.begin(), rest.end());
        EXPECT_EQ(got, expected);
        server->set_faults({});
    }
}

TEST_F(scan_integrity, an_error_ends_the_stream)
{
    start_with(100);
    list_options o = offset_pages(20);
    o.prefetch = false;  // page 2 is asked for once the faults are set
    record_stream s = nb->dcim.devices.all(o).stream();
    EXPECT_EQ(next_id(s), 1);
    testing::fault_options faults;
    faults.status_sequence = {500, 500, 500, 500, 500, 500};
    server->set_faults(faults);
    // The rest of page 1 is still there, then the failed page.
    for (int i = 2; i <= 20; ++i)
        EXPECT_EQ(next_id(s), i);
    auto failed = run(s.try_next());
    ASSERT_FALSE(failed.has_value());
    EXPECT_EQ(failed.error().status, 500);
    auto after = run(s.try_next());
    ASSERT_TRUE(after.has_value());
    EXPECT_FALSE(after->has_value());
}

TEST_F(scan_integrity, a_count_that_changes_mid_scan_is_reported)
{
    start_with(100);
    list_options o = offset_pages(20);
    o.prefetch = false;  // page 2 is asked for after the writes below
    record_stream s = nb->dcim.devices.all(o).stream();
    EXPECT_EQ(next_id(s), 1);
    for (int i = 0; i < 3; ++i)
        create_device("scan-added-" + std::to_string(i));
    const ids rest = drain(s);
    EXPECT_EQ(rest.size() + 1, 103u);
    EXPECT_EQ(s.report().first_count, 100u);
    EXPECT_EQ(s.report().last_count, 103u);
    EXPECT_TRUE(s.report().count_changed());
    EXPECT_FALSE(s.report().consistent());
    EXPECT_EQ(s.report().duplicates_dropped, 0u);
}

TEST_F(scan_integrity, a_count_that_changes_mid_scan_fails_under_the_fail_policy)
{
    start_with(100);
    list_options o = offset_pages(20);
    o.prefetch = false;
    o.integrity = integrity_policy::fail;
    record_stream s = nb->dcim.devices.all(o).stream();
    EXPECT_EQ(next_id(s), 1);
    delete_device(50);
    auto r = run([&]() -> asio::awaitable<result<std::optional<record>>> {
        for (;;) {
            auto n = co_await s.try_next();
            if (!n || !*n)
                co_return n;
        }
    }());
    EXPECT_NETBOX_ERROR(r, errc::inconsistent_pagination);
}

TEST_F(scan_integrity, rows_shifted_into_the_next_page_are_dropped_and_reported)
{
    start_with(100);
    // Newest first: objects created after page 1 push page 1's last rows into page 2.
    list_options o = offset_pages(20);
    o.ordering = "-id";
    o.prefetch = false;
    record_stream s = nb->dcim.devices.all(o).stream();
    ids got;
    for (int i = 0; i < 20; ++i)
        got.push_back(next_id(s));
    EXPECT_EQ(got.front(), 100);
    for (int i = 0; i < 4; ++i)
        create_device("scan-shift-" + std::to_string(i));
    const ids rest = drain(s);
    got.insert(got.end(), rest.begin(), rest.end());
    // Every original device once, none of the new ones (they sort before the offset reached).
    ids expected;
    for (std::int64_t id = 100; id >= 1; --id)
        expected.push_back(id);
    EXPECT_EQ(got, expected);
    EXPECT_EQ(s.report().duplicates_dropped, 4u);
    EXPECT_EQ(s.report().records, 100u);
    EXPECT_FALSE(s.report().consistent());

    // The same with the fail policy: an error instead of the repeated rows.
    server->clear_requests();
    o.integrity = integrity_policy::fail;
    record_stream strict = nb->dcim.devices.all(o).stream();
    for (int i = 0; i < 20; ++i)
        EXPECT_NE(next_id(strict), 0);
    create_device("scan-shift-late");
    auto failed = run([&]() -> asio::awaitable<result<std::optional<record>>> {
        for (;;) {
            auto n = co_await strict.try_next();
            if (!n || !*n)
                co_return n;
        }
    }());
    EXPECT_NETBOX_ERROR(failed, errc::inconsistent_pagination);
}

TEST_F(scan_integrity, concurrent_pages_report_a_count_change)
{
    start_with(100);
    list_options o = offset_pages(10, 2);
    record_stream s = nb->dcim.devices.all(o).stream();
    EXPECT_EQ(next_id(s), 1);
    for (int i = 0; i < 25; ++i)
        create_device("scan-window-" + std::to_string(i));
    const ids rest = drain(s);
    EXPECT_TRUE(s.report().count_changed());
    EXPECT_EQ(s.report().first_count, 100u);
    EXPECT_EQ(s.report().last_count, 125u);
    // Rows added at the end are fetched too, once each.
    EXPECT_EQ(rest.size() + 1, 125u);
}

/// A test server answering every device list with `body`.
class scan_answers : public ::testing::Test {
protected:
    asio::io_context io;
};

TEST_F(scan_answers, a_2xx_that_is_not_a_page_is_a_content_error)
{
    for (const char* body : {R"({"results": {}})", R"([1, 2])", R"({"count": 1, "results": []})", "not json"}) {
        SCOPED_TRACE(body);
        component::test_server server([body](const component::received_request& r) {
            if (r.target == "/api/")
                return component::json_reply(200, "{}", {{"API-Version", "4.5"}});
            return component::json_reply(200, body);
        });
        client_options c = component::options_for(server.url());
        api nb(client(io.get_executor(), c));
        auto r = component::run(io, nb.dcim.devices.all().try_collect());
        EXPECT_NETBOX_ERROR(r, errc::content_error);
    }
}

TEST_F(scan_answers, next_links_of_another_host_are_rebased_on_the_base_url)
{
    // A proxy makes the server report itself wrong; the second page must still come from us.
    component::test_server server([](const component::received_request& r) {
        if (r.target == "/api/")
            return component::json_reply(200, "{}", {{"API-Version", "4.5"}});
        if (r.target.find("offset=2") != std::string::npos)
            return component::json_reply(200, R"({"count": 3, "next": null, "previous": null,
                                                  "results": [{"id": 3}]})");
        return component::json_reply(200, R"({"count": 3, "previous": null,
            "next": "http://wrong-host:8080/netbox/api/dcim/devices/?limit=2&offset=2",
            "results": [{"id": 1}, {"id": 2}]})");
    });
    client_options c = component::options_for(server.url());
    list_options o;
    o.mode = pagination::offset;
    o.limit = 2;
    api nb(client(io.get_executor(), c));
    auto r = component::run(io, nb.dcim.devices.all(o).try_collect());
    ASSERT_TRUE(r.has_value()) << r.error().what();
    ASSERT_EQ(r->size(), 3u);
    EXPECT_EQ((*r)[2].id(), 3);
    const auto log = server.requests();
    ASSERT_FALSE(log.empty());
    EXPECT_EQ(log.back().target, "/api/dcim/devices/?limit=2&offset=2");
}

}  // namespace
}  // namespace netbox::facade_test
