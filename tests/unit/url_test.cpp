#include "client/url.hpp"

#include <gtest/gtest.h>

namespace {

using netbox::errc;
using netbox::detail::base_url;
using netbox::detail::build_target;
using netbox::detail::check_request_path;
using netbox::detail::origin;
using netbox::detail::parse_base_url;
using netbox::detail::resolve_location;

base_url parse_ok(std::string_view text) {
    auto r = parse_base_url(text);
    EXPECT_TRUE(r) << text << ": " << (r ? "" : r.error().what());
    return r ? *r : base_url{};
}

void expect_rejected(std::string_view text) {
    auto r = parse_base_url(text);
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, errc::invalid_argument) << text;
    EXPECT_FALSE(r.error().message.empty());
}

// --- parse_base_url ------------------------------------------------------------------------

TEST(BaseUrl, HttpsWithAndWithoutTrailingSlash) {
    for (std::string_view text : {"https://netbox.example.com", "https://netbox.example.com/"}) {
        const auto b = parse_ok(text);
        EXPECT_TRUE(b.where.tls);
        EXPECT_EQ(b.where.host, "netbox.example.com");
        EXPECT_EQ(b.where.port, 443);
        EXPECT_EQ(b.prefix, "");
        EXPECT_EQ(b.text, "https://netbox.example.com");
    }
}

TEST(BaseUrl, PathPrefix) {
    for (std::string_view text : {"https://host/netbox", "https://host/netbox/", "https://host/netbox//"}) {
        const auto b = parse_ok(text);
        EXPECT_EQ(b.prefix, "/netbox");
        EXPECT_EQ(b.text, "https://host/netbox");
    }
    EXPECT_EQ(parse_ok("http://host/a/b/").prefix, "/a/b");
}

TEST(BaseUrl, DefaultAndExplicitPorts) {
    EXPECT_EQ(parse_ok("http://host").where.port, 80);
    EXPECT_FALSE(parse_ok("http://host").where.tls);
    EXPECT_EQ(parse_ok("http://host:8000").where.port, 8000);
    EXPECT_EQ(parse_ok("http://host:8000").text, "http://host:8000");
    // An explicit default port is normalised away.
    EXPECT_EQ(parse_ok("https://host:443/").text, "https://host");
    EXPECT_EQ(parse_ok("http://host:443").text, "http://host:443");
    EXPECT_EQ(parse_ok("http://host:/").where.port, 80);
}

TEST(BaseUrl, Ipv4AndIpv6Hosts) {
    const auto v4 = parse_ok("http://127.0.0.1:8080/");
    EXPECT_EQ(v4.where.host, "127.0.0.1");
    EXPECT_EQ(v4.where.port, 8080);

    const auto v6 = parse_ok("http://[::1]:8080/netbox");
    EXPECT_EQ(v6.where.host, "::1");
    EXPECT_EQ(v6.where.port, 8080);
    EXPECT_EQ(v6.prefix, "/netbox");
    EXPECT_EQ(v6.text, "http://[::1]:8080/netbox");
}

TEST(BaseUrl, SchemeAndHostAreCaseInsensitive) {
    const auto b = parse_ok("HTTPS://NetBox.Example.COM/");
    EXPECT_TRUE(b.where.tls);
    EXPECT_EQ(b.where, parse_ok("https://netbox.example.com").where);
    EXPECT_EQ(b.text, "https://netbox.example.com");
}

TEST(BaseUrl, Rejections) {
    expect_rejected("");
    expect_rejected("netbox.example.com");
    expect_rejected("/api/");
    expect_rejected("ftp://host/");
    expect_rejected("https://user:secret@host/");
    expect_rejected("https://user@host/");
    expect_rejected("https://host/?brief=1");
    expect_rejected("https://host/#top");
    expect_rejected("https://host:65536/");
    expect_rejected("https://host:0/");
    expect_rejected("https:///path");
    expect_rejected("https://ho st/");
    expect_rejected("https://host%0d%0aX:1/");
}

TEST(BaseUrl, ErrorsDoNotRepeatCredentials) {
    auto r = parse_base_url("https://admin:hunter2@host/");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().what().find("hunter2"), std::string::npos);
}

// --- origin --------------------------------------------------------------------------------

TEST(Origin, ToStringOmitsDefaultPortAndBracketsIpv6) {
    EXPECT_EQ((origin{true, "h", 443}).to_string(), "https://h");
    EXPECT_EQ((origin{false, "h", 80}).to_string(), "http://h");
    EXPECT_EQ((origin{false, "h", 443}).to_string(), "http://h:443");
    EXPECT_EQ((origin{true, "::1", 8443}).to_string(), "https://[::1]:8443");
}

TEST(Origin, Equality) {
    EXPECT_EQ(parse_ok("https://h/a").where, parse_ok("https://h:443/b").where);
    EXPECT_NE(parse_ok("https://h").where, parse_ok("http://h").where);
    EXPECT_NE(parse_ok("https://h").where, parse_ok("https://h:8443").where);
    EXPECT_NE(parse_ok("https://h").where, parse_ok("https://g").where);
}

// --- check_request_path --------------------------------------------------------------------

TEST(RequestPath, AcceptsRelativePaths) {
    EXPECT_TRUE(check_request_path("/"));
    EXPECT_TRUE(check_request_path("/api/dcim/devices/"));
    EXPECT_TRUE(check_request_path("/api/dcim/devices/12/"));
}

TEST(RequestPath, Rejections) {
    for (std::string_view bad : {"", "api/dcim/", "https://evil.example/api/", "//evil.example/api/",
                                 "/api/dcim/devices/?limit=1", "/api/#frag"}) {
        auto r = check_request_path(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, errc::invalid_argument);
    }
}

// NetBox would answer 301, and a write's body would be lost on the way.
TEST(RequestPath, ApiPathsNeedTheirTrailingSlash) {
    auto r = check_request_path("/api/dcim/devices/5");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::invalid_argument);
    EXPECT_NE(r.error().message.find("/api/dcim/devices/5"), std::string::npos) << r.error().message;
    EXPECT_TRUE(check_request_path("/graphql/"));
    EXPECT_TRUE(check_request_path("/login"));  // outside /api/ the caller knows best
}

// --- build_target --------------------------------------------------------------------------

TEST(BuildTarget, PrefixAndPath) {
    EXPECT_EQ(build_target(parse_ok("https://h"), "/api/status/", {}), "/api/status/");
    EXPECT_EQ(build_target(parse_ok("https://h/netbox/"), "/api/status/", {}), "/netbox/api/status/");
}

TEST(BuildTarget, PathCharactersOutsideTheRfcSetAreEncoded) {
    const auto b = parse_ok("https://h");
    EXPECT_EQ(build_target(b, "/api/extras/scripts/my module.Script/", {}), "/api/extras/scripts/my%20module.Script/");
    EXPECT_EQ(build_target(b, "/a/100%/", {}), "/a/100%25/");
    EXPECT_EQ(build_target(b, "/a:b@c/", {}), "/a:b@c/");
}

TEST(BuildTarget, QueryIsPercentEncoded) {
    const auto b = parse_ok("https://h");
    EXPECT_EQ(build_target(b, "/api/dcim/sites/", {{"q", "rack 1"}}), "/api/dcim/sites/?q=rack%201");
    EXPECT_EQ(build_target(b, "/x/", {{"q", "a&b=c"}}), "/x/?q=a%26b%3Dc");
    EXPECT_EQ(build_target(b, "/x/", {{"q", "1+1"}}), "/x/?q=1%2B1");
    EXPECT_EQ(build_target(b, "/x/", {{"q", "Zürich"}}), "/x/?q=Z%C3%BCrich");
    EXPECT_EQ(build_target(b, "/x/", {{"k y", "v"}, {"a=b", ""}}), "/x/?k%20y=v&a%3Db=");
    EXPECT_EQ(build_target(b, "/x/", {{"name__ic", "edge-01_a.b~c"}}), "/x/?name__ic=edge-01_a.b~c");
}

TEST(BuildTarget, RepeatedKeysKeepTheirOrder) {
    const auto target = build_target(parse_ok("https://h/nb"), "/api/dcim/devices/",
                                     {{"site", "b"}, {"limit", "10"}, {"site", "a"}, {"site", "c"}});
    EXPECT_EQ(target, "/nb/api/dcim/devices/?site=b&limit=10&site=a&site=c");
}

// --- resolve_location ----------------------------------------------------------------------

TEST(Location, AbsoluteUrlGivesItsOwnOrigin) {
    const origin current{true, "netbox.example.com", 443};
    auto r = resolve_location(current, "http://other.example:8080/api/dcim/sites/?limit=5#frag");
    ASSERT_TRUE(r) << r.error().what();
    EXPECT_EQ(r->where, (origin{false, "other.example", 8080}));
    EXPECT_EQ(r->target, "/api/dcim/sites/?limit=5");
}

TEST(Location, AbsoluteUrlWithoutPathTargetsRoot) {
    auto r = resolve_location(origin{true, "h", 443}, "https://[::1]");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->where, (origin{true, "::1", 443}));
    EXPECT_EQ(r->target, "/");
}

TEST(Location, AbsolutePathKeepsTheCurrentOrigin) {
    const origin current{true, "h", 8443};
    auto r = resolve_location(current, "/api/dcim/sites/?offset=50");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->where, current);
    EXPECT_EQ(r->target, "/api/dcim/sites/?offset=50");
}

TEST(Location, RelativePathResolvesAgainstTheRequestTarget) {
    const origin current{false, "h", 80};
    auto sibling = resolve_location(current, "sites/", "/api/dcim/devices?x=1");
    ASSERT_TRUE(sibling);
    EXPECT_EQ(sibling->target, "/api/dcim/sites/");

    auto up = resolve_location(current, "../ipam/", "/api/dcim/");
    ASSERT_TRUE(up);
    EXPECT_EQ(up->target, "/api/ipam/");

    auto query_only = resolve_location(current, "?page=2", "/api/dcim/sites/");
    ASSERT_TRUE(query_only);
    EXPECT_EQ(query_only->target, "/api/dcim/sites/?page=2");
}

TEST(Location, NetworkPathTakesTheCurrentScheme) {
    auto r = resolve_location(origin{true, "h", 443}, "//mirror.example/api/");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->where, (origin{true, "mirror.example", 443}));
    EXPECT_EQ(r->target, "/api/");
}

TEST(Location, Rejections) {
    const origin current{true, "h", 443};
    for (std::string_view bad : {"", "ftp://h/file", "https://user:pw@h/", "javascript:alert(1)", "http://[::1/"}) {
        auto r = resolve_location(current, bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, errc::invalid_argument) << bad;
    }
}

}  // namespace
