// netbox-codegen: the contract cases and response samples of the typed back end's test samples
// (the end of tests/typed/generated/v4_5_samples.cpp).
//
// A contract case is a request as the typed client builds it — the path with its id filled, the
// query a params struct encodes, the JSON body a request struct encodes — for every operation of
// the release line, plus known-bad requests per app that the schema must refuse. The test
// (tests/typed/generated/samples_test.cpp) hands them to an independent OpenAPI validator
// (tests/typed/contract/validate_requests.py). A response sample is an answer of each operation
// for its operation_info::decode_response.
#include "names.hpp"
#include "typed_emit_common.hpp"
#include "typed_emit_parts.hpp"

#include <algorithm>
#include <charconv>
#include <set>
#include <stdexcept>

namespace netbox::codegen::typed {
namespace {

/// Operations whose request, as NetBox takes it and the typed client sends it, their schema
/// refuses (a schema defect, ../shared/design/schemas.md): they get no contract case. A rule
/// matches an operation by its role ("bulk_destroy", or the method of an action, "post") and the
/// end of its path ("" matches any). So does every operation whose body holds a member the
/// generator reads unlike its schema declares it (member::defect, e.g. 4.3's IntegerRange, which
/// is declared as a list of pairs where the server takes one pair); the reason is that note.
struct skip_rule {
    std::string_view role;
    std::string_view path_suffix;
    std::string_view reason;
};

constexpr skip_rule skip_rules[] = {
    // NetBox deletes in bulk by id and the typed client sends `[{"id": …}]`, but every bulk
    // DELETE declares its body as a list of the full create request, whose required members an
    // id list lacks.
    {"bulk_destroy", "", "schema defect: the bulk DELETE body is declared as full request objects; NetBox reads only their ids"},
    // render-config and render take optional extra context (or nothing); the schema declares the
    // object's full create request as a required body (upstream fix #21091 came after 4.5.10).
    {"post", "/render-config/", "schema defect: the body is declared as the object's full request; NetBox takes {} (extra context)"},
    {"post", "/render/", "schema defect: the body is declared as the object's full request; NetBox takes {} (extra context)"},
    // sync needs no body; the schema asks for the object's full request.
    {"post", "/sync/", "schema defect: the body is declared as the object's full request; NetBox needs none"},
};

constexpr std::string_view slug_pattern = "^[-a-zA-Z0-9_]+$";

double number_of(const std::string& literal)
{
    double value = 0;
    std::from_chars(literal.data(), literal.data() + literal.size(), value);
    return value;
}

/// The path with its `{id}` (or `{name}`) filled as the typed client fills it.
std::string filled_path(const operation& o, std::string_view id)
{
    std::string path = o.path;
    if (const std::size_t open = path.find('{'); open != std::string::npos)
        path.replace(open, path.find('}', open) - open + 1, id);
    return path;
}

class contract_writer {
public:
    explicit contract_writer(const version_model& m) : m_(m) {}

    std::string write()
    {
        out_ += "\n// --- contract cases ------------------------------------------------------------------------------\n\n"
                "namespace {\n\n";
        for (const std::string& app : m_.apps)
            write_app_cases(app);
        for (const std::string& app : m_.apps)
            write_app_responses(app);
        write_skips();
        out_ += "}  // namespace\n\n";
        const std::string ns = namespace_of(m_, "testing");
        out_ += "std::vector<::netbox::typed_testing::contract_case> " + ns + "::contract_cases()\n{\n"
                "    std::vector<::netbox::typed_testing::contract_case> out;\n";
        for (const std::string& app : m_.apps)
            out_ += "    contract_" + app + "(out);\n";
        out_ += "    return out;\n}\n\n";
        out_ += "std::span<const ::netbox::typed_testing::contract_skip> " + ns + "::contract_skips()\n{\n";
        out_ += skips_.empty() ? "    return {};\n}\n\n" : "    return skips;\n}\n\n";
        out_ += "std::vector<::netbox::typed_testing::response_sample> " + ns + "::response_samples()\n{\n"
                "    std::vector<::netbox::typed_testing::response_sample> out;\n";
        for (const std::string& app : m_.apps)
            out_ += "    responses_" + app + "(out);\n";
        out_ += "    return out;\n}\n";
        return std::move(out_);
    }

private:
    /// Why the operation gets no contract case; "" when it gets one.
    std::string skip_of(const operation& o) const
    {
        for (const skip_rule& rule : skip_rules)
            if (o.role == rule.role && o.path.ends_with(rule.path_suffix))
                return std::string(rule.reason);
        if (const structure* s = body_struct(o)) {
            std::set<const structure*> seen;
            if (const std::string defect = defect_in(*s, seen); !defect.empty())
                return "schema defect: " + defect;
        }
        return {};
    }

    /// The first member::defect in `s` or the structs it holds.
    std::string defect_in(const structure& s, std::set<const structure*>& seen) const
    {
        if (!seen.insert(&s).second)
            return {};
        for (const member& mb : s.members) {
            if (!mb.defect.empty())
                return s.schema.substr(0, s.schema.find('#')) + "." + mb.key + ": " + mb.defect;
            const cpp_type& t = mb.type.kind == type_kind::vector ? mb.type.item.at(0) : mb.type;
            if (t.kind == type_kind::object)
                if (std::string defect = defect_in(struct_of(m_, t.target), seen); !defect.empty())
                    return defect;
        }
        return {};
    }

    const structure* body_struct(const operation& o) const
    {
        if ((o.body != body_kind::object && o.body != body_kind::list) || !o.body_type ||
            o.body_type->kind != type_kind::object)
            return nullptr;
        return &struct_of(m_, o.body_type->target);
    }

    /// An expression of a boost::json::value: the encoded sample of `t`.
    std::string sample_of(const cpp_type& t) const
    {
        switch (t.kind) {
        case type_kind::object: {
            const structure& s = struct_of(m_, t.target);
            return "nbt::encoded(nbt::sample_of<" + qualified(m_, s.ns, s.name) + ", &" +
                   fill_name("fill_", s.ns, s.name) + ">())";
        }
        case type_kind::page: {
            const auto alias = std::ranges::find(m_.pages, t.target, &page_alias::item);
            if (alias == m_.pages.end())
                throw std::logic_error("no page alias of " + t.target);
            return "nbt::encoded(nbt::sample_of<" + qualified(m_, alias->ns, alias->name) + ", &" +
                   fill_name("fill_page_", alias->ns, alias->name) + ">())";
        }
        case type_kind::vector: return "nbt::listed(" + sample_of(t.item.at(0)) + ")";
        case type_kind::json: return "nbt::sample_json().get()";
        case type_kind::string: return "boost::json::value(\"s\")";
        case type_kind::integer: return "boost::json::value(7)";
        case type_kind::number: return "boost::json::value(1.5)";
        case type_kind::boolean: return "boost::json::value(true)";
        case type_kind::int_pair: return "boost::json::value(boost::json::array{7, 7})";
        case type_kind::ref: return "boost::json::value(3)";
        case type_kind::choice: {
            const enumeration& e = enum_of(m_, t);
            return e.integer ? "boost::json::value(" + e.values.at(0) + ")"
                             : "boost::json::value(" + string_literal(e.values.at(0)) + ")";
        }
        case type_kind::upload: break;
        }
        throw std::logic_error("no JSON sample of a file");
    }

    /// The statement adding one case to `out`.
    void add_case(const operation& o, const std::string& path, const std::string& query, const std::string& body,
                  bool valid, const std::string& label)
    {
        out_ += "    out.push_back({" + string_literal(o.id) + ", " + string_literal(o.method) + ", " +
                string_literal(path) + ", " + query + ", " + body + ", " + (valid ? "true" : "false") + ", " +
                string_literal(label) + "});\n";
    }

    std::string query_of(const operation& o) const
    {
        if (o.params.empty())
            return "{}";
        return "nbt::query_of<" + qualified(m_, o.app, o.params) + ", &" + fill_name("fill_params_", o.app, o.params) +
               ">()";
    }

    /// The sample body struct with its files set (a file is a form part of the request; its JSON
    /// form is the file name).
    std::string body_block(const structure& s) const
    {
        std::string text = "        auto body = nbt::sample_of<" + qualified(m_, s.ns, s.name) + ", &" +
                           fill_name("fill_", s.ns, s.name) + ">();\n";
        for (const member& mb : s.members)
            if (mb.type.kind == type_kind::upload)
                text += "        body." + mb.name + " = ::netbox::upload{\"s.png\", \"s\", \"image/png\"};\n";
        return text;
    }

    static bool has_upload(const structure& s)
    {
        return std::ranges::any_of(s.members, [](const member& mb) { return mb.type.kind == type_kind::upload; });
    }

    void write_valid(const operation& o)
    {
        const std::string path = filled_path(o, o.string_id ? "abc" : "3");
        const std::string query = query_of(o);
        const std::string label = o.role;
        switch (o.body) {
        case body_kind::none: add_case(o, path, query, "std::nullopt", true, label); return;
        case body_kind::empty_object:
            add_case(o, path, query, "boost::json::value(boost::json::object())", true, label + " ({})");
            return;
        case body_kind::ids: add_case(o, path, query, "nbt::id_list(3)", true, label); return;
        case body_kind::object:
        case body_kind::list: break;
        }
        const structure* s = body_struct(o);
        const bool list = o.body == body_kind::list;
        if (s && has_upload(*s)) {
            out_ += "    {\n" + body_block(*s);
            out_ += "    ";
            add_case(o, path, query, list ? "nbt::listed(nbt::encoded(body))" : "nbt::encoded(body)", true,
                     label + (list ? " (a list)" : ""));
            if (o.bulk_create) {
                out_ += "    ";
                add_case(o, path, query, "nbt::listed(nbt::encoded(body))", true, label + " (a list)");
            }
            out_ += "    }\n";
            return;
        }
        const std::string one = sample_of(*o.body_type);
        add_case(o, path, query, list ? "nbt::listed(" + one + ")" : one, true, label + (list ? " (a list)" : ""));
        if (o.bulk_create)
            add_case(o, path, query, "nbt::listed(" + one + ")", true, label + " (a list)");
    }

    /// A known-bad request: the body struct's sample with one member changed.
    void write_bad_member(const operation& o, const structure& s, const std::string& change, const std::string& label)
    {
        out_ += "    {\n" + body_block(s) + "        " + change + "\n    ";
        add_case(o, filled_path(o, "3"), "{}", "nbt::encoded(body)", false, "known-bad: " + label);
        out_ += "    }\n";
    }

    /// Known-bad requests of one app: each kind once, on the first operation (by id) that has
    /// what it needs. Every app gets at least the undeclared query parameter.
    void write_known_bad(const std::vector<const operation*>& ops)
    {
        std::size_t written = 0;
        const auto first = [&](auto pick) {
            for (const operation* o : ops)
                if (skip_of(*o).empty() && pick(*o))
                    return true;
            return false;
        };
        // a query parameter the schema does not declare
        written += first([&](const operation& o) {
            if (o.params.empty() || o.method != "GET")
                return false;
            add_case(o, filled_path(o, o.string_id ? "abc" : "3"), "{{\"no_such_filter\", \"7\"}}", "std::nullopt",
                     false, "known-bad: an undeclared query parameter");
            return true;
        });
        // text where the path takes an integer id
        written += first([&](const operation& o) {
            if (o.role != "retrieve" || o.string_id)
                return false;
            add_case(o, filled_path(o, "abc"), "{}", "std::nullopt", false, "known-bad: a text {id}");
            return true;
        });
        // the create request's members: a value outside its enum, a slug with a space, text over
        // its maximum length, an integer under its minimum, a required member left out
        const auto member_of = [&](auto fits, auto write) {
            return first([&](const operation& o) {
                const structure* s = o.role == "create" && o.body == body_kind::object ? body_struct(o) : nullptr;
                if (!s)
                    return false;
                const auto found = std::ranges::find_if(s->members, fits);
                if (found == s->members.end())
                    return false;
                write(o, *s, *found);
                return true;
            });
        };
        written += member_of(
            [](const member& mb) { return mb.type.kind == type_kind::choice; },
            [&](const operation& o, const structure& s, const member& mb) {
                write_bad_member(o, s, "body." + mb.name + " = " + type_text(m_, mb.type) + "::from_raw(\"bogus\");",
                                 mb.key + " is not in its enum");
            });
        written += member_of(
            [](const member& mb) { return mb.type.kind == type_kind::string && mb.rule.pattern == slug_pattern; },
            [&](const operation& o, const structure& s, const member& mb) {
                write_bad_member(o, s, "body." + mb.name + " = std::string(\"not a slug\");", mb.key + " is no slug");
            });
        written += member_of(
            [](const member& mb) {
                return mb.type.kind == type_kind::string && mb.rule.max_length && mb.rule.format.empty() &&
                       (mb.rule.pattern.empty() || mb.rule.pattern == slug_pattern);
            },
            [&](const operation& o, const structure& s, const member& mb) {
                const std::string n = std::to_string(*mb.rule.max_length + 1);
                write_bad_member(o, s, "body." + mb.name + " = std::string(" + n + ", 'x');",
                                 mb.key + " has " + n + " characters, over its maximum");
            });
        written += member_of(
            [](const member& mb) {
                return mb.type.kind == type_kind::integer && !mb.rule.minimum.empty() &&
                       number_of(mb.rule.minimum) > -1e15;
            },
            [&](const operation& o, const structure& s, const member& mb) {
                const auto low = static_cast<std::int64_t>(number_of(mb.rule.minimum));
                const std::int64_t value = mb.rule.exclusive_minimum ? low : low - 1;
                write_bad_member(o, s, "body." + mb.name + " = std::int64_t(" + std::to_string(value) + ");",
                                 mb.key + " = " + std::to_string(value) + ", under its minimum");
            });
        written += member_of(
            [](const member& mb) { return mb.required && mb.type.kind != type_kind::upload; },
            [&](const operation& o, const structure& s, const member& mb) {
                out_ += "    {\n" + body_block(s) + "        boost::json::value json = nbt::encoded(body);\n" +
                        "        json.as_object().erase(" + string_literal(mb.key) + ");\n    ";
                add_case(o, filled_path(o, "3"), "{}", "std::move(json)", false,
                         "known-bad: the required " + mb.key + " left out");
                out_ += "    }\n";
            });
        if (written == 0)
            throw std::runtime_error("app " + ops.front()->app + ": no operation to write a known-bad request for");
    }

    void write_app_cases(const std::string& app)
    {
        std::vector<const operation*> ops;
        for (const operation& o : m_.operations)
            if (o.app == app)
                ops.push_back(&o);
        out_ += "void contract_" + app + "(std::vector<nbt::contract_case>& out)\n{\n";
        for (const operation* o : ops) {
            if (std::string reason = skip_of(*o); !reason.empty()) {
                skips_.emplace_back(o->id, std::move(reason));
                continue;
            }
            write_valid(*o);
        }
        write_known_bad(ops);
        out_ += "}\n\n";
    }

    void write_app_responses(const std::string& app)
    {
        out_ += "void responses_" + app + "(std::vector<nbt::response_sample>& out)\n{\n";
        bool any = false;
        for (const operation& o : m_.operations) {
            if (o.app != app || !o.response)
                continue;
            any = true;
            const std::string one = sample_of(*o.response);
            out_ += "    out.push_back({" + string_literal(o.id) + ", " + one + "});\n";
            if (o.bulk_create)
                out_ += "    out.push_back({" + string_literal(o.id) + ", nbt::listed(" + one + ")});\n";
        }
        if (!any)
            out_ += "    (void)out;\n";
        out_ += "}\n\n";
    }

    void write_skips()
    {
        if (skips_.empty())
            return;
        out_ += "constexpr nbt::contract_skip skips[] = {\n";
        for (const auto& [id, reason] : skips_)
            out_ += "    {" + string_literal(id) + ", " + string_literal(reason) + "},\n";
        out_ += "};\n\n";
    }

    const version_model& m_;
    std::string out_;
    std::vector<std::pair<std::string, std::string>> skips_;
};

}  // namespace

std::string contract_source(const version_model& m)
{
    return contract_writer(m).write();
}

}  // namespace netbox::codegen::typed
