// netbox-codegen: the typed back end's codec sources (src/v4_5/<unit>.cpp): straight-line calls
// to the primitives of src/types/codec_impl.hpp, one per member.
#include "names.hpp"
#include "typed_emit_common.hpp"
#include "typed_emit_parts.hpp"

#include <algorithm>
#include <cstdio>

namespace netbox::codegen::typed {
namespace {

/// Does the type hold something validate() must look at on its own (a choice's value, a
/// reference, a nested request)?
bool checks_itself(const version_model& m, const cpp_type& t)
{
    switch (t.kind) {
    case type_kind::choice:
    case type_kind::ref: return true;
    case type_kind::object: return struct_of(m, t.target).validated;
    case type_kind::vector: return checks_itself(m, t.item.at(0));
    default: return false;
    }
}

/// The designated initialiser of the member's `impl::rule`; empty when nothing needs checking.
std::string rule_of(const version_model& m, const member& mb)
{
    const constraints& c = mb.rule;
    std::string fields;
    const auto add = [&](std::string_view name, const std::string& value) {
        fields.append(fields.empty() ? "" : ", ").append(".").append(name).append(" = ").append(value);
    };
    if (mb.required)
        add("required", "true");
    if (c.min_length)
        add("min_length", std::to_string(*c.min_length));
    if (c.max_length)
        add("max_length", std::to_string(*c.max_length));
    if (!c.minimum.empty())
        add("minimum", c.minimum);
    if (!c.maximum.empty())
        add("maximum", c.maximum);
    if (c.exclusive_minimum && !c.minimum.empty())
        add("exclusive_minimum", "true");
    if (c.exclusive_maximum && !c.maximum.empty())
        add("exclusive_maximum", "true");
    if (!c.pattern.empty())
        add("pattern", string_literal(c.pattern));
    if (c.min_items)
        add("min_items", std::to_string(*c.min_items));
    if (c.max_items)
        add("max_items", std::to_string(*c.max_items));
    if (c.allow_blank)
        add("allow_blank", "true");
    if (fields.empty() && !checks_itself(m, mb.type))
        return {};
    return "{" + fields + "}";
}

std::string hex(std::uint32_t value)
{
    char text[16];
    std::snprintf(text, sizeof text, "0x%xu", value);
    return text;
}

class source_writer {
public:
    source_writer(const version_model& m, std::string unit) : m_(m), unit_(std::move(unit)), blocks_(out_) {}

    std::string write()
    {
        out_ += banner(m_, unit_ == common_unit ? "codecs of the shared types" : "codecs of the " + unit_ + " app");
        out_ += "#include <netbox/" + m_.ns + "/" + unit_ + ".hpp>\n\n#include \"types/codec_impl.hpp\"\n\n";
        out_ += "namespace " + namespace_of(m_, {}) + " {\nnamespace {\n"
                "namespace json = ::boost::json;\n"
                "namespace codec = ::netbox::codec;\n"
                "namespace impl = ::netbox::codec::impl;\n";
        if (std::ranges::any_of(m_.structs, [&](const structure& s) { return s.unit == unit_ && s.paged; }))
            out_ += "constexpr std::string_view page_keys[] = {\"count\", \"next\", \"previous\", \"results\"};\n";
        out_ += "}  // namespace\n}  // namespace " + namespace_of(m_, {}) + "\n\n";
        for (const structure& s : m_.structs)
            if (s.unit == unit_)
                write_struct(s);
        for (const params_struct& p : m_.params)
            if (p.app == unit_)
                write_params(p);
        blocks_.close();
        return std::move(out_);
    }

private:
    void write_struct(const structure& s)
    {
        blocks_.enter(namespace_of(m_, s.ns));
        const std::string keys = "keys_of_" + s.name;
        if (!s.members.empty()) {
            out_ += "namespace {\nconstexpr std::string_view " + keys + "[] = {";
            for (std::size_t i = 0; i < s.members.size(); ++i)
                out_ += (i == 0 ? "" : ", ") + string_literal(s.members[i].key);
            out_ += "};\n}  // namespace\n\n";
        }
        write_decode(s, keys);
        write_encode(s);
        if (s.validated)
            write_validate(s);
        if (s.paged)
            write_page(s);
    }

    void write_decode(const structure& s, const std::string& keys)
    {
        const bool reads = has_json_members(s);
        out_ += "void decode(const json::value& in, " + s.name + (reads ? "& out" : "&") + ", codec::decoder& d)\n{\n";
        out_ += "    const json::object& o = impl::object_of(in, d);\n";
        for (const member& mb : s.members) {
            if (mb.type.kind == type_kind::upload) {
                out_ += "    // " + mb.key + ": a file is sent as form data and never comes back as JSON\n";
                continue;
            }
            std::string flags = mb.required ? "impl::required" : "";
            if (mb.nullable)
                flags += flags.empty() ? "impl::nullable" : " | impl::nullable";
            if (flags.empty())
                flags = "impl::optional_member";
            out_ += "    impl::member(o, " + string_literal(mb.key) + ", out." + mb.name + ", d, " + flags + ");\n";
        }
        out_ += "    if (d.mode() == codec::decode_mode::strict)\n        impl::check_keys(o, " +
                (s.members.empty() ? std::string("{}") : keys) + ", d);\n}\n\n";
    }

    void write_encode(const structure& s)
    {
        if (s.members.empty()) {
            out_ += "void encode(const " + s.name + "&, json::value& out)\n{\n    out.emplace_object();\n}\n\n";
            return;
        }
        out_ += "void encode(const " + s.name + "& in, json::value& out)\n{\n";
        out_ += "    json::object& o = out.emplace_object();\n";
        for (const member& mb : s.members)
            out_ += "    impl::member(o, " + string_literal(mb.key) + ", in." + mb.name + ");\n";
        out_ += "}\n\n";
    }

    void write_validate(const structure& s)
    {
        std::string body;
        for (const member& mb : s.members) {
            const std::string rule = rule_of(m_, mb);
            if (!rule.empty())
                body += "    impl::check(v, " + string_literal(mb.key) + ", in." + mb.name + ", " + rule + ");\n";
        }
        if (body.empty())
            out_ += "void validate(const " + s.name + "&, codec::validator&)\n{\n}\n\n";
        else
            out_ += "void validate(const " + s.name + "& in, codec::validator& v)\n{\n" + body + "}\n\n";
    }

    void write_page(const structure& s)
    {
        const std::string page = "::netbox::page<" + s.name + ">";
        out_ += "void decode(const json::value& in, " + page + "& out, codec::decoder& d)\n{\n";
        out_ += "    const json::object& o = impl::object_of(in, d);\n"
                "    impl::member(o, \"count\", out.count, d, impl::required);\n"
                "    impl::member(o, \"next\", out.next, d, impl::nullable);\n"
                "    impl::member(o, \"previous\", out.previous, d, impl::nullable);\n"
                "    impl::member(o, \"results\", out.results, d, impl::required);\n"
                "    if (d.mode() == codec::decode_mode::strict)\n"
                "        impl::check_keys(o, page_keys, d);\n}\n\n";
        out_ += "void encode(const " + page + "& in, json::value& out)\n{\n";
        out_ += "    json::object& o = out.emplace_object();\n"
                "    impl::member(o, \"count\", in.count);\n"
                "    impl::write(in.next, o[\"next\"]);  // null on the last page, as NetBox sends it\n"
                "    impl::write(in.previous, o[\"previous\"]);\n"
                "    impl::member(o, \"results\", in.results);\n}\n\n";
    }

    void write_params(const params_struct& p)
    {
        blocks_.enter(namespace_of(m_, p.app));
        out_ += "void encode_query(const " + p.name + "& in, codec::query_writer& q)\n{\n";
        for (const param_member& mb : p.members)
            out_ += "    impl::write_filter(q, " + string_literal(mb.key) + ", in." + mb.name + ");\n";
        out_ += "    impl::write_list_options(q, in.brief, in.fields, in.omit, in.exclude, in.limit, in.offset, "
                "in.ordering, in.extra);\n}\n\n";
        if (p.members.empty()) {
            out_ += "void validate(const " + p.name + "&, codec::validator&)\n{\n}\n\n";
            return;
        }
        out_ += "void validate(const " + p.name + "& in, codec::validator& v)\n{\n";
        for (const param_member& mb : p.members)
            out_ += "    impl::check_filter(v, " + string_literal(mb.key) + ", in." + mb.name + ", " + hex(mb.lookups) +
                    ");\n";
        out_ += "}\n\n";
    }

    const version_model& m_;
    std::string unit_;
    std::string out_;
    namespace_blocks blocks_;
};

}  // namespace

std::string codec_source(const version_model& m, const std::string& unit)
{
    return source_writer(m, unit).write();
}

}  // namespace netbox::codegen::typed
