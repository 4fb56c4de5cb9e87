// Single-object operations of endpoints against the simulator: get by id and by filters, count,
// create (JSON and multipart), choices, strict filters and the errors NetBox answers with.
#include "support/facade_support.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>

namespace netbox::facade_test {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

using endpoint_ops = facade_test;

std::size_t count_of(const std::vector<testing::recorded_request>& log, std::string_view method)
{
    return static_cast<std::size_t>(std::ranges::count_if(log, [&](const auto& r) { return r.method == method; }));
}

// --- get ----------------------------------------------------------------------------------------------

TEST_F(endpoint_ops, get_by_id_returns_the_object)
{
    auto device = run(nb->dcim.devices.get(1));
    ASSERT_TRUE(device.has_value());
    EXPECT_EQ(device->id(), 1);
    EXPECT_EQ(device->get_string("name"), "sw01.ber-dc1");
}

TEST_F(endpoint_ops, get_by_id_of_a_missing_object_is_empty)
{
    auto missing = run(nb->dcim.devices.try_get(999'999));
    ASSERT_TRUE(missing.has_value()) << missing.error().what();
    EXPECT_FALSE(missing->has_value());
    const auto log = requests();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].status, 404);
}

TEST_F(endpoint_ops, get_by_id_sends_the_field_selection)
{
    list_options o;
    o.fields = {"id", "name"};
    o.exclude = {"config_context"};
    auto device = run(nb->dcim.devices.get(3, o));
    ASSERT_TRUE(device.has_value());
    EXPECT_TRUE(device->contains("name"));
    EXPECT_FALSE(device->contains("site"));
    const auto log = requests();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].path, "/api/dcim/devices/3/");
    EXPECT_EQ(log[0].query, "fields=id%2Cname&exclude=config_context");
}

TEST_F(endpoint_ops, get_by_filters_finds_one_none_or_refuses_several)
{
    filters one{{"name", "sw01.ber-dc1"}};
    auto found = run(nb->dcim.devices.get(one));
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->id(), 1);

    filters none{{"name", "no-such-device"}};
    EXPECT_FALSE(run(nb->dcim.devices.get(none)).has_value());

    filters many{{"site", "ber-dc1"}};
    auto ambiguous = run(nb->dcim.devices.try_get(many));
    EXPECT_NETBOX_ERROR(ambiguous, errc::ambiguous_result);
    if (ambiguous.has_error())
        EXPECT_NE(ambiguous.error().message.find("/api/dcim/devices/"), std::string::npos) << ambiguous.error().what();

    const auto log = requests();
    ASSERT_EQ(log.size(), 3u);
    EXPECT_EQ(log[0].query, "name=sw01.ber-dc1&limit=2");
    EXPECT_EQ(log[2].query, "site=ber-dc1&limit=2");
}

TEST_F(endpoint_ops, get_without_filters_is_refused_before_any_request)
{
    auto refused = run(nb->dcim.devices.try_get(filters()));
    EXPECT_NETBOX_ERROR(refused, errc::invalid_argument);
    EXPECT_TRUE(requests().empty());
}

// --- count --------------------------------------------------------------------------------------------

TEST_F(endpoint_ops, count_asks_for_one_brief_row)
{
    filters at{{"site", "ber-dc1"}};
    const std::size_t in_site = run(nb->dcim.devices.count(at));
    const std::size_t all = run(nb->dcim.devices.count());
    EXPECT_EQ(all, 60u);
    EXPECT_GT(in_site, 1u);
    EXPECT_LT(in_site, all);
    const auto log = requests();
    ASSERT_EQ(log.size(), 2u);
    for (const auto& r : log) {
        EXPECT_EQ(r.path, "/api/dcim/devices/");
        EXPECT_NE(r.query.find("limit=1"), std::string::npos) << r.query;
        EXPECT_NE(r.query.find("brief="), std::string::npos) << r.query;
    }
    EXPECT_NE(log[0].query.find("site=ber-dc1"), std::string::npos) << log[0].query;
}

// --- create -------------------------------------------------------------------------------------------

TEST_F(endpoint_ops, create_posts_one_object_and_returns_the_record)
{
    json::object tag{{"name", "edge"}, {"slug", "edge"}, {"color", "00ff00"}};
    record created = run(nb->extras.tags.create(tag));
    EXPECT_GT(created.id(), 0);
    EXPECT_EQ(created.get_string("slug"), "edge");
    EXPECT_EQ(created.endpoint_path(), "extras/tags");

    const auto log = requests();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].method, "POST");
    EXPECT_EQ(log[0].path, "/api/extras/tags/");
    EXPECT_EQ(json::parse(log[0].body), json::value(tag));
    EXPECT_TRUE(run(nb->extras.tags.get(created.id())).has_value());
}

TEST_F(endpoint_ops, create_with_a_file_sends_multipart_form_data)
{
    json::object fields{{"object_type", "dcim.site"}, {"object_id", 1}, {"name", "front view"}};
    std::vector<file_part> files{file_part::from_bytes("image", "rack.png", std::string("\x89PNG\r\n\x1a\n", 8))};
    record attachment = run(nb->extras.image_attachments.create(fields, files));
    EXPECT_GT(attachment.id(), 0);
    EXPECT_EQ(attachment.get_string("image"), "rack.png");
    EXPECT_EQ(attachment.get_int("object_id"), 1);

    const auto log = requests();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].path, "/api/extras/image-attachments/");
    EXPECT_EQ(log[0].header("Content-Type").rfind("multipart/form-data; boundary=", 0), 0u)
        << log[0].header("Content-Type");
    const std::string& body = log[0].body;
    EXPECT_NE(body.find("name=\"image\"; filename=\"rack.png\""), std::string::npos) << body;
    EXPECT_NE(body.find("image/png"), std::string::npos);
    EXPECT_NE(body.find("name=\"object_id\"\r\n\r\n1\r\n"), std::string::npos) << body;
    EXPECT_NE(body.find("name=\"object_type\"\r\n\r\ndcim.site\r\n"), std::string::npos) << body;
}

TEST_F(endpoint_ops, create_refused_by_validation_carries_the_field_errors)
{
    json::object incomplete{{"name", "no-slug"}};
    auto refused = run(nb->extras.tags.try_create(incomplete));
    EXPECT_NETBOX_ERROR(refused, errc::http_status);
    ASSERT_TRUE(refused.has_error());
    EXPECT_EQ(refused.error().status, 400);
    ASSERT_EQ(refused.error().field_errors.size(), 1u);
    EXPECT_EQ(refused.error().field_errors[0].field, "slug");
    EXPECT_EQ(refused.error().method, "POST");

    try {
        (void)run(nb->extras.tags.create(incomplete));
        ADD_FAILURE() << "create() did not throw";
    } catch (const api_error& e) {
        EXPECT_EQ(e.status(), 400);
    }
}

TEST_F(endpoint_ops, a_bad_token_is_refused_and_never_shown)
{
    const std::string secret = "feedfacefeedfacefeedfacefeedfacefeedface";
    client_options c = component::options_for(server->url());
    c.token = secret;
    api stranger(client(io.get_executor(), std::move(c)));
    auto refused = run(stranger.dcim.devices.try_get(1));
    EXPECT_NETBOX_ERROR(refused, errc::http_status);
    ASSERT_TRUE(refused.has_error());
    EXPECT_EQ(refused.error().status, 403);
    EXPECT_EQ(refused.error().detail, "Invalid v1 token");
    EXPECT_EQ(refused.error().what().find(secret), std::string::npos);
    EXPECT_EQ(refused.error().url.find(secret), std::string::npos);
    EXPECT_EQ(refused.error().body_excerpt.find(secret), std::string::npos);

    try {
        json::object tag{{"name", "x"}, {"slug", "x"}};
        (void)run(stranger.extras.tags.create(tag));
        ADD_FAILURE() << "create() did not throw";
    } catch (const api_error& e) {
        EXPECT_EQ(std::string(e.what()).find(secret), std::string::npos);
    }
}

// --- choices ------------------------------------------------------------------------------------------

TEST_F(endpoint_ops, choices_come_from_options_once)
{
    const choice_map choices = run(nb->dcim.devices.choices());
    ASSERT_TRUE(choices.contains("status"));
    const auto& status = choices.find("status")->second;
    auto active = std::ranges::find_if(status, [](const choice& c) { return c.value == "active"; });
    ASSERT_NE(active, status.end());
    EXPECT_EQ(active->display_name, "Active");
    EXPECT_FALSE(choices.contains("name"));  // no choices, no entry

    const choice_map again = run(nb->dcim.devices.choices());
    EXPECT_EQ(again.size(), choices.size());
    // A copy of the api shares the memo; another endpoint has its own.
    api copy = *nb;
    (void)run(copy.dcim.devices.choices());
    (void)run(nb->dcim.interfaces.choices());

    const auto log = requests();
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].method, "OPTIONS");
    EXPECT_EQ(log[0].path, "/api/dcim/devices/");
    EXPECT_EQ(log[1].path, "/api/dcim/interfaces/");
}

TEST(endpoint_choices, an_options_answer_without_actions_is_a_content_error)
{
    asio::io_context io;
    test::test_server server([](const component::received_request&) {
        return component::json_reply(200, R"({"name": "Device List", "renders": ["application/json"]})");
    });
    client_options c = component::options_for(server.url());
    api nb(client(io.get_executor(), std::move(c)));
    auto r = component::run(io, nb.dcim.devices.try_choices());
    EXPECT_NETBOX_ERROR(r, errc::content_error);
}

// --- strict filters -----------------------------------------------------------------------------------

TEST_F(endpoint_ops, strict_filters_api_wide_refuse_unknown_filters_before_listing)
{
    api_options o;
    o.strict_filters = true;
    start(small_simulator(), o);

    filters bad{{"colour", "red"}};
    auto refused = run(nb->dcim.devices.try_get(bad));
    EXPECT_NETBOX_ERROR(refused, errc::invalid_filter);
    ASSERT_TRUE(refused.has_error());
    EXPECT_NE(refused.error().message.find("colour"), std::string::npos) << refused.error().what();
    EXPECT_NE(refused.error().message.find("/api/dcim/devices/"), std::string::npos) << refused.error().what();
    EXPECT_TRUE(requests().empty());

    filters good{{"name__ic", "sw01.ber"}, {"id__gte", 1}, {"cf_owner", "ops"}, {"q", "sw01"}};
    auto found = run(nb->dcim.devices.try_get(good));
    EXPECT_FALSE(found.has_error() && found.error().code == make_error_code(errc::invalid_filter))
        << found.error().what();
    EXPECT_EQ(count_of(requests(), "GET"), 1u);

    // A call may switch the check off.
    list_options lax;
    lax.strict_filters = false;
    auto unchecked = run(nb->dcim.devices.try_get(bad, lax));
    EXPECT_FALSE(unchecked.has_error() && unchecked.error().code == make_error_code(errc::invalid_filter));
    EXPECT_EQ(count_of(requests(), "GET"), 2u);
}

TEST_F(endpoint_ops, strict_filters_per_call)
{
    list_options strict;
    strict.strict_filters = true;
    filters bad{{"colour", "red"}};
    auto refused = run(nb->dcim.devices.try_get(bad, strict));
    EXPECT_NETBOX_ERROR(refused, errc::invalid_filter);
    auto counted = run(nb->dcim.devices.try_count(bad, strict));
    EXPECT_NETBOX_ERROR(counted, errc::invalid_filter);
    EXPECT_TRUE(requests().empty());
}

}  // namespace
}  // namespace netbox::facade_test
