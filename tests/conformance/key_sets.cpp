#include "key_sets.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <iterator>
#include <set>

namespace netbox::test {
namespace json = boost::json;
namespace {

std::set<std::string> keys_of(const json::object& o, const std::string& where, const key_exemption& exempt) {
    std::set<std::string> keys;
    for (const auto& member : o)
        if (!exempt || !exempt(where, member.key())) keys.insert(std::string(member.key()));
    return keys;
}

std::string joined(const std::set<std::string>& keys) {
    std::string out;
    for (const std::string& k : keys) out += (out.empty() ? "" : ", ") + k;
    return out;
}

void compare_at(const json::value& expected, const json::value& actual, const std::string& where,
                const key_exemption& exempt, std::vector<std::string>& problems) {
    if (expected.is_object() && actual.is_object()) {
        const auto want = keys_of(expected.get_object(), where, exempt);
        const auto have = keys_of(actual.get_object(), where, exempt);
        std::set<std::string> missing;
        std::set<std::string> extra;
        std::ranges::set_difference(want, have, std::inserter(missing, missing.end()));
        std::ranges::set_difference(have, want, std::inserter(extra, extra.end()));
        if (!missing.empty() || !extra.empty())
            problems.push_back(where + ": missing {" + joined(missing) + "}, unexpected {" + joined(extra) + "}");
        for (const auto& member : expected.get_object())
            if (const json::value* other = actual.get_object().if_contains(member.key()))
                compare_at(member.value(), *other, where + "." + std::string(member.key()), exempt, problems);
    } else if (expected.is_array() && actual.is_array()) {
        const json::array& want = expected.get_array();
        const json::array& have = actual.get_array();
        const bool top_level = where == "$" || where == "$.results";
        if (top_level && !want.empty() && have.empty())
            problems.push_back(where + ": empty, NetBox answered " + std::to_string(want.size()) + " elements");
        if (!want.empty() && !have.empty()) compare_at(want.front(), have.front(), where + "[0]", exempt, problems);
    } else if (!expected.is_null() && !actual.is_null() && expected.kind() != actual.kind() &&
               !(expected.is_number() && actual.is_number())) {
        problems.push_back(where + ": " + json::serialize(actual) + " where NetBox had " + json::serialize(expected));
    }
}

}  // namespace

void compare_keys(const json::value& expected, const json::value& actual, const key_exemption& exempt,
                  std::vector<std::string>& problems) {
    compare_at(expected, actual, "$", exempt, problems);
}

}  // namespace netbox::test
