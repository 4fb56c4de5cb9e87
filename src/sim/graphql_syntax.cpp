#include "sim/graphql_syntax.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include <algorithm>

namespace netbox::sim::graphql {
namespace {

bool is_name_start(char c)
{
    return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool is_name_char(char c)
{
    return is_name_start(c) || (c >= '0' && c <= '9');
}

bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

void append_utf8(std::string& out, unsigned code_point)
{
    if (code_point < 0x80) {
        out += char(code_point);
    } else if (code_point < 0x800) {
        out += char(0xC0 | (code_point >> 6));
        out += char(0x80 | (code_point & 0x3F));
    } else {
        out += char(0xE0 | (code_point >> 12));
        out += char(0x80 | ((code_point >> 6) & 0x3F));
        out += char(0x80 | (code_point & 0x3F));
    }
}

/// A recursive-descent parser over the document text; `pos_` always rests on a significant
/// character (white space, commas and comments skipped).
class parser {
public:
    explicit parser(std::string_view source) : source_(source) { skip_ignored(); }

    operation document()
    {
        operation op;
        if (!at('{')) {
            const location start = here();
            const std::string keyword = name();
            if (keyword == "mutation" || keyword == "subscription")
                throw query_error("Schema is not configured to execute " + keyword + " operation.", start);
            if (keyword == "fragment")
                throw query_error("netbox-sim does not support fragments.", start);
            if (keyword != "query")
                fail("Unexpected Name '" + keyword + "'.", start);
            if (!at('(') && !at('{'))
                name();  // the operation's name
            if (at('('))
                op.variables = variable_definitions();
        }
        op.selection = selection_set();
        if (pos_ < source_.size())
            fail("Unexpected " + next_token() + ".", here());
        return op;
    }

private:
    /// Counts the nesting of selections and values, so that a hostile document cannot exhaust the
    /// stack.
    class nesting {
    public:
        explicit nesting(parser& p) : parser_(p)
        {
            if (++parser_.depth_ > max_depth)
                fail("Document is nested too deeply.", parser_.here());
        }
        ~nesting() { --parser_.depth_; }
        nesting(const nesting&) = delete;
        nesting& operator=(const nesting&) = delete;

    private:
        static constexpr int max_depth = 64;
        parser& parser_;
    };

    [[noreturn]] static void fail(const std::string& message, location where)
    {
        throw query_error("Syntax Error: " + message, where);
    }

    location here() const
    {
        location l;
        for (std::size_t i = 0; i < pos_; ++i) {
            if (source_[i] == '\n') {
                ++l.line;
                l.column = 1;
            } else {
                ++l.column;
            }
        }
        return l;
    }

    void skip_ignored()
    {
        while (pos_ < source_.size()) {
            const char c = source_[pos_];
            if (c == '#') {
                pos_ = std::min(source_.find('\n', pos_), source_.size());
            } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',') {
                ++pos_;
            } else if (source_.substr(pos_).starts_with("\xEF\xBB\xBF")) {
                pos_ += 3;
            } else {
                return;
            }
        }
    }

    bool at(char c) const { return pos_ < source_.size() && source_[pos_] == c; }

    /// How graphql-core names the token at `pos_` in its messages.
    std::string next_token() const
    {
        if (pos_ >= source_.size())
            return "<EOF>";
        const char c = source_[pos_];
        if (is_name_start(c)) {
            std::size_t end = pos_;
            while (end < source_.size() && is_name_char(source_[end]))
                ++end;
            return "Name '" + std::string(source_.substr(pos_, end - pos_)) + "'";
        }
        if (c == '"')
            return "String";
        if (is_digit(c) || c == '-')
            return "Int";
        return "'" + std::string(1, c) + "'";
    }

    void expect(char c)
    {
        if (!at(c))
            fail("Expected '" + std::string(1, c) + "', found " + next_token() + ".", here());
        ++pos_;
        skip_ignored();
    }

    std::string name()
    {
        if (pos_ >= source_.size() || !is_name_start(source_[pos_]))
            fail("Expected Name, found " + next_token() + ".", here());
        const std::size_t start = pos_;
        while (pos_ < source_.size() && is_name_char(source_[pos_]))
            ++pos_;
        std::string text(source_.substr(start, pos_ - start));
        skip_ignored();
        return text;
    }

    std::vector<field> selection_set()
    {
        const nesting guard(*this);
        expect('{');
        std::vector<field> fields;
        do {
            if (source_.substr(pos_).starts_with("..."))
                throw query_error("netbox-sim does not support fragments.", here());
            fields.push_back(parse_field());
        } while (!at('}'));
        expect('}');
        return fields;
    }

    field parse_field()
    {
        field f;
        f.at = here();
        f.name = name();
        if (at(':')) {
            expect(':');
            f.alias = std::move(f.name);
            f.name = name();
        }
        if (at('(')) {
            expect('(');
            do {
                std::string argument = name();
                expect(':');
                f.arguments.emplace_back(std::move(argument), parse_value());
            } while (!at(')'));
            expect(')');
        }
        if (at('@'))
            throw query_error("netbox-sim does not support directives.", here());
        if (at('{'))
            f.selection = selection_set();
        return f;
    }

    std::vector<variable_definition> variable_definitions()
    {
        std::vector<variable_definition> definitions;
        expect('(');
        do {
            variable_definition d;
            expect('$');
            d.name = name();
            expect(':');
            d.type = type();
            if (at('=')) {
                expect('=');
                d.default_value = parse_value();
            }
            definitions.push_back(std::move(d));
        } while (!at(')'));
        expect(')');
        return definitions;
    }

    std::string type()
    {
        const nesting guard(*this);
        std::string text;
        if (at('[')) {
            expect('[');
            text = "[" + type() + "]";
            expect(']');
        } else {
            text = name();
        }
        if (at('!')) {
            expect('!');
            text += '!';
        }
        return text;
    }

    value parse_value()
    {
        const nesting guard(*this);
        value v;
        v.at = here();
        if (pos_ >= source_.size())
            fail("Unexpected <EOF>.", v.at);
        const char c = source_[pos_];
        if (c == '$') {
            ++pos_;
            v.type = value::kind::variable;
            v.text = name();
        } else if (c == '[') {
            v.type = value::kind::list;
            expect('[');
            while (!at(']'))
                v.items.push_back(parse_value());
            expect(']');
        } else if (c == '{') {
            v.type = value::kind::object;
            expect('{');
            while (!at('}')) {
                std::string key = name();
                expect(':');
                v.fields.emplace_back(std::move(key), parse_value());
            }
            expect('}');
        } else if (c == '"') {
            v.type = value::kind::string;
            v.text = string_literal();
        } else if (c == '-' || is_digit(c)) {
            number(v);
        } else if (is_name_start(c)) {
            v.text = name();
            v.type = v.text == "true" || v.text == "false" ? value::kind::boolean
                     : v.text == "null"                    ? value::kind::null
                                                           : value::kind::enumeration;
        } else {
            fail("Unexpected " + next_token() + ".", v.at);
        }
        return v;
    }

    void number(value& v)
    {
        const std::size_t start = pos_;
        bool fraction = false;
        if (at('-'))
            ++pos_;
        const auto digits = [&] {
            const std::size_t first = pos_;
            while (pos_ < source_.size() && is_digit(source_[pos_]))
                ++pos_;
            if (pos_ == first)
                fail("Invalid number, expected digit but got: " + next_token() + ".", here());
        };
        digits();
        if (at('.')) {
            ++pos_;
            fraction = true;
            digits();
        }
        if (at('e') || at('E')) {
            ++pos_;
            if (at('+') || at('-'))
                ++pos_;
            fraction = true;
            digits();
        }
        v.type = fraction ? value::kind::number : value::kind::integer;
        v.text = source_.substr(start, pos_ - start);
        skip_ignored();
    }

    std::string string_literal()
    {
        const location start = here();
        if (source_.substr(pos_).starts_with(R"(""")")) {  // block string, taken as written
            const std::size_t end = source_.find(R"(""")", pos_ + 3);
            if (end == std::string_view::npos)
                fail("Unterminated string.", start);
            std::string text(source_.substr(pos_ + 3, end - pos_ - 3));
            pos_ = end + 3;
            skip_ignored();
            return text;
        }
        std::string text;
        for (++pos_;;) {
            if (pos_ >= source_.size() || source_[pos_] == '\n')
                fail("Unterminated string.", start);
            const char c = source_[pos_++];
            if (c == '"')
                break;
            if (c != '\\') {
                text += c;
                continue;
            }
            const char escaped = pos_ < source_.size() ? source_[pos_++] : '\0';
            switch (escaped) {
            case '"': case '\\': case '/': text += escaped; break;
            case 'b': text += '\b'; break;
            case 'f': text += '\f'; break;
            case 'n': text += '\n'; break;
            case 'r': text += '\r'; break;
            case 't': text += '\t'; break;
            case 'u': {
                const std::string hex(source_.substr(pos_, 4));
                if (hex.size() != 4 || hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
                    fail("Invalid Unicode escape sequence.", start);
                append_utf8(text, static_cast<unsigned>(std::stoul(hex, nullptr, 16)));
                pos_ += 4;
                break;
            }
            default:
                fail("Invalid character escape sequence: '\\" + std::string(1, escaped) + "'.", start);
            }
        }
        skip_ignored();
        return text;
    }

    std::string_view source_;
    std::size_t pos_ = 0;
    int depth_ = 0;
};

}  // namespace

std::string print(const value& v)
{
    std::string out;
    switch (v.type) {
    case value::kind::null:
        return "null";
    case value::kind::string:
        return boost::json::serialize(boost::json::string(v.text));
    case value::kind::variable:
        return "$" + v.text;
    case value::kind::list:
        for (const value& item : v.items)
            out += (out.empty() ? "" : ", ") + print(item);
        return "[" + out + "]";
    case value::kind::object:
        for (const auto& [key, item] : v.fields)
            out += (out.empty() ? "" : ", ") + key + ": " + print(item);
        return "{" + out + "}";
    default:
        return v.text;
    }
}

const value* field::argument(std::string_view argument_name) const
{
    const auto it = std::ranges::find(arguments, argument_name, &std::pair<std::string, value>::first);
    return it == arguments.end() ? nullptr : &it->second;
}

operation parse(std::string_view document)
{
    return parser(document).document();
}

}  // namespace netbox::sim::graphql
