#include <netbox/error.hpp>
#include <netbox/http.hpp>
#include <netbox/result.hpp>

#include <boost/json/value.hpp>

#include <gtest/gtest.h>

#include <set>

namespace {

using netbox::api_error;
using netbox::errc;
using netbox::header_list;
using netbox::http_method;
using netbox::response;

response json_response(int status, std::string body, std::string content_type = "application/json") {
    response r;
    r.status = status;
    r.headers.add("Content-Type", std::move(content_type));
    r.body = std::move(body);
    return r;
}

// --- error ---------------------------------------------------------------------------------

TEST(Error, CategoryNamesEveryCode) {
    EXPECT_STREQ(netbox::netbox_category().name(), "netbox");
    std::set<std::string> messages;
    for (int v = static_cast<int>(errc::invalid_argument); v <= static_cast<int>(errc::host_not_found); ++v) {
        const auto msg = make_error_code(static_cast<errc>(v)).message();
        EXPECT_NE(msg, "unknown netbox error") << v;
        messages.insert(msg);
    }
    EXPECT_EQ(messages.size(), static_cast<std::size_t>(errc::host_not_found));
    EXPECT_EQ(netbox::netbox_category().message(0), "unknown netbox error");
}

TEST(Error, CodesCompareWithTheEnum) {
    boost::system::error_code ec = errc::timeout;
    EXPECT_EQ(ec, errc::timeout);
    EXPECT_NE(ec, errc::pool_timeout);
    EXPECT_EQ(&ec.category(), &netbox::netbox_category());
}

TEST(Error, WhatWithOnlyACodeUsesTheCodeMessage) {
    netbox::error e;
    e.code = errc::connect_failed;
    EXPECT_EQ(e.what(), make_error_code(errc::connect_failed).message());
}

TEST(Error, WhatComposesEveryPart) {
    netbox::error e;
    e.code = errc::http_status;
    e.message = "NetBox answered HTTP 400";
    e.method = "POST";
    e.url = "https://nb/api/dcim/sites/";
    e.status = 400;
    e.detail = "bad";
    e.field_errors = {{"name", {"This field is required.", "Too short."}}, {"", {"odd"}}};
    e.request_id = "rid-1";
    e.attempts = 2;
    e.maybe_committed = true;
    EXPECT_EQ(e.what(), "NetBox answered HTTP 400 [POST https://nb/api/dcim/sites/] status=400 detail=bad "
                        "name=This field is required.; Too short. field=odd request_id=rid-1 attempts=2 "
                        "(may have been committed)");
}

// Server text must not forge log lines or send terminal escapes; the field keeps it raw.
TEST(Error, WhatEscapesControlCharactersOfServerText) {
    netbox::error e;
    e.code = errc::http_status;
    e.detail = "bad\r\nX-Forged: yes\x1b[31m";
    e.field_errors.push_back({"name", {"line1\nline2"}});
    const std::string text = e.what();
    EXPECT_EQ(text.find('\n'), std::string::npos) << text;
    EXPECT_EQ(text.find('\r'), std::string::npos) << text;
    EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
    EXPECT_NE(text.find("bad\\r\\nX-Forged: yes\\x1b[31m"), std::string::npos) << text;
    EXPECT_NE(text.find("line1\\nline2"), std::string::npos) << text;
    EXPECT_EQ(e.detail, "bad\r\nX-Forged: yes\x1b[31m");
}

TEST(Error, WhatCapsLongServerText) {
    netbox::error e;
    e.code = errc::http_status;
    e.detail = std::string(10000, 'x');
    EXPECT_LT(e.what().size(), 1000u);
}

TEST(Response, DeeplyNestedJsonParses) {
    response r;
    r.status = 200;
    r.headers.set("Content-Type", "application/json");
    r.body = std::string(200, '[') + std::string(200, ']');
    EXPECT_TRUE(r.try_json().has_value()) << r.try_json().error().what();
}

TEST(Error, WhatLeavesOutEmptyParts) {
    netbox::error e;
    e.message = "m";
    e.url = "https://nb/x/";
    e.attempts = 1;
    EXPECT_EQ(e.what(), "m [https://nb/x/]");
    e.url.clear();
    e.method = "GET";
    EXPECT_EQ(e.what(), "m [GET]");
}

TEST(Error, ApiErrorCarriesTheInfo) {
    netbox::error e;
    e.code = errc::http_status;
    e.message = "NetBox answered HTTP 404";
    e.status = 404;
    e.detail = "No Device matches the given query.";
    const api_error ex(e);
    EXPECT_EQ(std::string(ex.what()), e.what());
    EXPECT_EQ(ex.code(), errc::http_status);
    EXPECT_EQ(ex.status(), 404);
    EXPECT_EQ(ex.info().detail, e.detail);
    const std::runtime_error& base = ex;
    EXPECT_EQ(std::string(base.what()), e.what());
}

TEST(Error, ResultValueThrowsApiError) {
    netbox::error e;
    e.code = errc::json_parse_error;
    e.message = "broken";
    e.status = 200;
    netbox::result<int> r = e;
    ASSERT_TRUE(r.has_error());
    EXPECT_EQ(r.error().message, "broken");
    try {
        (void)r.value();
        FAIL() << "value() did not throw";
    } catch (const api_error& ex) {
        EXPECT_EQ(ex.code(), errc::json_parse_error);
        EXPECT_EQ(ex.info().message, "broken");
        EXPECT_EQ(ex.status(), 200);
    }
    netbox::result<int> ok = 7;
    EXPECT_EQ(ok.value(), 7);
}

// --- methods -------------------------------------------------------------------------------

TEST(HttpMethod, NamesAndIdempotency) {
    const std::pair<http_method, std::string_view> names[] = {
        {http_method::get, "GET"},     {http_method::head, "HEAD"},       {http_method::post, "POST"},
        {http_method::put, "PUT"},     {http_method::patch, "PATCH"},     {http_method::delete_, "DELETE"},
        {http_method::options, "OPTIONS"},
    };
    for (auto [m, name] : names) {
        EXPECT_EQ(to_string(m), name);
        EXPECT_EQ(is_idempotent(m), name != "POST" && name != "PATCH") << name;
    }
}

// --- header_list ---------------------------------------------------------------------------

TEST(HeaderList, GetIsCaseInsensitiveAndReturnsTheFirstValue) {
    header_list h{{"Content-Type", "application/json"}, {"X-Thing", "1"}, {"x-thing", "2"}};
    EXPECT_EQ(h.get("content-type"), "application/json");
    EXPECT_EQ(h.get("CONTENT-TYPE"), "application/json");
    EXPECT_EQ(h.get("X-THING"), "1");
    EXPECT_FALSE(h.get("Content"));
    EXPECT_FALSE(h.get("Content-Type-X"));
    EXPECT_TRUE(h.contains("x-Thing"));
    EXPECT_FALSE(h.contains("Accept"));
    EXPECT_EQ(h.size(), 3u);
}

TEST(HeaderList, AddKeepsDuplicatesInOrder) {
    header_list h;
    EXPECT_TRUE(h.empty());
    h.add("Accept", "a");
    h.add("accept", "b");
    ASSERT_EQ(h.size(), 2u);
    std::vector<std::string> values;
    for (const auto& [name, value] : h) values.push_back(value);
    EXPECT_EQ(values, (std::vector<std::string>{"a", "b"}));
}

TEST(HeaderList, SetReplacesEveryFieldOfThatName) {
    header_list h{{"A", "1"}, {"B", "2"}, {"a", "3"}};
    h.set("A", "9");
    EXPECT_EQ(h.size(), 2u);
    EXPECT_EQ(h.get("a"), "9");
    EXPECT_EQ(h.get("b"), "2");
}

TEST(HeaderList, EraseRemovesEveryFieldOfThatName) {
    header_list h{{"A", "1"}, {"B", "2"}, {"a", "3"}};
    h.erase("A");
    EXPECT_EQ(h.size(), 1u);
    EXPECT_FALSE(h.contains("a"));
    h.erase("missing");
    EXPECT_EQ(h.size(), 1u);
}

// --- response ------------------------------------------------------------------------------

TEST(Response, OkAndWellKnownHeaders) {
    response r;
    r.status = 204;
    EXPECT_TRUE(r.ok());
    r.status = 299;
    EXPECT_TRUE(r.ok());
    r.status = 301;
    EXPECT_FALSE(r.ok());
    r.status = 199;
    EXPECT_FALSE(r.ok());

    EXPECT_EQ(r.api_version(), "");
    EXPECT_EQ(r.request_id(), "");
    r.headers.add("api-version", "4.5");
    r.headers.add("X-Request-Id", "abc");
    EXPECT_EQ(r.api_version(), "4.5");
    EXPECT_EQ(r.request_id(), "abc");
    EXPECT_EQ(r.header("API-VERSION"), "4.5");
}

TEST(Response, TryJsonAcceptsJsonMediaTypes) {
    for (std::string_view type : {"application/json", "application/json; charset=utf-8", "Application/JSON",
                                  "application/problem+json", "application/vnd.oai.openapi+json;charset=utf-8"}) {
        auto v = json_response(200, R"({"count": 3})", std::string(type)).try_json();
        ASSERT_TRUE(v) << type;
        EXPECT_EQ(v->at("count").as_int64(), 3) << type;
    }
}

TEST(Response, TryJsonOfEmptyBodyIsNull) {
    auto v = json_response(204, "").try_json();
    ASSERT_TRUE(v);
    EXPECT_TRUE(v->is_null());
    // Even when the type says otherwise: there is nothing to misread.
    EXPECT_TRUE(json_response(200, "", "text/html").try_json());
}

TEST(Response, TryJsonRejectsOtherContentTypes) {
    auto r = json_response(200, "<html>login</html>", "text/html; charset=utf-8");
    r.headers.add("X-Request-ID", "rid-7");
    auto v = r.try_json();
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().code, errc::unexpected_content_type);
    EXPECT_NE(v.error().message.find("text/html"), std::string::npos);
    EXPECT_EQ(v.error().status, 200);
    EXPECT_EQ(v.error().request_id, "rid-7");
    EXPECT_EQ(v.error().body_excerpt, "<html>login</html>");

    EXPECT_FALSE(json_response(200, "{}", "application/jsonp").try_json());
    EXPECT_FALSE(json_response(200, "{}", "+json").try_json());
}

TEST(Response, TryJsonReportsMalformedJson) {
    auto v = json_response(200, R"({"count": )").try_json();
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().code, errc::json_parse_error);
}

TEST(Response, BodyExcerptIsTruncated) {
    auto v = json_response(200, std::string(10'000, '{')).try_json();
    ASSERT_FALSE(v);
    EXPECT_LT(v.error().body_excerpt.size(), 10'000u);
    EXPECT_FALSE(v.error().body_excerpt.empty());
}

TEST(Response, JsonThrowsApiError) {
    EXPECT_EQ(json_response(200, "[1,2]").json().as_array().size(), 2u);
    try {
        (void)json_response(200, "nope", "text/plain").json();
        FAIL() << "json() did not throw";
    } catch (const api_error& e) {
        EXPECT_EQ(e.code(), errc::unexpected_content_type);
    }
}

// --- check_status --------------------------------------------------------------------------

TEST(CheckStatus, SuccessIsNotAnError) {
    EXPECT_TRUE(json_response(201, "{}").check_status());
    EXPECT_NO_THROW(json_response(200, "").raise_for_status());
}

TEST(CheckStatus, DetailBody) {
    auto r = json_response(404, R"({"detail": "No Site matches the given query."})");
    r.method = http_method::get;
    r.url = "https://nb/api/dcim/sites/99/";
    auto s = r.check_status();
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, errc::http_status);
    EXPECT_EQ(s.error().status, 404);
    EXPECT_EQ(s.error().detail, "No Site matches the given query.");
    EXPECT_EQ(s.error().method, "GET");
    EXPECT_EQ(s.error().url, r.url);
    EXPECT_TRUE(s.error().field_errors.empty());
}

TEST(CheckStatus, ValidationErrorsPerField) {
    auto s = json_response(400, R"({"name": ["This field is required."], "slug": ["Bad.", "Taken."]})").check_status();
    ASSERT_FALSE(s);
    const auto& f = s.error().field_errors;
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[0].field, "name");
    EXPECT_EQ(f[0].messages, std::vector<std::string>{"This field is required."});
    EXPECT_EQ(f[1].field, "slug");
    EXPECT_EQ(f[1].messages, (std::vector<std::string>{"Bad.", "Taken."}));
}

TEST(CheckStatus, BulkValidationErrorsArePrefixedWithTheIndex) {
    auto s = json_response(400, R"([{}, {"name": ["Required."]}])").check_status();
    ASSERT_FALSE(s);
    ASSERT_EQ(s.error().field_errors.size(), 1u);
    EXPECT_EQ(s.error().field_errors[0].field, "[1].name");
}

TEST(CheckStatus, ServerErrorBody) {
    auto s = json_response(500, R"({"error": "Maintenance", "exception": "ReadOnlyError",
                                    "netbox_version": "4.5.0", "python_version": "3.12"})")
                 .check_status();
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().detail.find("Maintenance"), std::string::npos);
    EXPECT_NE(s.error().detail.find("ReadOnlyError"), std::string::npos);
}

TEST(CheckStatus, NonJsonBodyStillGivesTheStatus) {
    auto r = json_response(502, "<html>Bad Gateway</html>", "text/html");
    auto s = r.check_status();
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().status, 502);
    EXPECT_EQ(s.error().body_excerpt, r.body);
    try {
        r.raise_for_status();
        FAIL() << "raise_for_status() did not throw";
    } catch (const api_error& e) {
        EXPECT_EQ(e.status(), 502);
    }
}

}  // namespace
