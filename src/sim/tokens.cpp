#include "sim/tokens.hpp"

#include "sim/http_message.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace netbox::sim {
namespace {

namespace json = boost::json;

constexpr std::string_view v2_prefix = "nbt_";
constexpr std::string_view alphanumeric = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::string_view hexadecimal = "0123456789abcdef";

auth_result refused(std::string detail)
{
    return {auth_result::outcome::refused, std::move(detail)};
}

/// Words separated by ASCII white space, as Python's bytes.split() cuts them.
std::vector<std::string_view> split_words(std::string_view text)
{
    constexpr std::string_view space = " \t\n\r\v\f";
    std::vector<std::string_view> words;
    for (std::size_t start = text.find_first_not_of(space); start != std::string_view::npos;) {
        const std::size_t end = std::min(text.find_first_of(space, start), text.size());
        words.push_back(text.substr(start, end - start));
        start = text.find_first_not_of(space, end);
    }
    return words;
}

/// "2026-11-23T04:08:17.484537Z"
std::string utc_timestamp()
{
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1'000'000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[40];
    const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
    std::snprintf(text + n, sizeof text - n, ".%06lldZ", static_cast<long long>(micros));
    return text;
}

/// How NetBox shows a v1 token it will not reveal again: 34 asterisks and the last 6 characters.
std::string masked(std::string_view plaintext)
{
    const std::size_t shown = std::min<std::size_t>(6, plaintext.size());
    return std::string(34, '*') + std::string(plaintext.substr(plaintext.size() - shown));
}

std::string_view string_member(const json::object& o, std::string_view name)
{
    const json::value* v = o.if_contains(name);
    return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

}  // namespace

token_store::token_store(bool v2_tokens, const std::vector<std::string>& tokens, std::uint64_t seed)
    : v2_tokens_(v2_tokens), random_(seed)
{
    for (const std::string& text : tokens) {
        token t;
        t.id = static_cast<std::int64_t>(tokens_.size()) + 1;
        const bool v2_form = v2_tokens_ && text.starts_with(v2_prefix);  // before cutting the prefix off
        const std::string_view body = v2_form ? std::string_view(text).substr(v2_prefix.size()) : std::string_view();
        if (v2_form && body.find('.') != std::string_view::npos) {
            t.version = 2;
            t.key = body.substr(0, body.find('.'));
            t.secret = body.substr(body.find('.') + 1);
        } else {
            t.secret = text;
        }
        tokens_.push_back(std::move(t));
    }
}

const token_store::token* token_store::find(int version, std::string_view key, std::string_view secret) const
{
    for (const token& t : tokens_)
        if (t.version == version && t.key == key && t.secret == secret)
            return &t;
    return nullptr;
}

auth_result token_store::authenticate(std::string_view authorization) const
{
    const std::vector<std::string_view> words = split_words(authorization);
    if (words.empty())
        return {};
    const std::string_view keyword = words[0];

    if (!v2_tokens_) {  // rest_framework.authentication.TokenAuthentication
        if (!iequals(keyword, "Token"))
            return {};
        if (words.size() == 1)
            return refused("Invalid token header. No credentials provided.");
        if (words.size() > 2)
            return refused("Invalid token header. Token string should not contain spaces.");
        const token* t = find(1, "", words[1]);
        return t ? auth_result{auth_result::outcome::authenticated, "", t->write_enabled} : refused("Invalid token");
    }

    if (!iequals(keyword, "Token") && !iequals(keyword, "Bearer"))
        return {};
    if (words.size() != 2)
        return refused(R"(Invalid authorization header: Must be in the form "Bearer <key>.<token>" or "Token <token>")");
    std::string_view value = words[1];
    const token* t = nullptr;
    if (value.starts_with(v2_prefix)) {
        value.remove_prefix(v2_prefix.size());
        const std::size_t dot = value.find('.');
        if (dot == std::string_view::npos)
            return refused("Invalid authorization header: Could not parse key from v2 token. "
                           "Did you mean to use 'Token' instead of 'Bearer'?");
        t = find(2, value.substr(0, dot), value.substr(dot + 1));
        if (!t)
            return refused("Invalid v2 token");
    } else {
        t = find(1, "", value);
        if (!t)
            return refused("Invalid v1 token");
    }
    return {auth_result::outcome::authenticated, "", t->write_enabled};
}

std::string token_store::random_text(std::size_t length, std::string_view alphabet)
{
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    std::string text(length, ' ');
    for (char& c : text)
        c = alphabet[pick(random_)];
    return text;
}

provision_answer token_store::provision(const json::value& body, std::string_view username,
                                        std::string_view password, std::string_view base_url)
{
    const auto forbidden = [](std::string_view detail) {
        return provision_answer{403, json::object{{"detail", detail}}};
    };
    const json::object empty;
    const json::object& fields = body.is_object() ? body.get_object() : empty;
    const std::string_view given_user = string_member(fields, "username");
    const std::string_view given_password = string_member(fields, "password");
    if (given_user.empty() || given_password.empty())
        return forbidden("Username and password must be provided to provision a token.");
    if (given_user != username || given_password != password)
        return forbidden("Invalid username/password");

    token t;
    t.id = static_cast<std::int64_t>(tokens_.size()) + 1;
    if (const json::value* w = fields.if_contains("write_enabled"); w && w->is_bool())
        t.write_enabled = w->get_bool();
    if (v2_tokens_) {
        const json::value* version = fields.if_contains("version");
        t.version = version ? -1 : 2;
        if (version && version->is_int64() && (version->get_int64() == 1 || version->get_int64() == 2))
            t.version = static_cast<int>(version->get_int64());
        if (t.version < 0) {
            const std::string given = version->is_string() ? std::string(version->get_string()) : json::serialize(*version);
            return {400, json::object{{"version", json::array{"\"" + given + "\" is not a valid choice."}}}};
        }
    }
    if (t.version == 2) {
        t.key = random_text(12, alphanumeric);
        t.secret = random_text(40, alphanumeric);
    } else {
        t.secret = random_text(40, v2_tokens_ ? alphanumeric : hexadecimal);
    }
    tokens_.push_back(t);
    return {201, describe(t, string_member(fields, "description"), username, base_url)};
}

json::object token_store::describe(const token& t, std::string_view description, std::string_view username,
                                   std::string_view base_url) const
{
    const std::string id = std::to_string(t.id);
    json::object o;
    o["id"] = t.id;
    o["url"] = std::string(base_url) + "/api/users/tokens/" + id + "/";
    o["display_url"] = std::string(base_url) + "/users/tokens/" + id + "/";
    o["display"] = t.version == 2 ? t.key : masked(t.secret);
    if (v2_tokens_)
        o["version"] = t.version;
    o["user"] = json::object{{"id", 1},
                             {"url", std::string(base_url) + "/api/users/users/1/"},
                             {"display", username},
                             {"username", username}};
    if (v2_tokens_)
        o["key"] = t.version == 2 ? json::value(t.key) : json::value(nullptr);
    o["created"] = utc_timestamp();
    o["expires"] = nullptr;
    o["last_used"] = nullptr;
    if (v2_tokens_)
        o["enabled"] = true;
    else
        o["key"] = t.secret;
    o["write_enabled"] = t.write_enabled;
    o["description"] = description;
    o["allowed_ips"] = json::array();
    if (v2_tokens_)
        o["token"] = t.secret;
    return o;
}

}  // namespace netbox::sim
