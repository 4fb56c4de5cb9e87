// netbox-codegen: the typed back end's test samples (tests/typed/generated/v4_5_samples.cpp): a
// fill function per struct and params struct setting every member to a non-default value the
// schema accepts, the registry of their checks (tests/typed/generated/sample_case.hpp), and the
// contract cases and response samples (typed_emit_contract.cpp).
#include "names.hpp"
#include "typed_emit_common.hpp"
#include "typed_emit_parts.hpp"

#include <charconv>
#include <cmath>
#include <regex>
#include <stdexcept>

namespace netbox::codegen::typed {

std::string fill_name(const std::string& prefix, const std::string& ns, const std::string& name)
{
    return prefix + (ns.empty() ? std::string(common_unit) : ns) + "_" + name;
}

std::string sample_lookup(std::uint32_t mask)
{
    for (std::uint32_t bit = 0; bit < std::size(model::lookup_suffixes); ++bit)
        if (mask & (1u << bit))
            return bit == 0 ? "exact" : std::string(model::lookup_suffixes[bit]);
    throw std::logic_error("a filter family without lookups");
}

namespace {

/// How deep the samples of optional and listed structs go (a struct can list itself).
constexpr int sample_depth = 4;

/// Well-formed text for the string formats the schemas use (the validator checks most of them).
std::string_view formatted_sample(std::string_view format)
{
    if (format == "date")
        return "2024-01-15";
    if (format == "date-time")
        return "2024-01-15T10:30:00Z";
    if (format == "uri")
        return "https://netbox.example.com/s";
    if (format == "email")
        return "s@example.com";
    if (format == "uuid")
        return "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    if (format == "ipv4")
        return "192.0.2.1";
    if (format == "ipv6")
        return "2001:db8::1";
    return {};
}

double number_of(const std::string& literal)
{
    double value = 0;
    std::from_chars(literal.data(), literal.data() + literal.size(), value);
    return value;
}

/// The first of a few candidate texts that fits the member's length bounds and pattern: "s" for
/// most, a colour "0a0a0a" for `^[0-9a-f]{6}$`. Padded to the minimum length.
std::string string_sample(const constraints& c)
{
    std::vector<std::string> candidates;
    if (const std::string_view formatted = formatted_sample(c.format); !formatted.empty())
        candidates.emplace_back(formatted);
    candidates.insert(candidates.end(), {"s", "0a0a0a", "s1", "s.s"});
    for (std::string text : candidates) {
        if (c.min_length && static_cast<std::int64_t>(text.size()) < *c.min_length)
            text.append(static_cast<std::size_t>(*c.min_length) - text.size(), text.back());
        if (c.max_length && static_cast<std::int64_t>(text.size()) > *c.max_length)
            continue;
        if (c.pattern.empty() || std::regex_search(text, std::regex(c.pattern, std::regex::ECMAScript)))
            return text;
    }
    throw std::runtime_error("no sample text fits the pattern " + c.pattern);
}

/// `preferred` moved inside the bounds (exclusive ones by one step).
double bounded(double preferred, const constraints& c, double step)
{
    double value = preferred;
    if (!c.minimum.empty()) {
        const double low = number_of(c.minimum);
        if (value < low || (c.exclusive_minimum && value <= low))
            value = c.exclusive_minimum ? low + step : low;
    }
    if (!c.maximum.empty()) {
        const double high = number_of(c.maximum);
        if (value > high || (c.exclusive_maximum && value >= high))
            value = c.exclusive_maximum ? high - step : high;
    }
    return value;
}

std::string integer_sample(const constraints& c)
{
    return std::to_string(static_cast<std::int64_t>(std::ceil(bounded(7, c, 1))));
}

std::string number_sample(const constraints& c)
{
    char text[32];
    const auto end = std::to_chars(text, text + sizeof text, bounded(1.5, c, 0.5)).ptr;
    std::string out(text, end);
    if (out.find_first_of(".e") == std::string::npos)
        out += ".0";
    return out;
}

class samples_writer {
public:
    explicit samples_writer(const version_model& m) : m_(m) {}

    std::string write()
    {
        out_ += banner(m_, "samples of every generated type, for the round-trip tests");
        out_ += "#include <netbox/" + m_.ns + "/api.hpp>\n\n#include \"sample_case.hpp\"\n\n"
                "#include <array>\n#include <cstdint>\n#include <optional>\n#include <span>\n#include <string>\n"
                "#include <vector>\n\n";
        out_ += "namespace " + namespace_of(m_, "testing") +
                " {\n\nusing ::netbox::typed_testing::sample_case;\n"
                "using ::netbox::typed_testing::contract_case;\n"
                "using ::netbox::typed_testing::contract_skip;\n"
                "using ::netbox::typed_testing::response_sample;\n"
                "std::span<const sample_case> sample_cases();\n"
                "/// Every request the typed client would send per operation, and known-bad ones.\n"
                "std::vector<contract_case> contract_cases();\n"
                "/// The operations without a contract case, and why.\n"
                "std::span<const contract_skip> contract_skips();\n"
                "/// An answer of every operation that has one.\n"
                "std::vector<response_sample> response_samples();\n\n}  // namespace " +
                namespace_of(m_, "testing") + "\n\nnamespace {\n\nnamespace nbt = ::netbox::typed_testing;\n\n";
        for (const structure& s : m_.structs)
            out_ += "void " + fill_name("fill_", s.ns, s.name) + "(" + qualified(m_, s.ns, s.name) +
                    "& out, int depth);\n";
        out_ += "\n";
        for (const structure& s : m_.structs)
            write_fill(s);
        for (const page_alias& p : m_.pages)
            write_page_fill(p);
        for (const params_struct& p : m_.params)
            write_params_fill(p);
        write_registry();
        out_ += contract_source(m_);
        return std::move(out_);
    }

private:
    /// A value of `t` the schema accepts for a member with the constraints `c`.
    std::string value_of(const cpp_type& t, const constraints& c) const
    {
        switch (t.kind) {
        case type_kind::string: return string_literal(string_sample(c));
        case type_kind::integer: return integer_sample(c);
        case type_kind::number: return number_sample(c);
        case type_kind::boolean: return "true";
        case type_kind::json:
            return c.json_sample.empty() ? "nbt::sample_json()" : "nbt::json_of(" + string_literal(c.json_sample) + ")";
        case type_kind::int_pair: return "std::array<std::int64_t, 2>{7, 7}";
        case type_kind::ref: return "::netbox::ref(3)";
        case type_kind::choice: {
            const enumeration& e = enum_of(m_, t);
            return type_text(m_, t) + "(" + qualified(m_, e.ns, e.name) + "::" + e.enumerators.at(0) + ")";
        }
        default: throw std::logic_error("no sample value for a compound type");
        }
    }

    std::string fill_call(const cpp_type& t, const std::string& target) const
    {
        const structure& s = struct_of(m_, t.target);
        return fill_name("fill_", s.ns, s.name) + "(" + target + ", depth + 1);";
    }

    /// Statements giving `target` (an lvalue of type `t`) a sample value.
    std::string fill_value(const cpp_type& t, const constraints& c, const std::string& target, bool guarded) const
    {
        switch (t.kind) {
        case type_kind::upload: return "// a file does not round-trip through JSON\n";
        case type_kind::object:
            return (guarded ? "if (depth < " + std::to_string(sample_depth) + ") " : std::string()) +
                   fill_call(t, target) + "\n";
        case type_kind::vector: {
            const cpp_type& item = t.item.at(0);
            if (item.kind == type_kind::object)
                return "if (depth < " + std::to_string(sample_depth) + ") " +
                       fill_call(item, target + ".emplace_back()") + "\n";
            if (item.kind == type_kind::upload)
                return "// a file does not round-trip through JSON\n";
            std::string out = target + ".push_back(" + value_of(item, c) + ");\n";
            for (std::int64_t n = 1; c.min_items && n < *c.min_items; ++n)
                out += target + ".push_back(" + value_of(item, c) + ");\n";
            return out;
        }
        default: return target + " = " + value_of(t, c) + ";\n";
        }
    }

    void write_fill(const structure& s)
    {
        const bool uses_depth = std::ranges::any_of(s.members, [](const member& mb) {
            return mb.type.kind == type_kind::object ||
                   (mb.type.kind == type_kind::vector && mb.type.item.at(0).kind == type_kind::object);
        });
        const bool uses_out = has_json_members(s);
        out_ += "void " + fill_name("fill_", s.ns, s.name) + "(" + qualified(m_, s.ns, s.name) + "&" +
                (uses_out ? " out" : "") + ", int" + (uses_depth ? " depth" : "") + ")\n{\n";
        int tri_states = 0;
        for (const member& mb : s.members) {
            const std::string target = "out." + mb.name;
            if (mb.type.kind == type_kind::upload) {
                out_ += "    // " + mb.name + ": a file does not round-trip through JSON\n";
                continue;
            }
            if (mb.wrap == wrapper::tri_state && tri_states++ % 2 == 1) {
                out_ += "    " + target + " = ::netbox::null;\n";
                continue;
            }
            const bool compound = mb.type.kind == type_kind::object || mb.type.kind == type_kind::vector;
            if (mb.wrap == wrapper::none || !compound) {
                out_ += "    " + fill_value(mb.type, mb.rule, target, false);
                continue;
            }
            // optional or tri_state of a struct or list: set it, then fill what it holds
            out_ += "    {\n        auto& value = " + target + ".emplace();\n        " +
                    fill_value(mb.type, mb.rule, "value", mb.type.kind == type_kind::object) + "    }\n";
        }
        out_ += "}\n\n";
    }

    void write_page_fill(const page_alias& p)
    {
        const structure& item = struct_of(m_, p.item);
        out_ += "void " + fill_name("fill_page_", p.ns, p.name) + "(" + qualified(m_, p.ns, p.name) +
                "& out, int depth)\n{\n    out.count = 7;\n    out.next = \"s\";\n    out.previous = \"s\";\n    " +
                fill_name("fill_", item.ns, item.name) + "(out.results.emplace_back(), depth + 1);\n}\n\n";
    }

    void write_params_fill(const params_struct& p)
    {
        out_ += "void " + fill_name("fill_params_", p.app, p.name) + "(" + qualified(m_, p.app, p.name) + "&" +
                (p.members.empty() ? "" : " out") + ")\n{\n";
        for (const param_member& mb : p.members) {
            const std::string lookup = sample_lookup(mb.lookups);
            if (lookup == "empty") {
                out_ += "    out." + mb.name + ".add_text(::netbox::lookup::empty, \"true\");\n";
                continue;
            }
            // a value the parameter's type accepts
            std::string value = "\"s\"";
            switch (mb.kind) {
            case model::filter_kind::integer: value = "7"; break;
            case model::filter_kind::number: value = "1.5"; break;
            case model::filter_kind::boolean: value = "true"; break;
            case model::filter_kind::date: value = string_literal(formatted_sample("date")); break;
            case model::filter_kind::date_time: value = string_literal(formatted_sample("date-time")); break;
            case model::filter_kind::uuid: value = string_literal(formatted_sample("uuid")); break;
            case model::filter_kind::choice:
                if (mb.choice.empty())
                    throw std::runtime_error(p.operation_id + ": the choice filter " + mb.key + " lists no value");
                value = string_literal(mb.choice);
                break;
            case model::filter_kind::string: break;
            }
            out_ += "    out." + mb.name + ".add(::netbox::lookup::" + lookup + ", " + value + ");\n";
        }
        out_ += "}\n\n";
    }

    void write_registry()
    {
        out_ += "constexpr nbt::sample_case cases[] = {\n";
        const auto label = [](const std::string& ns, const std::string& name) {
            return string_literal(ns.empty() ? name : ns + "::" + name);
        };
        for (const structure& s : m_.structs)
            out_ += "    {" + label(s.ns, s.name) + ", &nbt::round_trip<" + qualified(m_, s.ns, s.name) + ", &" +
                    fill_name("fill_", s.ns, s.name) + ">},\n";
        for (const page_alias& p : m_.pages)
            out_ += "    {" + label(p.ns, p.name) + ", &nbt::round_trip<" + qualified(m_, p.ns, p.name) + ", &" +
                    fill_name("fill_page_", p.ns, p.name) + ">},\n";
        for (const params_struct& p : m_.params)
            out_ += "    {" + label(p.app, p.name) + ", &nbt::query_check<" + qualified(m_, p.app, p.name) + ", &" +
                    fill_name("fill_params_", p.app, p.name) + ", " + std::to_string(p.members.size()) + ">},\n";
        out_ += "};\n\n}  // namespace\n\n";
        out_ += "std::span<const ::netbox::typed_testing::sample_case> " + namespace_of(m_, "testing") +
                "::sample_cases()\n{\n    return cases;\n}\n";
    }

    const version_model& m_;
    std::string out_;
};

}  // namespace

std::string samples_source(const version_model& m)
{
    return samples_writer(m).write();
}

}  // namespace netbox::codegen::typed
