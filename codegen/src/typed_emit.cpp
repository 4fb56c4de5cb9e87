// netbox-codegen: the typed back end's headers (include/netbox/v4_5/*.hpp) and operation table.
#include "typed_emit.hpp"

#include "names.hpp"
#include "typed_emit_common.hpp"
#include "typed_emit_parts.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace netbox::codegen::typed {
namespace {

/// The traits every endpoint has, in this order: `void`/`false` where the release line lacks the
/// operation.
constexpr std::string_view standard_traits[] = {
    "params", "list_item", "list_response", "retrieve_response", "create_request", "create_response", "bulk_create",
    "update_request", "update_response", "patch_request", "patch_response", "bulk_update_item", "bulk_patch_item",
    "destroy", "bulk_destroy",
};
constexpr std::string_view flag_traits[] = {"bulk_create", "bulk_destroy", "destroy"};

bool is_flag(std::string_view name)
{
    return std::ranges::find(flag_traits, name) != std::end(flag_traits);
}

std::string comment_of(const trait& t)
{
    return t.comment.empty() ? std::string() : "  // " + t.comment;
}

class header_writer {
public:
    header_writer(const version_model& m, std::string unit) : m_(m), unit_(std::move(unit)), blocks_(out_) {}

    std::string write()
    {
        const bool common = unit_ == common_unit;
        out_ += banner(m_, common ? "the types several apps share" : "the " + unit_ + " app");
        out_ += "#pragma once\n\n#include <netbox/types.hpp>\n";
        if (!common)
            out_ += "#include <netbox/" + m_.ns + "/common.hpp>\n";
        out_ += "\n#include <array>\n#include <cstdint>\n#include <optional>\n#include <string>\n"
                "#include <string_view>\n#include <utility>\n#include <vector>\n\n";
        write_enums();
        for (const structure& s : m_.structs)
            if (s.unit == unit_)
                write_struct(s);
        for (const page_alias& p : m_.pages)
            if (p.unit == unit_) {
                blocks_.enter(namespace_of(m_, p.ns));
                out_ += "using " + p.name + " = " + type_text(m_, {type_kind::page, p.item, {}}) + ";  // " + p.schema +
                        "\n";
            }
        if (!common) {
            for (const params_struct& p : m_.params)
                if (p.app == unit_)
                    write_params(p);
            for (const endpoint& e : m_.endpoints)
                if (e.app == unit_)
                    write_endpoint(e);
            write_app();
        }
        blocks_.close();
        return std::move(out_);
    }

private:
    void write_enums()
    {
        std::vector<const enumeration*> enums;
        for (const enumeration& e : m_.enums)
            if (e.unit == unit_)
                enums.push_back(&e);
        std::ranges::sort(enums, {}, [](const enumeration* e) { return std::tie(e->ns, e->name); });
        for (const enumeration* e : enums) {
            blocks_.enter(namespace_of(m_, e->ns));
            out_ += "enum class " + e->name + " : std::uint16_t {";
            for (std::size_t i = 0; i < e->enumerators.size(); ++i)
                out_ += (i == 0 ? " " : ", ") + e->enumerators[i] + (i == 0 ? " = 1" : "");
            out_ += " };\n";
        }
        if (enums.empty())
            return;
        blocks_.enter("netbox");
        for (const enumeration* e : enums) {
            out_ += "template <>\nstruct choice_traits<" + qualified(m_, e->ns, e->name) + "> {\n";
            out_ += "    static constexpr std::string_view values[] = {";
            for (std::size_t i = 0; i < e->values.size(); ++i)
                out_ += (i == 0 ? "" : ", ") + string_literal(e->values[i]);
            out_ += "};\n    static constexpr std::string_view name = " + string_literal(e->name) + ";\n";
            out_ += "    static constexpr bool integer = " + std::string(e->integer ? "true" : "false") + ";\n};\n";
        }
        blocks_.close();
    }

    static std::string initialiser(const member& mb)
    {
        if (mb.wrap != wrapper::none)
            return {};
        switch (mb.type.kind) {
        case type_kind::integer: return " = 0";
        case type_kind::number: return " = 0.0";
        case type_kind::boolean: return " = false";
        case type_kind::int_pair: return "{}";
        default: return {};
        }
    }

    void write_struct(const structure& s)
    {
        blocks_.enter(namespace_of(m_, s.ns));
        // A struct reached through a std::vector in a cycle is declared before it is defined.
        for (const member& mb : s.members)
            if (mb.type.kind == type_kind::vector && mb.type.item[0].kind == type_kind::object) {
                const structure& target = struct_of(m_, mb.type.item[0].target);
                if (target.unit == unit_ && &target != &s && !defined_.contains(&target) &&
                    declared_.insert(&target).second) {
                    blocks_.enter(namespace_of(m_, target.ns));
                    out_ += "struct " + target.name + ";\n";
                    blocks_.enter(namespace_of(m_, s.ns));
                }
            }
        defined_.insert(&s);
        const std::size_t hash = s.schema.find('#');
        if (hash == std::string::npos)
            out_ += "/// " + s.schema + "\n";
        else
            out_ += "/// The item of a bulk " + std::string(s.schema.ends_with("patch") ? "PATCH" : "PUT") + ": " +
                    s.schema.substr(0, hash) + " with the id the schema leaves out.\n";
        out_ += "struct " + s.name + " {\n";
        for (const member& mb : s.members)
            out_ += "    " + member_type(m_, mb) + " " + mb.name + initialiser(mb) + ";\n";
        out_ += "\n    friend bool operator==(const " + s.name + "&, const " + s.name + "&) = default;\n};\n";
        out_ += decode_declaration(s.name) + encode_declaration(s.name);
        if (s.validated)
            out_ += "void validate(const " + s.name + "& in, ::netbox::codec::validator& v);\n";
        if (s.paged) {
            out_ += decode_declaration("::netbox::page<" + s.name + ">");
            out_ += encode_declaration("::netbox::page<" + s.name + ">");
        }
        out_ += "\n";
    }

    static std::string decode_declaration(const std::string& type)
    {
        return "void decode(const boost::json::value& in, " + type + "& out, ::netbox::codec::decoder& d);\n";
    }

    static std::string encode_declaration(const std::string& type)
    {
        return "void encode(const " + type + "& in, boost::json::value& out);\n";
    }

    void write_params(const params_struct& p)
    {
        blocks_.enter(namespace_of(m_, p.app));
        out_ += "/// " + p.operation_id + ": GET " + p.path + "\nstruct " + p.name + " {\n";
        for (const param_member& mb : p.members)
            out_ += "    ::netbox::filter_of<" + filter_value_type(mb.kind) + "> " + mb.name + ";\n";
        out_ += "    // list options\n"
                "    std::optional<bool> brief;\n"
                "    std::vector<std::string> fields;\n"
                "    std::vector<std::string> omit;\n"
                "    std::vector<std::string> exclude;\n"
                "    std::optional<std::int64_t> limit;\n"
                "    std::optional<std::int64_t> offset;\n"
                "    std::vector<std::string> ordering;\n"
                "    std::vector<std::pair<std::string, std::string>> extra;  ///< raw filters (plugins)\n\n";
        out_ += "    friend bool operator==(const " + p.name + "&, const " + p.name + "&) = default;\n};\n";
        out_ += "void encode_query(const " + p.name + "& in, ::netbox::codec::query_writer& q);\n";
        out_ += "void validate(const " + p.name + "& in, ::netbox::codec::validator& v);\n\n";
    }

    std::string trait_line(const trait& t) const
    {
        if (t.flag)
            return "static constexpr bool " + t.name + " = " + (t.value ? "true" : "false") + ";" + comment_of(t);
        const std::string type = !t.params.empty() ? qualified(m_, unit_, t.params)
                                 : t.type         ? type_text(m_, *t.type)
                                                  : "void";
        return "using " + t.name + " = " + type + ";" + comment_of(t);
    }

    void write_endpoint(const endpoint& e)
    {
        blocks_.enter(namespace_of(m_, e.app));
        const std::string struct_name = e.name + "_endpoint";
        std::string routes = e.list_path;
        if (!e.detail_path.empty())
            routes += (routes.empty() ? "" : " and ") + e.detail_path;
        out_ += "/// " + e.app + "/" + e.resource + ": " + routes + "\n";
        out_ += "struct " + struct_name + " {\n";
        out_ += "    static constexpr std::string_view app = " + string_literal(e.app) + ";\n";
        out_ += "    static constexpr std::string_view name = " + string_literal(e.resource) + ";\n";
        out_ += "    static constexpr std::string_view list_path = " + string_literal(e.list_path) + ";\n";
        out_ += "    static constexpr std::string_view detail_path = " + string_literal(e.detail_path) + ";\n";
        out_ += "    using id_type = " + std::string(e.string_id ? "std::string" : "std::int64_t") + ";\n";
        const bool singleton = e.detail_path.empty() &&
                               std::ranges::any_of(e.traits, [](const trait& t) { return t.name == "update_request"; });
        out_ += "    static constexpr bool singleton = " + std::string(singleton ? "true" : "false") +
                ";  // true: update, patch and destroy act on list_path\n";
        for (std::string_view name : standard_traits) {
            const auto found = std::ranges::find(e.traits, name, &trait::name);
            if (found != e.traits.end()) {
                out_ += "    " + trait_line(*found) + "\n";
            } else {
                trait absent;
                absent.name = name;
                absent.flag = is_flag(name);
                out_ += "    " + trait_line(absent) + "\n";
            }
        }
        for (const trait& t : e.traits)
            if (std::ranges::find(standard_traits, t.name) == std::end(standard_traits))
                throw std::logic_error("endpoint " + e.name + " has an unknown trait " + t.name);
        for (const action& a : e.actions) {
            out_ += "\n    /// " + a.path + "\n    struct " + a.name + " {\n";
            out_ += "        static constexpr std::string_view path = " + string_literal(a.path) + ";\n";
            for (const trait& t : a.traits)
                out_ += "        " + trait_line(t) + "\n";
            out_ += "    };\n";
        }
        out_ += "\n    /// The actions, as members of the client's endpoint.\n"
                "    template <template <class> class Detail>\n    struct details {\n";
        if (e.actions.empty()) {
            out_ += "        template <class State>\n        explicit details(const State&) {}\n";
        } else {
            out_ += "        template <class State>\n        explicit details(const State& s) : ";
            for (std::size_t i = 0; i < e.actions.size(); ++i)
                out_ += (i == 0 ? "" : ", ") + e.actions[i].name + "(s)";
            out_ += " {}\n";
            for (const action& a : e.actions)
                out_ += "        Detail<" + qualified(m_, e.app, struct_name) + "::" + a.name + "> " + a.name + ";\n";
        }
        out_ += "    };\n};\n\n";
    }

    void write_app()
    {
        blocks_.enter(namespace_of(m_, unit_));
        std::vector<const endpoint*> endpoints;
        for (const endpoint& e : m_.endpoints)
            if (e.app == unit_)
                endpoints.push_back(&e);
        out_ += "/// The " + unit_ + " app: one member per endpoint, of the client's endpoint template.\n";
        out_ += "template <template <class> class Endpoint>\nstruct basic_app {\n";
        out_ += "    template <class State>\n    explicit basic_app(const State& s)";
        for (std::size_t i = 0; i < endpoints.size(); ++i)
            out_ += (i == 0 ? " : " : ", ") + endpoints[i]->name + "(s)";
        out_ += " {}\n";
        if (endpoints.empty())
            throw std::logic_error("app " + unit_ + " without endpoints");
        for (const endpoint* e : endpoints)
            out_ += "    Endpoint<" + qualified(m_, e->app, e->name + "_endpoint") + "> " + e->name + ";\n";
        out_ += "};\n\n";
    }

    const version_model& m_;
    std::string unit_;
    std::string out_;
    namespace_blocks blocks_;
    std::set<const structure*> defined_, declared_;
};

output_file api_header(const version_model& m)
{
    std::string out = banner(m, "the version tag, its apps and its operations");
    out += "#pragma once\n\n#include <netbox/types/operation.hpp>\n";
    for (const std::string& app : m.apps)
        out += "#include <netbox/" + m.ns + "/" + app + ".hpp>\n";
    out += "\n#include <span>\n#include <string_view>\n\nnamespace " + namespace_of(m, {}) + " {\n\n";
    out += "/// NetBox " + m.version + ": `netbox::typed_api<netbox::" + m.ns + "::version>`.\nstruct version {\n";
    out += "    static constexpr std::string_view release_line = " + string_literal(m.version) + ";\n";
    out += "    static constexpr std::string_view schema_version = " + string_literal(m.schema_version) + ";\n\n";
    out += "    /// Every app, of the client's endpoint template.\n";
    out += "    template <template <class> class Endpoint>\n    struct apps {\n";
    out += "        template <class State>\n        explicit apps(const State& s)";
    for (std::size_t i = 0; i < m.apps.size(); ++i)
        out += (i == 0 ? " : " : ", ") + m.apps[i] + "(s)";
    out += " {}\n";
    for (const std::string& app : m.apps)
        out += "        " + qualified(m, app, "basic_app") + "<Endpoint> " + app + ";\n";
    out += "    };\n};\n\nusing ::netbox::operation_info;\n\n";
    out += "/// Every operation of the schema, sorted by operationId.\n";
    out += "std::span<const operation_info> operations() noexcept;\n\n";
    out += "}  // namespace " + namespace_of(m, {}) + "\n";
    return {"include/netbox/" + m.ns + "/api.hpp", std::move(out)};
}

/// The operation's decode_response: a decode_as<T> (decode_one_or_many<T> for a create that also
/// takes a list), or nullptr.
std::string decoder_of(const version_model& m, const operation& o)
{
    if (!o.response)
        return "nullptr";
    return std::string(o.bulk_create ? "&decode_one_or_many<" : "&decode_as<") + type_text(m, *o.response) + ">";
}

output_file operation_table(const version_model& m)
{
    std::string out = banner(m, "the operation table");
    out += "#include <netbox/" + m.ns + "/api.hpp>\n\n#include \"types/codec_impl.hpp\"\n\n#include <cstddef>\n#include <span>\n#include <vector>\n\n"
           "namespace " + namespace_of(m, {}) + " {\nnamespace {\n\n";
    out += "namespace json = ::boost::json;\nnamespace codec = ::netbox::codec;\nnamespace impl = ::netbox::codec::impl;\n\n"
           "/// An answer decoded into T and dropped; a list item by item (no std::vector<T> to build).\n"
           "template <class T>\nstruct answer {\n"
           "    static void decode(const json::value& in, codec::decoder& d)\n    {\n"
           "        T out{};\n        impl::read(in, out, d);\n    }\n};\n\n"
           "template <class T>\nstruct answer<std::vector<T>> {\n"
           "    static void decode(const json::value& in, codec::decoder& d)\n    {\n"
           "        const json::array& a = impl::array_of(in, d);\n"
           "        for (std::size_t i = 0; i < a.size(); ++i) {\n"
           "            d.path().push(i);\n            answer<T>::decode(a[i], d);\n            d.path().pop();\n"
           "        }\n    }\n};\n\n"
           "template <class T>\nvoid decode_as(const json::value& in, codec::decoder& d)\n{\n"
           "    answer<T>::decode(in, d);\n}\n\n"
           "/// A create that also takes a list answers a list to a list and one object to one.\n"
           "template <class T>\nvoid decode_one_or_many(const json::value& in, codec::decoder& d)\n{\n"
           "    if (in.is_array())\n        decode_as<std::vector<T>>(in, d);\n    else\n        decode_as<T>(in, d);\n}\n\n";
    out += "constexpr operation_info table[] = {\n";
    for (const operation& o : m.operations)
        out += "    {" + string_literal(o.id) + ", " + string_literal(o.method) + ", " + string_literal(o.path) + ", " +
               string_literal(o.app) + ", " + string_literal(o.endpoint) + ", " + string_literal(o.role) + ", " +
               decoder_of(m, o) + "},\n";
    out += "};\n\n}  // namespace\n\n";
    out += "std::span<const operation_info> operations() noexcept\n{\n    return table;\n}\n\n";
    out += "}  // namespace " + namespace_of(m, {}) + "\n";
    return {"src/" + m.ns + "/operations.cpp", std::move(out)};
}

}  // namespace

std::string filter_value_type(model::filter_kind kind)
{
    switch (kind) {
    case model::filter_kind::integer: return "std::int64_t";
    case model::filter_kind::number: return "double";
    case model::filter_kind::boolean: return "bool";
    default: return "std::string";
    }
}

std::vector<output_file> emit_typed(const version_model& m)
{
    std::vector<std::string> units = {std::string(common_unit)};
    units.insert(units.end(), m.apps.begin(), m.apps.end());
    std::vector<output_file> files;
    for (const std::string& unit : units) {
        files.push_back({"include/netbox/" + m.ns + "/" + unit + ".hpp", header_writer(m, unit).write()});
        files.push_back({"src/" + m.ns + "/" + unit + ".cpp", codec_source(m, unit)});
    }
    files.push_back(api_header(m));
    files.push_back(operation_table(m));
    files.push_back({"tests/typed/generated/" + m.ns + "_samples.cpp", samples_source(m)});
    return files;
}

typed_counts count(const version_model& m)
{
    return {m.structs.size(), m.enums.size(), m.params.size(), m.operations.size()};
}

}  // namespace netbox::codegen::typed
