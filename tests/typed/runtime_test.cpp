// The typed client's runtime (typed_api, endpoint, detail endpoints, streams) over a small
// hand-written model of dcim/sites, against the simulator. The generated models use the same
// templates; tests/typed/generated_*.cpp cover them.
#include "support/facade_support.hpp"
#include "types/codec_impl.hpp"

#include <netbox/model/api_model.hpp>
#include <netbox/typed/api.hpp>

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

namespace mini {

namespace json = boost::json;
namespace impl = netbox::codec::impl;
using netbox::codec::decoder;

enum class site_status : std::uint16_t { planned = 1, staging, active, decommissioning, retired };

}  // namespace mini

template <>
struct netbox::choice_traits<mini::site_status> {
    static constexpr std::string_view values[] = {"planned", "staging", "active", "decommissioning", "retired"};
    static constexpr std::string_view name = "site_status";
    static constexpr bool integer = false;
};

namespace mini {

struct brief_tenant {
    std::int64_t id = 0;
    std::string name;
    friend bool operator==(const brief_tenant&, const brief_tenant&) = default;
};
void decode(const json::value& in, brief_tenant& out, decoder& d) {
    const json::object& o = impl::object_of(in, d);
    impl::member(o, "id", out.id, d, impl::required);
    impl::member(o, "name", out.name, d, impl::required);
}
void encode(const brief_tenant& in, json::value& out) {
    json::object& o = out.emplace_object();
    impl::member(o, "id", in.id);
    impl::member(o, "name", in.name);
}

struct site {
    std::int64_t id = 0;
    std::string name;
    std::string slug;
    std::optional<netbox::choice_of<site_status>> status;
    std::optional<brief_tenant> tenant;
    std::optional<brief_tenant> group;  // declared not nullable here, to see a tolerated defect
    friend bool operator==(const site&, const site&) = default;
};
constexpr std::string_view site_keys[] = {"id", "name", "slug", "status", "tenant", "group"};
void decode(const json::value& in, site& out, decoder& d) {
    const json::object& o = impl::object_of(in, d);
    impl::member(o, "id", out.id, d, impl::required);
    impl::member(o, "name", out.name, d, impl::required);
    impl::member(o, "slug", out.slug, d, impl::required);
    impl::member(o, "status", out.status, d, impl::optional_member);
    impl::member(o, "tenant", out.tenant, d, impl::nullable);
    impl::member(o, "group", out.group, d, impl::optional_member);
    if (d.mode() == netbox::codec::decode_mode::strict) impl::check_keys(o, site_keys, d);
}

struct site_request {
    std::string name;
    std::string slug;
    netbox::choice_of<site_status> status;
    netbox::tri_state<netbox::ref> tenant;
    std::optional<std::string> description;
    friend bool operator==(const site_request&, const site_request&) = default;
};
void encode(const site_request& in, json::value& out) {
    json::object& o = out.emplace_object();
    impl::member(o, "name", in.name);
    impl::member(o, "slug", in.slug);
    impl::member(o, "status", in.status);
    impl::member(o, "tenant", in.tenant);
    impl::member(o, "description", in.description);
}
void validate(const site_request& in, netbox::codec::validator& v) {
    impl::check(v, "name", in.name, {.required = true, .nullable = false, .min_length = 1, .max_length = 100});
    impl::check(v, "slug", in.slug, {.required = true, .nullable = false, .min_length = 1, .max_length = 100, .pattern = "^[-a-zA-Z0-9_]+$"});
    impl::check(v, "status", in.status, {.allow_blank = false});
    impl::check(v, "description", in.description, {.max_length = 200});
}

struct patched_site_request {
    std::optional<std::string> name;
    std::optional<std::string> description;
    netbox::tri_state<netbox::ref> tenant;
    friend bool operator==(const patched_site_request&, const patched_site_request&) = default;
};
void encode(const patched_site_request& in, json::value& out) {
    json::object& o = out.emplace_object();
    impl::member(o, "name", in.name);
    impl::member(o, "description", in.description);
    impl::member(o, "tenant", in.tenant);
}
void validate(const patched_site_request& in, netbox::codec::validator& v) {
    impl::check(v, "name", in.name, {.min_length = 1, .max_length = 100});
}

struct sites_params {
    netbox::filter_of<std::string> name;
    netbox::filter_of<std::string> slug;
    netbox::filter_of<std::string> status;
    std::optional<bool> brief;
    std::vector<std::string> fields;
    std::vector<std::string> omit;
    std::vector<std::string> exclude;
    std::optional<std::int64_t> limit;
    std::optional<std::int64_t> offset;
    std::vector<std::string> ordering;
    std::vector<std::pair<std::string, std::string>> extra;
};
void encode_query(const sites_params& in, netbox::codec::query_writer& q) {
    impl::write_filter(q, "name", in.name);
    impl::write_filter(q, "slug", in.slug);
    impl::write_filter(q, "status", in.status);
    impl::write_list_options(q, in.brief, in.fields, in.omit, in.exclude, in.limit, in.offset, in.ordering, in.extra);
}
void validate(const sites_params& in, netbox::codec::validator& v) {
    impl::check_filter(v, "name", in.name, netbox::model::exact | netbox::model::ic | netbox::model::n);
    impl::check_filter(v, "slug", in.slug, netbox::model::exact);
    impl::check_filter(v, "status", in.status, netbox::model::exact | netbox::model::n);
}

struct sites_endpoint {
    static constexpr std::string_view app = "dcim";
    static constexpr std::string_view name = "sites";
    static constexpr std::string_view list_path = "/api/dcim/sites/";
    static constexpr std::string_view detail_path = "/api/dcim/sites/{id}/";
    using id_type = std::int64_t;
    using params = sites_params;
    using list_item = site;
    using list_response = void;
    using retrieve_response = site;
    using create_request = site_request;
    using create_response = site;
    using update_request = site_request;
    using update_response = site;
    using patch_request = patched_site_request;
    using patch_response = site;
    using bulk_update_item = void;
    using bulk_patch_item = void;
    static constexpr bool destroy = true;
    static constexpr bool bulk_destroy = true;
    template <template <class> class Detail>
    struct details {
        template <class State>
        explicit details(const State&) {}
    };
};

template <template <class> class Endpoint>
struct dcim_app {
    template <class State>
    explicit dcim_app(const State& s) : sites(s) {}
    Endpoint<sites_endpoint> sites;
};

struct version {
    static constexpr std::string_view release_line = "4.5";
    template <template <class> class Endpoint>
    struct apps {
        template <class State>
        explicit apps(const State& s) : dcim(s) {}
        dcim_app<Endpoint> dcim;
    };
};

}  // namespace mini

namespace {

using netbox::errc;

class typed_runtime : public netbox::facade_test::facade_test {
protected:
    void SetUp() override { start(); }

    std::unique_ptr<netbox::typed_api<mini::version>> typed(netbox::typed_options o = netbox::typed_options()) {
        o.observer = [this](const netbox::typed_event& e) { events.push_back(e); };
        return std::make_unique<netbox::typed_api<mini::version>>(nb->http(), std::move(o));
    }
    std::size_t writes() const {
        std::size_t n = 0;
        for (const auto& r : server->requests()) n += r.method != "GET";
        return n;
    }

    std::vector<netbox::typed_event> events;
};

TEST_F(typed_runtime, ListsAPageWithFiltersAndDecodesIt) {
    auto t = typed();
    auto page = run(t->dcim.sites.list({.slug = {"ber-dc1", "ams-dc2"}, .limit = 1}));
    EXPECT_EQ(page.count, 2);
    ASSERT_EQ(page.results.size(), 1u);
    EXPECT_TRUE(page.next.has_value());
    EXPECT_FALSE(page.results[0].slug.empty());
    ASSERT_TRUE(page.results[0].status);
    EXPECT_TRUE(page.results[0].status->is_known());
    const auto last = server->requests().back();
    EXPECT_EQ(last.path, "/api/dcim/sites/");
    EXPECT_NE(last.query.find("slug=ber-dc1&slug=ams-dc2"), std::string::npos) << last.query;
}

TEST_F(typed_runtime, GetIsEmptyOn404) {
    auto t = typed();
    auto first = run(t->dcim.sites.list({.limit = 1})).results.at(0);
    auto found = run(t->dcim.sites.get(first.id));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->name, first.name);
    EXPECT_FALSE(run(t->dcim.sites.get(999999)));
}

TEST_F(typed_runtime, CreatesUpdatesAndDestroys) {
    auto t = typed();
    auto created = run(t->dcim.sites.create({.name = "Typed One", .slug = "typed-one", .status = mini::site_status::planned}));
    EXPECT_EQ(created.slug, "typed-one");
    EXPECT_TRUE(created.status && *created.status == mini::site_status::planned);
    auto patched = run(t->dcim.sites.partial_update(created.id, {.description = "via PATCH"}));
    EXPECT_EQ(patched.name, "Typed One");
    const auto patch_body = boost::json::parse(server->requests().back().body);
    EXPECT_EQ(patch_body, boost::json::parse(R"({"description": "via PATCH"})"));

    auto both = run(t->dcim.sites.create(std::vector<mini::site_request>{{.name = "B1", .slug = "b1"}, {.name = "B2", .slug = "b2"}}));
    ASSERT_EQ(both.size(), 2u);
    run(t->dcim.sites.bulk_destroy({both[0].id, both[1].id}));
    run(t->dcim.sites.destroy(created.id));
    EXPECT_FALSE(run(t->dcim.sites.get(created.id)));
    EXPECT_FALSE(run(t->dcim.sites.get(both[1].id)));
}

TEST_F(typed_runtime, InvalidRequestsAreRefusedBeforeSending) {
    auto t = typed();
    const std::size_t before = writes();
    auto r = run(t->dcim.sites.try_create(
        {.name = "", .slug = "not a slug", .status = netbox::choice_of<mini::site_status>::from_raw("bogus")}));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::validation_failed);
    std::vector<std::string> fields;
    for (const auto& f : r.error().field_errors) fields.push_back(f.field);
    EXPECT_EQ(fields, (std::vector<std::string>{"/name", "/slug", "/status"}));
    EXPECT_NE(r.error().message.find("'bogus' is not one of"), std::string::npos) << r.error().message;
    EXPECT_EQ(writes(), before);

    // A filter lookup the field does not have.
    const std::size_t gets = server->requests().size();
    auto l = run(t->dcim.sites.try_list({.slug = netbox::ic("ber")}));
    ASSERT_FALSE(l);
    EXPECT_EQ(l.error().code, errc::validation_failed);
    EXPECT_EQ(l.error().field_errors.at(0).field, "/slug__ic");
    EXPECT_EQ(server->requests().size(), gets);

    // The same request goes out when validation is off, and the server refuses it.
    netbox::typed_options off;
    off.validate_requests = false;
    auto u = typed(off);
    auto sent = run(u->dcim.sites.try_create({.name = "", .slug = "x"}));
    ASSERT_FALSE(sent);
    EXPECT_EQ(sent.error().status, 400);
    EXPECT_EQ(writes(), before + 1);
}

TEST_F(typed_runtime, NullClearsANullableField) {
    auto t = typed();
    auto created = run(t->dcim.sites.create({.name = "N1", .slug = "n1", .tenant = 1}));
    ASSERT_TRUE(created.tenant);
    auto cleared = run(t->dcim.sites.partial_update(created.id, {.tenant = netbox::null}));
    EXPECT_FALSE(cleared.tenant);
    EXPECT_EQ(boost::json::parse(server->requests().back().body), boost::json::parse(R"({"tenant": null})"));
}

TEST_F(typed_runtime, LenientDecodingReportsDefectsStrictRefusesThem) {
    auto t = typed();
    auto page = run(t->dcim.sites.list({.limit = 50}));
    // Sites without a group answer `"group": null`, which mini::site declares not nullable.
    bool saw = false;
    for (const auto& e : events)
        if (e.what == netbox::typed_event::kind::tolerated_defect && e.path.ends_with("/group")) saw = true;
    EXPECT_TRUE(saw);
    EXPECT_EQ(events.at(0).operation, "GET /api/dcim/sites/");

    netbox::typed_options strict;
    strict.decoding = netbox::codec::decode_mode::strict;
    auto s = typed(strict);
    auto r = run(s->dcim.sites.try_list({.limit = 1}));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::content_error);
    EXPECT_NE(r.error().message.find("/results/0/"), std::string::npos) << r.error().message;
}

TEST_F(typed_runtime, StreamsEveryPageInOrder) {
    auto t = typed();
    const auto count = run(t->dcim.sites.count());
    netbox::list_options o;
    o.limit = 1;
    auto stream = t->dcim.sites.stream(mini::sites_params(), o);
    auto all = run(stream.collect());
    EXPECT_EQ(static_cast<std::int64_t>(all.size()), count);
    EXPECT_GE(stream.report().pages, all.size());
    for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].id, all[i].id);
}

TEST_F(typed_runtime, VersionMismatchIsAnErrorByDefault) {
    start(netbox::facade_test::small_simulator("4.4"));
    auto t = typed();
    auto r = run(t->dcim.sites.try_list());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::version_mismatch);
    EXPECT_NE(r.error().message.find("4.4"), std::string::npos);

    netbox::typed_options warn;
    warn.on_version_mismatch = netbox::version_policy::warn;
    auto w = typed(warn);
    EXPECT_TRUE(run(w->dcim.sites.try_list()));
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events[0].what, netbox::typed_event::kind::version_mismatch);
}

TEST(typed_versions, ReleaseLineOfAVersionString) {
    constexpr std::string_view supported[] = {"4.3", "4.4", "4.5", "4.6"};
    EXPECT_EQ(netbox::typed_detail::release_line_of("4.5", supported).value(), "4.5");
    EXPECT_EQ(netbox::typed_detail::release_line_of("4.5.10", supported).value(), "4.5");
    for (std::string_view bad : {"4.2", "5.0", "", "4", "x.y", "4.5x"}) {
        auto r = netbox::typed_detail::release_line_of(bad, supported);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, errc::unsupported);
        EXPECT_NE(r.error().message.find("4.3, 4.4, 4.5, 4.6"), std::string::npos);
    }
}

}  // namespace
