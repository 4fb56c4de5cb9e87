// The vocabulary types of the typed models and the codec primitives generated code calls.
#include "types/codec_impl.hpp"

#include <netbox/model/api_model.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

namespace {

namespace json = boost::json;
namespace impl = netbox::codec::impl;
using netbox::codec::decode_mode;
using netbox::codec::decoder;
using netbox::codec::validator;

enum class color : std::uint16_t { red = 1, green, blue };
enum class width : std::uint16_t { _10 = 1, _19 };

}  // namespace

template <>
struct netbox::choice_traits<color> {
    static constexpr std::string_view values[] = {"red", "green", "blue"};
    static constexpr std::string_view name = "color";
    static constexpr bool integer = false;
};
template <>
struct netbox::choice_traits<width> {
    static constexpr std::string_view values[] = {"10", "19"};
    static constexpr std::string_view name = "width";
    static constexpr bool integer = true;
};

namespace {

// A hand-written stand-in for a generated struct.
struct thing {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> description;
    netbox::choice_of<color> color_;
    std::vector<std::int64_t> vids;
    netbox::tri_state<std::int64_t> tenant;
    netbox::json_value custom_fields;
    friend bool operator==(const thing&, const thing&) = default;
};
constexpr std::string_view thing_keys[] = {"id", "name", "description", "color", "vids", "tenant", "custom_fields"};

void decode(const json::value& in, thing& out, decoder& d) {
    const json::object& o = impl::object_of(in, d);
    impl::member(o, "id", out.id, d, impl::required);
    impl::member(o, "name", out.name, d, impl::required);
    impl::member(o, "description", out.description, d, impl::optional_member);
    impl::member(o, "color", out.color_, d, impl::optional_member);
    impl::member(o, "vids", out.vids, d, impl::optional_member);
    impl::member(o, "tenant", out.tenant, d, impl::nullable);
    impl::member(o, "custom_fields", out.custom_fields, d, impl::optional_member);
    if (d.mode() == decode_mode::strict) impl::check_keys(o, thing_keys, d);
}

void encode(const thing& in, json::value& out) {
    json::object& o = out.emplace_object();
    impl::member(o, "id", in.id);
    impl::member(o, "name", in.name);
    impl::member(o, "description", in.description);
    impl::member(o, "color", in.color_);
    impl::member(o, "vids", in.vids);
    impl::member(o, "tenant", in.tenant);
    impl::member(o, "custom_fields", in.custom_fields);
}

void validate(const thing& in, validator& v) {
    impl::check(v, "name", in.name, {.required = true, .nullable = false, .min_length = 1, .max_length = 5, .pattern = "^[-a-zA-Z0-9_]+$"});
    impl::check(v, "color", in.color_, {.required = true});
    impl::check(v, "vids", in.vids, {.minimum = 1, .maximum = 4094, .max_items = 2});
    impl::check(v, "tenant", in.tenant, {.nullable = false});
}

thing decode_text(std::string_view text, decode_mode mode = decode_mode::lenient, decoder* out = nullptr) {
    decoder d(mode);
    thing t;
    decode(json::parse(text), t, out ? *out : d);
    return t;
}

TEST(TriState, HasThreeStates) {
    netbox::tri_state<std::int64_t> unset, null = netbox::null, value = 0;
    EXPECT_TRUE(unset.is_unset());
    EXPECT_FALSE(unset.is_null());
    EXPECT_TRUE(null.is_null());
    EXPECT_FALSE(null.has_value());
    EXPECT_TRUE(value.has_value());
    EXPECT_EQ(*value, 0);
    EXPECT_NE(unset, null);
    EXPECT_EQ(null, netbox::null);
    EXPECT_THROW((void)null.value(), std::logic_error);
    netbox::tri_state<std::string> s = "abc";
    EXPECT_EQ(s.value(), "abc");
    s.set_null();
    EXPECT_TRUE(s.is_null());
    s.reset();
    EXPECT_TRUE(s.is_unset());
}

TEST(Choice, KeepsValuesItDoesNotName) {
    netbox::choice_of<color> known = color::green;
    EXPECT_TRUE(known.is_known());
    EXPECT_EQ(known.raw(), "green");
    EXPECT_TRUE(known == color::green);
    auto custom = netbox::choice_of<color>::from_raw("purple", "Purple");
    EXPECT_FALSE(custom.is_known());
    EXPECT_EQ(custom.raw(), "purple");
    EXPECT_EQ(custom.label(), "Purple");
    EXPECT_FALSE(custom == color{});
    EXPECT_EQ(netbox::choice_of<color>::from_raw("blue").value(), color::blue);
    EXPECT_FALSE(netbox::choice_of<color>().is_set());
    EXPECT_TRUE(netbox::choice_of<color>::from_raw("").is_set());  // the blank value is a value
}

TEST(Codec, DecodesResponseShapes) {
    const thing t = decode_text(R"({"id": 7, "name": "sw1", "description": null,
        "color": {"value": "blue", "label": "Blue"}, "vids": [10, 20], "tenant": null,
        "custom_fields": {"owner": "ops"}, "extra": 1})");
    EXPECT_EQ(t.id, 7);
    EXPECT_EQ(t.name, "sw1");
    EXPECT_FALSE(t.description);
    EXPECT_EQ(t.color_, color::blue);
    EXPECT_EQ(t.color_.label(), "Blue");
    EXPECT_EQ(t.vids, (std::vector<std::int64_t>{10, 20}));
    EXPECT_TRUE(t.tenant.is_null());
    EXPECT_EQ(json::serialize(t.custom_fields.get()), R"({"owner":"ops"})");
}

TEST(Codec, ErrorsCarryTheJsonPointer) {
    try {
        decode_text(R"({"id": 7, "name": "x", "vids": [1, "two"]})");
        FAIL() << "no error";
    } catch (const netbox::codec::decode_error& e) {
        EXPECT_EQ(e.path(), "/vids/1");
        EXPECT_NE(std::string(e.what()).find("expected an integer, got a string"), std::string::npos);
    }
    try {
        decode_text(R"({"id": 7, "name": "x", "color": {"label": "Blue"}})");
        FAIL() << "no error";
    } catch (const netbox::codec::decode_error& e) {
        EXPECT_EQ(e.path(), "/color");
    }
}

TEST(Codec, LenientToleratesAndNotesWhatStrictRefuses) {
    // `name` is required and not nullable: null is a schema defect; `extra` an unknown key.
    const std::string_view text = R"({"id": 1, "name": null, "extra": true})";
    decoder lenient;
    const thing t = decode_text(text, decode_mode::lenient, &lenient);
    EXPECT_EQ(t.name, "");
    ASSERT_EQ(lenient.notes().size(), 1u);
    EXPECT_EQ(lenient.notes()[0].path, "/name");
    EXPECT_THROW(decode_text(text, decode_mode::strict), netbox::codec::decode_error);
    EXPECT_THROW(decode_text(R"({"id": 1, "name": "a", "extra": true})", decode_mode::strict),
                 netbox::codec::decode_error);
    EXPECT_THROW(decode_text(R"({"id": 1})", decode_mode::strict), netbox::codec::decode_error);  // name missing
    EXPECT_NO_THROW(decode_text(R"({"id": 1})"));  // fields=id answers leave members out
}

TEST(Codec, EncodesOnlyWhatIsSet) {
    thing t;
    t.id = 3;
    t.name = "a";
    json::value out;
    encode(t, out);
    EXPECT_EQ(json::serialize(out), R"({"id":3,"name":"a","vids":[],"custom_fields":null})");
    t.tenant = netbox::null;
    t.color_ = color::red;
    t.description = "d";
    encode(t, out);
    EXPECT_EQ(json::serialize(out),
              R"({"id":3,"name":"a","description":"d","color":"red","vids":[],"tenant":null,"custom_fields":null})");
}

TEST(Codec, RoundTripsThroughJson) {
    thing t;
    t.id = 9;
    t.name = "n";
    t.description = "d";
    t.color_ = netbox::choice_of<color>::from_raw("custom");
    t.vids = {1, 2};
    t.tenant = 4;
    t.custom_fields = json::parse(R"({"a": [1, {"b": null}]})");
    json::value out;
    encode(t, out);
    decoder d(decode_mode::strict);
    thing back;
    decode(out, back, d);
    EXPECT_EQ(back, t);
}

TEST(Codec, IntegerChoicesTravelAsIntegers) {
    netbox::choice_of<width> w = width::_19;
    json::value out;
    impl::write(w, out);
    EXPECT_EQ(out, json::value(19));
    decoder d;
    netbox::choice_of<width> back;
    impl::read(json::parse(R"({"value": 19, "label": "19 inches"})"), back, d);
    EXPECT_EQ(back, width::_19);
}

TEST(Codec, ReferencesAreIdsOrAttributes) {
    json::value out;
    impl::write(netbox::ref(12), out);
    EXPECT_EQ(out, json::value(12));
    impl::write(netbox::ref::by(json::parse(R"({"slug": "ber"})")), out);
    EXPECT_EQ(json::serialize(out), R"({"slug":"ber"})");
    decoder d;
    netbox::ref r;
    impl::read(json::value(5), r, d);
    EXPECT_TRUE(r.is_id());
    EXPECT_EQ(r.id(), 5);
}

TEST(Validation, NamesEveryBadMemberByPath) {
    thing t;
    t.name = "way too long!";
    t.vids = {0, 5000, 7};
    t.tenant = netbox::null;
    validator v;
    validate(t, v);
    std::vector<std::string> paths;
    for (const auto& x : v.violations()) paths.push_back(x.path);
    EXPECT_EQ(paths, (std::vector<std::string>{"/name", "/name", "/color", "/vids", "/vids/0", "/vids/1", "/tenant"}));

    thing good;
    good.name = "ok-1";
    good.color_ = color::red;
    validator ok;
    validate(good, ok);
    EXPECT_TRUE(ok.ok()) << ok.violations()[0].path << ": " << ok.violations()[0].what;

    good.color_ = netbox::choice_of<color>::from_raw("bogus");
    validator bad;
    validate(good, bad);
    ASSERT_EQ(bad.violations().size(), 1u);
    EXPECT_EQ(bad.violations()[0].path, "/color");
    EXPECT_NE(bad.violations()[0].what.find("'bogus' is not one of red, green, blue"), std::string::npos);
}

TEST(Validation, LengthCountsCharactersNotBytes) {
    validator v;
    impl::check(v, "name", std::string("ÄÖÜ"), {.max_length = 3});
    EXPECT_TRUE(v.ok());
    impl::check(v, "name", std::string("ÄÖÜx"), {.max_length = 3});
    EXPECT_FALSE(v.ok());
}

TEST(Validation, PatternsOtherThanSlug) {
    validator v;
    impl::check(v, "color", std::string("ff00aa"), {.pattern = "^[0-9a-f]{6}$"});
    EXPECT_TRUE(v.ok());
    impl::check(v, "color", std::string("red"), {.pattern = "^[0-9a-f]{6}$"});
    ASSERT_EQ(v.violations().size(), 1u);
    EXPECT_EQ(v.violations()[0].path, "/color");
}

TEST(Filters, FoldLookupFamilies) {
    netbox::filter_of<std::string> site = {"ber", "ams"};
    netbox::filter_of<std::string> name = netbox::ic("core");
    netbox::filter_of<std::int64_t> id = {netbox::gte(100), netbox::lt(200)};
    netbox::filter_of<std::int64_t> tenant = netbox::null;
    netbox::filter_of<std::string> serial = netbox::empty(false);
    netbox::codec::query_writer q;
    impl::write_filter(q, "site", site);
    impl::write_filter(q, "name", name);
    impl::write_filter(q, "id", id);
    impl::write_filter(q, "tenant_id", tenant);
    impl::write_filter(q, "serial", serial);
    const std::vector<std::pair<std::string, std::string>> expected{
        {"site", "ber"}, {"site", "ams"}, {"name__ic", "core"}, {"id__gte", "100"}, {"id__lt", "200"},
        {"tenant_id", "null"}, {"serial__empty", "false"}};
    EXPECT_EQ(q.params(), expected);

    validator v;
    impl::check_filter(v, "name", name, netbox::model::exact | netbox::model::n);
    ASSERT_EQ(v.violations().size(), 1u);
    EXPECT_EQ(v.violations()[0].path, "/name__ic");
}

TEST(Filters, ListOptionsAreWrittenAfterFilters) {
    netbox::codec::query_writer q;
    impl::write_list_options(q, true, {"id", "name"}, {}, {"config_context"}, 50, std::nullopt, {"-name"},
                             {{"cf_owner", "ops"}});
    const std::vector<std::pair<std::string, std::string>> expected{
        {"brief", "true"}, {"fields", "id,name"}, {"exclude", "config_context"}, {"ordering", "-name"},
        {"limit", "50"}, {"cf_owner", "ops"}};
    EXPECT_EQ(q.params(), expected);
}

TEST(JsonValue, IsAnOwnedCopyableValue) {
    netbox::json_value a;
    EXPECT_TRUE(a.is_null());
    a.get_mut() = json::parse(R"({"x": 1})");
    netbox::json_value b = a;
    b.get_mut().as_object()["x"] = 2;
    EXPECT_EQ(a.get().at("x"), json::value(1));
    EXPECT_NE(a, b);
    netbox::json_value c = std::move(b);
    EXPECT_EQ(c.get().at("x"), json::value(2));
}

}  // namespace
