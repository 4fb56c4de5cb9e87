// Bulk writes of endpoints: batches, per-batch reports, stop_on_error, and what is sent.
#include "support/facade_support.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>

namespace netbox::facade_test {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

using bulk = facade_test;

json::array tags(std::size_t n, std::string_view prefix = "bulk")
{
    json::array out;
    for (std::size_t i = 0; i < n; ++i) {
        const std::string name = std::string(prefix) + "-" + std::to_string(i);
        out.push_back(json::object{{"name", name}, {"slug", name}});
    }
    return out;
}

std::vector<testing::recorded_request> with_method(const std::vector<testing::recorded_request>& log,
                                                   std::string_view method)
{
    std::vector<testing::recorded_request> out;
    std::ranges::copy_if(log, std::back_inserter(out), [&](const auto& r) { return r.method == method; });
    return out;
}

// --- create -------------------------------------------------------------------------------------------

TEST_F(bulk, create_splits_into_batches_and_reports_each)
{
    write_options o;
    o.batch_size = 100;
    const bulk_result r = run(nb->extras.tags.create(tags(250), o));
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.first_error(), nullptr);
    ASSERT_EQ(r.records.size(), 250u);
    EXPECT_EQ(r.records.front().get_string("name"), "bulk-0");
    EXPECT_EQ(r.records.back().get_string("name"), "bulk-249");
    EXPECT_EQ(r.records.back().endpoint_path(), "extras/tags");
    ASSERT_EQ(r.batches.size(), 3u);
    EXPECT_EQ(r.batches[0].first, 0u);
    EXPECT_EQ(r.batches[0].size, 100u);
    EXPECT_EQ(r.batches[1].first, 100u);
    EXPECT_EQ(r.batches[2].first, 200u);
    EXPECT_EQ(r.batches[2].size, 50u);
    for (const auto& b : r.batches) {
        EXPECT_FALSE(b.failure.has_value());
        EXPECT_FALSE(b.skipped);
    }

    const auto posts = with_method(requests(), "POST");
    ASSERT_EQ(posts.size(), 3u);
    for (std::size_t i = 0; i < posts.size(); ++i) {
        EXPECT_EQ(posts[i].path, "/api/extras/tags/");
        const json::value body = json::parse(posts[i].body);
        ASSERT_TRUE(body.is_array());
        EXPECT_EQ(body.as_array().size(), i < 2 ? 100u : 50u);
        EXPECT_EQ(body.as_array().front().at("name").as_string(), "bulk-" + std::to_string(i * 100));
    }
    EXPECT_EQ(run(nb->extras.tags.count()), 253u);
}

TEST_F(bulk, batch_size_defaults_to_the_apis)
{
    api_options options;
    options.batch_size = 4;
    start(small_simulator(), options);
    const bulk_result r = run(nb->extras.tags.create(tags(10)));
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.batches.size(), 3u);
    EXPECT_EQ(with_method(requests(), "POST").size(), 3u);
}

TEST_F(bulk, a_failed_batch_stops_the_later_ones)
{
    json::array objects = tags(250);
    objects[150].as_object().erase("slug");  // item 50 of batch 2
    write_options o;
    o.batch_size = 100;
    auto r = run(nb->extras.tags.try_create(objects, o));
    ASSERT_TRUE(r.has_value()) << r.error().what();
    EXPECT_FALSE(r->ok());
    ASSERT_EQ(r->batches.size(), 3u);
    EXPECT_FALSE(r->batches[0].failure);
    ASSERT_TRUE(r->batches[1].failure);
    EXPECT_FALSE(r->batches[1].skipped);
    EXPECT_TRUE(r->batches[2].skipped);
    EXPECT_FALSE(r->batches[2].failure);
    EXPECT_EQ(r->records.size(), 100u);

    const error* e = r->first_error();
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e, &*r->batches[1].failure);
    EXPECT_EQ(e->code, make_error_code(errc::http_status));
    EXPECT_EQ(e->status, 400);
    // NetBox's "[50].slug" is given as the index in the caller's list.
    ASSERT_EQ(e->field_errors.size(), 1u) << e->what();
    EXPECT_EQ(e->field_errors[0].field, "[150].slug");
    EXPECT_NE(e->message.find("batch 2 of 3"), std::string::npos) << e->message;

    EXPECT_EQ(with_method(requests(), "POST").size(), 2u);
    EXPECT_EQ(run(nb->extras.tags.count()), 103u);  // the first batch only; NetBox writes all or none
}

TEST_F(bulk, without_stop_on_error_later_batches_are_still_written)
{
    json::array objects = tags(250);
    objects[150].as_object().erase("slug");
    write_options o;
    o.batch_size = 100;
    o.stop_on_error = false;
    auto r = run(nb->extras.tags.try_create(objects, o));
    ASSERT_TRUE(r.has_value()) << r.error().what();
    EXPECT_FALSE(r->ok());
    EXPECT_TRUE(r->batches[1].failure);
    EXPECT_FALSE(r->batches[2].skipped);
    EXPECT_FALSE(r->batches[2].failure);
    EXPECT_EQ(r->records.size(), 150u);
    EXPECT_EQ(with_method(requests(), "POST").size(), 3u);
    EXPECT_EQ(run(nb->extras.tags.count()), 153u);
}

TEST_F(bulk, the_throwing_form_throws_the_first_failed_batch)
{
    json::array objects = tags(3);
    objects[2].as_object().erase("slug");
    try {
        (void)run(nb->extras.tags.create(objects));
        ADD_FAILURE() << "create() did not throw";
    } catch (const api_error& e) {
        EXPECT_EQ(e.status(), 400);
        ASSERT_EQ(e.info().field_errors.size(), 1u);
        EXPECT_EQ(e.info().field_errors[0].field, "[2].slug");
    }
}

TEST_F(bulk, a_batch_lost_on_the_wire_is_reported_maybe_committed_and_not_repeated)
{
    testing::fault_options faults;
    faults.connection_fault = testing::fault_options::break_kind::reset_before_headers;
    faults.connection_fault_count = 1;
    server->set_faults(faults);

    write_options o;
    o.batch_size = 2;
    auto r = run(nb->extras.tags.try_create(tags(4), o));
    ASSERT_TRUE(r.has_value()) << r.error().what();
    ASSERT_EQ(r->batches.size(), 2u);
    ASSERT_TRUE(r->batches[0].failure);
    EXPECT_EQ(r->batches[0].failure->code, make_error_code(errc::maybe_committed));
    EXPECT_TRUE(r->batches[0].failure->maybe_committed);
    EXPECT_TRUE(r->batches[1].skipped);

    EXPECT_EQ(with_method(requests(), "POST").size(), 1u);
    // The simulator processed the request before breaking the connection: it was committed.
    EXPECT_EQ(run(nb->extras.tags.count()), 5u);
}

TEST_F(bulk, non_objects_are_refused_before_any_request)
{
    json::array objects = tags(3);
    objects[1] = 42;
    auto r = run(nb->extras.tags.try_create(objects));
    EXPECT_NETBOX_ERROR(r, errc::invalid_argument);
    EXPECT_TRUE(requests().empty());
}

TEST_F(bulk, empty_input_sends_nothing)
{
    auto r = run(nb->extras.tags.try_create(json::array()));
    ASSERT_TRUE(r.has_value());
    EXPECT_TRUE(r->ok());
    EXPECT_TRUE(r->batches.empty());
    auto d = run(nb->extras.tags.try_delete(std::vector<std::int64_t>()));
    ASSERT_TRUE(d.has_value());
    EXPECT_TRUE(d->ok());
    EXPECT_TRUE(requests().empty());
}

// --- update -------------------------------------------------------------------------------------------

TEST_F(bulk, update_of_records_sends_only_the_changed_ones)
{
    std::vector<record> sites;
    for (std::int64_t id = 1; id <= 3; ++id) {
        auto site = run(nb->dcim.sites.get(id));
        ASSERT_TRUE(site.has_value());
        sites.push_back(*site);
    }
    sites[0].set("description", "first");
    sites[2].set("description", "third");
    server->clear_requests();

    const bulk_result r = run(nb->dcim.sites.update(sites));
    EXPECT_TRUE(r.ok());
    ASSERT_EQ(r.records.size(), 2u);
    EXPECT_EQ(r.records[0].get_string("description"), "first");
    ASSERT_EQ(r.batches.size(), 1u);
    EXPECT_EQ(r.batches[0].size, 2u);

    const auto log = requests();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].method, "PATCH");
    EXPECT_EQ(log[0].path, "/api/dcim/sites/");
    const json::value expected = json::parse(R"([{"description": "first", "id": 1}, {"description": "third", "id": 3}])");
    EXPECT_EQ(json::parse(log[0].body), expected) << log[0].body;
    EXPECT_EQ(run(nb->dcim.sites.get(3))->get_string("description"), "third");
}

TEST_F(bulk, update_with_nothing_changed_sends_nothing)
{
    auto site = run(nb->dcim.sites.get(1));
    ASSERT_TRUE(site.has_value());
    server->clear_requests();
    std::vector<record> unchanged{*site};
    const bulk_result r = run(nb->dcim.sites.update(unchanged));
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(r.batches.empty());
    EXPECT_TRUE(requests().empty());
}

TEST_F(bulk, update_of_objects_needs_an_id_in_each)
{
    json::array objects{json::object{{"id", 1}, {"description", "a"}}, json::object{{"description", "b"}}};
    auto refused = run(nb->dcim.sites.try_update(objects));
    EXPECT_NETBOX_ERROR(refused, errc::invalid_argument);
    EXPECT_TRUE(requests().empty());

    std::vector<record> records{record(nb->dcim.sites.where(), json::object{{"name", "no id"}})};
    records[0].set("description", "x");
    auto refused_records = run(nb->dcim.sites.try_update(records));
    EXPECT_NETBOX_ERROR(refused_records, errc::invalid_argument);
    EXPECT_TRUE(requests().empty());

    json::array good{json::object{{"id", 1}, {"description", "a"}}, json::object{{"id", 2}, {"description", "b"}}};
    const bulk_result r = run(nb->dcim.sites.update(good));
    EXPECT_TRUE(r.ok());
    ASSERT_EQ(r.records.size(), 2u);
    EXPECT_EQ(r.records[1].get_string("description"), "b");
}

TEST_F(bulk, records_of_another_endpoint_are_refused)
{
    auto device = run(nb->dcim.devices.get(1));
    ASSERT_TRUE(device.has_value());
    server->clear_requests();
    std::vector<record> wrong{*device};
    EXPECT_NETBOX_ERROR(run(nb->dcim.sites.try_delete(wrong)), errc::invalid_argument);
    wrong[0].set("description", "x");
    EXPECT_NETBOX_ERROR(run(nb->dcim.sites.try_update(wrong)), errc::invalid_argument);
    EXPECT_TRUE(requests().empty());
}

// --- delete -------------------------------------------------------------------------------------------

TEST_F(bulk, delete_by_ids_in_batches)
{
    const bulk_result created = run(nb->extras.tags.create(tags(5)));
    std::vector<std::int64_t> ids;
    for (const record& r : created.records)
        ids.push_back(r.id());
    server->clear_requests();

    write_options o;
    o.batch_size = 2;
    const bulk_result r = run(nb->extras.tags.delete_(ids, o));
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(r.records.empty());
    EXPECT_EQ(r.batches.size(), 3u);

    const auto deletes = with_method(requests(), "DELETE");
    ASSERT_EQ(deletes.size(), 3u);
    EXPECT_EQ(deletes[0].path, "/api/extras/tags/");
    const json::value first = json::object{{"id", ids[0]}};
    const json::value second = json::object{{"id", ids[1]}};
    EXPECT_EQ(json::parse(deletes[0].body), json::value(json::array{first, second}));
    EXPECT_EQ(run(nb->extras.tags.count()), 3u);
}

TEST_F(bulk, delete_of_a_missing_id_fails_its_batch)
{
    std::vector<std::int64_t> ids{999'999};
    auto r = run(nb->extras.tags.try_delete(ids));
    ASSERT_TRUE(r.has_value());
    EXPECT_FALSE(r->ok());
    ASSERT_NE(r->first_error(), nullptr);
    EXPECT_EQ(r->first_error()->status, 404);

    std::vector<std::int64_t> not_ids{3, 0};
    EXPECT_NETBOX_ERROR(run(nb->extras.tags.try_delete(not_ids)), errc::invalid_argument);
}

TEST_F(bulk, delete_by_records)
{
    const bulk_result created = run(nb->extras.tags.create(tags(3)));
    ASSERT_EQ(created.records.size(), 3u);
    server->clear_requests();
    const bulk_result r = run(nb->extras.tags.delete_(created.records));
    EXPECT_TRUE(r.ok());
    const auto log = requests();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].method, "DELETE");
    EXPECT_EQ(json::parse(log[0].body).as_array().size(), 3u);
    EXPECT_EQ(run(nb->extras.tags.count()), 3u);
}

TEST_F(bulk, delete_by_record_set_collects_then_deletes)
{
    (void)run(nb->extras.tags.create(tags(7, "gone")));
    server->clear_requests();
    filters doomed{{"name__isw", "gone-"}};
    const bulk_result r = run(nb->extras.tags.delete_(nb->extras.tags.filter(doomed)));
    EXPECT_TRUE(r.ok());
    const auto log = requests();
    ASSERT_FALSE(log.empty());
    EXPECT_EQ(log.front().method, "GET");
    EXPECT_EQ(log.back().method, "DELETE");
    EXPECT_EQ(json::parse(log.back().body).as_array().size(), 7u);
    EXPECT_EQ(run(nb->extras.tags.count()), 3u);

    auto wrong = run(nb->extras.tags.try_delete(nb->dcim.sites.all()));
    EXPECT_NETBOX_ERROR(wrong, errc::invalid_argument);
}

}  // namespace
}  // namespace netbox::facade_test
