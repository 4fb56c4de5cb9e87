#include "names.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>

namespace netbox::codegen {
namespace {

bool is_upper(char c)
{
    return std::isupper(static_cast<unsigned char>(c)) != 0;
}

bool is_lower_or_digit(char c)
{
    return std::islower(static_cast<unsigned char>(c)) != 0 || std::isdigit(static_cast<unsigned char>(c)) != 0;
}

bool is_word_char(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

}  // namespace

bool is_reserved_word(std::string_view s)
{
    static const std::set<std::string_view> words = {
        // keywords and alternative tokens (C++20)
        "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch",
        "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "const", "consteval", "constexpr",
        "constinit", "const_cast", "continue", "co_await", "co_return", "co_yield", "decltype", "default", "delete",
        "do", "double", "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false", "float", "for",
        "friend", "goto", "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
        "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register", "reinterpret_cast",
        "requires", "return", "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct",
        "switch", "template", "this", "thread_local", "throw", "true", "try", "typedef", "typeid", "typename",
        "union", "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
        // macros of the C library and of GNU modes that could be in scope ("module", "import",
        // "final" and "override" are ordinary names where a member can stand)
        "assert", "errno", "major", "minor", "linux", "unix", "NULL", "EOF",
    };
    return words.contains(s);
}

std::string snake_case(std::string_view schema_name)
{
    // NetBox writes IPSec as one word everywhere else (ipsec-policies, ipsec_policy).
    std::string name(schema_name);
    for (std::size_t at = name.find("IPSec"); at != std::string::npos; at = name.find("IPSec", at))
        name.replace(at, 5, "Ipsec");
    std::string out;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        if (is_upper(c)) {
            const bool after_lower = i > 0 && std::islower(static_cast<unsigned char>(name[i - 1]));
            const bool acronym_end = i > 0 && !std::islower(static_cast<unsigned char>(name[i - 1])) &&
                                     name[i - 1] != '_' && i + 1 < name.size() &&
                                     std::islower(static_cast<unsigned char>(name[i + 1]));
            if (after_lower || acronym_end)
                out += '_';
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else {
            out += is_lower_or_digit(c) ? c : '_';
        }
    }
    while (!out.empty() && out.back() == '_')
        out.pop_back();
    return identifier(out);
}

std::string identifier(std::string_view text)
{
    // Identifiers with "__" anywhere, or "_" and a capital first, belong to the implementation.
    std::string id;
    for (const char c : text) {
        const char w = is_word_char(c) ? c : '_';
        if (w != '_' || id.empty() || id.back() != '_')
            id += w;
    }
    if (id.empty() || std::isdigit(static_cast<unsigned char>(id.front())))
        id.insert(id.begin(), '_');
    if (id.size() > 1 && id.front() == '_' && is_upper(id[1]))
        id.insert(id.begin(), 'v');
    if (is_reserved_word(id))
        id += '_';
    return id;
}

std::string version_namespace(std::string_view release_line)
{
    std::string ns = "v" + std::string(release_line);
    std::ranges::replace_if(ns, [](char c) { return !is_word_char(c); }, '_');
    return ns;
}

std::string string_literal(std::string_view s)
{
    std::string text = "\"";
    for (const char c : s) {
        if (c == '"' || c == '\\') {
            text += '\\';
            text += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char escaped[5];
            std::snprintf(escaped, sizeof escaped, "\\%03o", static_cast<unsigned>(static_cast<unsigned char>(c)));
            text += escaped;
        } else {
            text += c;
        }
    }
    return text + '"';
}

}  // namespace netbox::codegen
