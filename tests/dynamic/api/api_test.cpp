// The api, apps and plugins of the dynamic facade: which paths their endpoints reach, config,
// plugins, branch ids and the pass-throughs to the client.
#include "support/facade_support.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

namespace netbox::facade_test {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

using api_paths = facade_test;

TEST_F(api_paths, members_apps_and_endpoints_by_name_reach_their_list_paths)
{
    EXPECT_EQ(nb->dcim.devices.path(), "/api/dcim/devices/");
    EXPECT_EQ(nb->dcim.endpoint("front-ports").path(), "/api/dcim/front-ports/");
    EXPECT_EQ(nb->app("ipam").endpoint("prefixes").path(), "/api/ipam/prefixes/");
    EXPECT_EQ(nb->dcim.front_ports.app_path(), "dcim");
    EXPECT_EQ(nb->dcim.front_ports.name(), "front-ports");
    EXPECT_EQ(nb->app("ipam").path(), "ipam");

    run([&]() -> asio::awaitable<void> {
        auto device = co_await nb->dcim.devices.get(1);
        EXPECT_TRUE(device.has_value());
        auto port = co_await nb->dcim.endpoint("front-ports").get(1);
        EXPECT_TRUE(port.has_value());
        auto prefix = co_await nb->app("ipam").endpoint("prefixes").get(1);
        EXPECT_TRUE(prefix.has_value());
    }());

    std::vector<std::string> paths;
    for (const auto& r : requests())
        paths.push_back(r.method + " " + r.path);
    const std::vector<std::string> expected{"GET /api/dcim/devices/1/", "GET /api/dcim/front-ports/1/",
                                            "GET /api/ipam/prefixes/1/"};
    EXPECT_EQ(paths, expected);
}

TEST_F(api_paths, records_remember_their_endpoint)
{
    auto device = run(nb->dcim.devices.get(2));
    ASSERT_TRUE(device);
    EXPECT_EQ(device->endpoint_path(), "dcim/devices");
    EXPECT_EQ(device->id(), 2);
}

TEST_F(api_paths, app_config_gets_the_apps_config_path)
{
    // nb->users.config is also the generated member of the users/config endpoint, which hides
    // app::config(); try_config() and app("users") reach it.
    auto config = run(nb->users.try_config());
    ASSERT_TRUE(config.has_value()) << config.error().what();
    EXPECT_TRUE(config->is_object()) << json::serialize(*config);
    const json::value again = run(nb->app("users").config());
    EXPECT_EQ(again, *config);
    const auto log = requests();
    ASSERT_EQ(log.size(), 2u);
    for (const auto& r : log) {
        EXPECT_EQ(r.method, "GET");
        EXPECT_EQ(r.path, "/api/users/config/");
    }
}

TEST_F(api_paths, an_endpoint_outlives_the_api_it_came_from)
{
    // Copies hold the shared state: the api value itself may go.
    endpoint sites = nb->dcim.sites;
    auto op = sites.try_get(1);
    nb.reset();
    auto site = run(std::move(op));
    ASSERT_TRUE(site.has_value()) << site.error().what();
    EXPECT_TRUE(site->has_value());
}

TEST_F(api_paths, pass_throughs_reach_the_client)
{
    const json::value status = run(nb->status());
    EXPECT_TRUE(status.as_object().contains("netbox-version"));
    EXPECT_EQ(run(nb->version()), "4.5");
    EXPECT_EQ(nb->http().base_url(), server->url());
    EXPECT_EQ(nb->options().batch_size, 1000u);
    EXPECT_EQ(nb->active_branch(), "");
}

TEST_F(api_paths, api_from_base_url_and_token)
{
    api direct(io.get_executor(), server->url(), server->token());
    auto site = run(direct.dcim.sites.get(1));
    EXPECT_TRUE(site.has_value());
}

// --- branches -------------------------------------------------------------------------------------

TEST_F(api_paths, branch_ids_are_checked)
{
    EXPECT_EQ(nb->branch("aaaa1111").active_branch(), "aaaa1111");
    EXPECT_EQ(nb->branch("Feature_2-b").active_branch(), "Feature_2-b");
    for (const std::string bad : {"", "a b", "x\r\nX-Evil: 1", "caf\xc3\xa9", "a/b"}) {
        try {
            (void)nb->branch(bad);
            ADD_FAILURE() << "accepted branch id '" << bad << "'";
        } catch (const api_error& e) {
            EXPECT_EQ(e.code(), make_error_code(errc::invalid_argument)) << e.what();
        }
    }
    EXPECT_EQ(nb->active_branch(), "");  // the api itself is untouched
}

TEST_F(api_paths, a_branch_api_sends_its_header_and_main_does_not)
{
    api feature = nb->branch("aaaa1111");
    run([&]() -> asio::awaitable<void> {
        (void)co_await feature.dcim.sites.get(1);
        (void)co_await nb->dcim.sites.get(2);
        (void)co_await feature.users.try_config();
    }());
    const auto log = requests();
    ASSERT_EQ(log.size(), 3u);
    EXPECT_EQ(log[0].header("X-NetBox-Branch"), "aaaa1111");
    EXPECT_EQ(log[1].header("X-NetBox-Branch"), "");
    EXPECT_EQ(log[2].header("X-NetBox-Branch"), "aaaa1111");
}

// --- plugins, against a scripted server ------------------------------------------------------------

class plugins_test : public ::testing::Test {
protected:
    plugins_test()
        : server([](const component::received_request& r) {
              const std::string path = r.target.substr(0, r.target.find('?'));
              const test::header_fields version{{"API-Version", "4.5"}};
              if (path == "/api/")
                  return component::json_reply(200, R"({"dcim": "x"})", version);
              if (path == "/api/plugins/installed-plugins/")
                  return component::json_reply(
                      200, R"([{"name": "netbox_gpon", "package": "netbox_gpon", "version": "1.2.0"}])", version);
              if (path == "/api/plugins/gpon/olts/")
                  return component::json_reply(
                      200,
                      R"({"count": 1, "next": null, "previous": null, "results": [{"id": 4, "name": "olt-1",)"
                      R"( "url": "http://127.0.0.1/api/plugins/gpon/olts/4/"}]})",
                      version);
              if (path == "/api/plugins/gpon/olts/4/")
                  return component::json_reply(200, R"({"id": 4, "name": "olt-1"})", version);
              if (path == "/api/schema/")
                  return component::json_reply(
                      200,
                      R"({"openapi": "3.0.3", "paths": {"/api/plugins/gpon/olts/": {"get": {"parameters": [)"
                      R"({"name": "name", "in": "query"}, {"name": "name__ic", "in": "query"},)"
                      R"({"name": "limit", "in": "query"}]}}}})",
                      version);
              return component::json_reply(404, R"({"detail": "Not found."})", version);
          })
    {
        client_options c = component::options_for(server.url());
        c.token = "0123456789abcdef0123456789abcdef01234567";
        nb = std::make_unique<api>(client(io.get_executor(), std::move(c)));
    }

    template <class T>
    T run(asio::awaitable<T> op) {
        return component::run(io, std::move(op));
    }

    std::vector<std::string> targets() const {
        std::vector<std::string> out;
        for (const auto& r : server.requests())
            out.push_back(r.method + " " + r.target);
        return out;
    }

    asio::io_context io;
    component::test_server server;
    std::unique_ptr<api> nb;
};

TEST_F(plugins_test, installed_plugins_and_plugin_endpoints_reach_plugin_paths)
{
    const json::value plugins = run(nb->plugins.installed_plugins());
    ASSERT_TRUE(plugins.is_array());
    EXPECT_EQ(plugins.as_array().at(0).at("name"), "netbox_gpon");

    endpoint olts = nb->plugins.app("gpon").endpoint("olts");
    EXPECT_EQ(olts.path(), "/api/plugins/gpon/olts/");
    EXPECT_EQ(olts.app_path(), "plugins/gpon");
    auto olt = run(olts.get(4));
    ASSERT_TRUE(olt.has_value());
    EXPECT_EQ(olt->get_string("name"), "olt-1");
    EXPECT_EQ(olt->endpoint_path(), "plugins/gpon/olts");

    const std::vector<std::string> expected{"GET /api/plugins/installed-plugins/", "GET /api/plugins/gpon/olts/4/"};
    EXPECT_EQ(targets(), expected);
}

TEST_F(plugins_test, strict_filters_of_a_plugin_endpoint_come_from_the_openapi_schema)
{
    endpoint olts = nb->plugins.app("gpon").endpoint("olts");
    list_options strict;
    strict.strict_filters = true;

    filters bad{{"colour", "red"}};
    auto refused = run(olts.try_get(bad, strict));
    EXPECT_NETBOX_ERROR(refused, errc::invalid_filter);
    if (refused.has_error()) {
        EXPECT_NE(refused.error().message.find("colour"), std::string::npos) << refused.error().what();
        EXPECT_NE(refused.error().message.find("/api/plugins/gpon/olts/"), std::string::npos) << refused.error().what();
    }
    for (const auto& r : server.requests())
        EXPECT_EQ(r.target.find("/api/plugins/gpon/olts/"), std::string::npos) << r.target;

    filters good{{"name__ic", "olt"}, {"cf_rack_row", "3"}};
    auto found = run(olts.try_get(good, strict));
    ASSERT_TRUE(found.has_value()) << found.error().what();
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->id(), 4);

    const auto log = targets();
    EXPECT_EQ(std::count(log.begin(), log.end(), "GET /api/schema/?format=json"), 1);
    EXPECT_EQ(log.back(), "GET /api/plugins/gpon/olts/?name__ic=olt&cf_rack_row=3&limit=2");
}

}  // namespace
}  // namespace netbox::facade_test
