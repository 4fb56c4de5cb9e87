// The syntax tree of the GraphQL subset the simulator understands (see graphql.hpp), its parser,
// and the error that becomes an entry of a GraphQL answer's "errors".
#pragma once

#include <boost/json/array.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netbox::sim::graphql {

/// 1-based, as GraphQL reports them.
struct location {
    int line = 1;
    int column = 1;
};

/// A failure of a query, reported in "errors" (its message is GraphQL's or graphql-core's wording
/// where we know it).
struct query_error : std::runtime_error {
    query_error(std::string message, std::optional<location> where = {}, boost::json::array path = {})
        : std::runtime_error(std::move(message)), at(where), path(std::move(path))
    {
    }
    std::optional<location> at;
    boost::json::array path;  ///< response path of the field that failed (execution errors)
};

struct value {
    enum class kind { null, boolean, integer, number, string, enumeration, variable, list, object };
    kind type = kind::null;
    std::string text;  ///< boolean, number or enum literal, string contents, variable name
    std::vector<value> items;                           ///< list
    std::vector<std::pair<std::string, value>> fields;  ///< object, in order
    location at;
};

/// `value` as GraphQL prints it: `{exact: STATUS_ACTIVE}`, `[1, 2]`, `"text"`.
std::string print(const value& v);

struct field {
    std::string alias;  ///< empty when none
    std::string name;
    std::vector<std::pair<std::string, value>> arguments;
    std::vector<field> selection;
    location at;

    /// The key of this field in the answer.
    const std::string& key() const { return alias.empty() ? name : alias; }
    const value* argument(std::string_view argument_name) const;
};

struct variable_definition {
    std::string name;
    std::string type;  ///< as written: "ID!", "[String]"
    std::optional<value> default_value;
};

struct operation {
    std::vector<variable_definition> variables;
    std::vector<field> selection;
};

/// Parses a document holding one query operation (`{...}` or `query [Name] [($v: T)] {...}`).
/// Throws query_error ("Syntax Error: ...") for anything else.
operation parse(std::string_view document);

}  // namespace netbox::sim::graphql
