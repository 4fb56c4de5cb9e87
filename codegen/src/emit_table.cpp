#include "emit_table.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <string_view>
#include <vector>

namespace netbox::codegen {
namespace {

// --- C++ spelling of the model's values ---------------------------------------------------------

std::string_view enumerator(field_kind kind)
{
    switch (kind) {
    case field_kind::string: return "string";
    case field_kind::integer: return "integer";
    case field_kind::number: return "number";
    case field_kind::boolean: return "boolean";
    case field_kind::date: return "date";
    case field_kind::date_time: return "date_time";
    case field_kind::uri: return "uri";
    case field_kind::choice: return "choice";
    case field_kind::foreign_key: return "foreign_key";
    case field_kind::foreign_keys: return "foreign_keys";
    case field_kind::tags: return "tags";
    case field_kind::custom_fields: return "custom_fields";
    case field_kind::object: return "object";
    case field_kind::objects: return "objects";
    case field_kind::list: return "list";
    case field_kind::json: return "json";
    }
    return "json";
}

std::string_view enumerator(filter_kind kind)
{
    switch (kind) {
    case filter_kind::string: return "string";
    case filter_kind::integer: return "integer";
    case filter_kind::number: return "number";
    case filter_kind::boolean: return "boolean";
    case filter_kind::date: return "date";
    case filter_kind::date_time: return "date_time";
    case filter_kind::uuid: return "uuid";
    case filter_kind::choice: return "choice";
    }
    return "string";
}

/// Enumerators of the bitmask enums, by bit position.
constexpr std::string_view flag_names[] = {"nullable", "read_only", "required", "write_only"};
constexpr std::string_view method_names[] = {"m_get", "m_post", "m_put", "m_patch", "m_delete"};

std::string_view lookup_name(std::size_t bit)
{
    return bit == 0 ? "exact" : model::lookup_suffixes[bit];  // the other enumerators are their suffixes
}

/// "a | b" for the set bits of `mask`; "0" when none is set.
template <typename Name>
std::string mask(std::uint32_t mask, std::size_t bits, Name name)
{
    std::string text;
    for (std::size_t bit = 0; bit < bits; ++bit)
        if (mask & (1u << bit))
            text.append(text.empty() ? "" : " | ").append(name(bit));
    return text.empty() ? "0" : text;
}

std::string flags(std::uint8_t value)
{
    return mask(value, std::size(flag_names), [](std::size_t bit) { return flag_names[bit]; });
}

std::string methods(std::uint8_t value)
{
    return mask(value, std::size(method_names), [](std::size_t bit) { return method_names[bit]; });
}

std::string lookups(std::uint32_t value)
{
    return mask(value, std::size(model::lookup_suffixes), lookup_name);
}

/// A C++ string literal.
std::string literal(std::string_view s)
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

/// "front-ports" → "front_ports".
std::string identifier(std::string_view name)
{
    std::string id(name);
    std::ranges::replace_if(id, [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
    return id;
}

std::string version_identifier(const api& model)
{
    return "v" + identifier(model.version);
}

std::string bool_text(bool value)
{
    return value ? "true" : "false";
}

// --- Shared lists -------------------------------------------------------------------------------

/// Lists that many fields or resources repeat (choice sets, brief field lists) are written once,
/// named `<prefix>_<n>` in the order they are first used.
template <typename List>
class shared_lists {
public:
    explicit shared_lists(std::string prefix) : prefix_(std::move(prefix)) {}

    void add(const List& list)
    {
        if (!list.empty() && names_.try_emplace(list, prefix_ + "_" + std::to_string(names_.size())).second)
            order_.push_back(&names_.find(list)->first);
    }

    /// The array's name, or "{}" for an empty list.
    std::string name(const List& list) const
    {
        return list.empty() ? "{}" : names_.at(list);
    }

    const std::vector<const List*>& in_order() const { return order_; }

private:
    std::string prefix_;
    std::map<List, std::string> names_;
    std::vector<const List*> order_;
};

// --- The table ----------------------------------------------------------------------------------

class table_writer {
public:
    explicit table_writer(const api& model) : model_(model)
    {
        for (const app& a : model.apps)
            for (const resource& r : a.resources) {
                for (const field& f : r.fields)
                    choices_.add(f.choices);
                briefs_.add(r.brief_fields);
            }
    }

    std::string write()
    {
        out_ += "// netbox-cpp: the NetBox " + model_.version + " API model as constant tables (include/netbox/model/api_model.hpp).\n"
                "// Generated by netbox-codegen from " + model_.schema_file + " (info.version " + model_.schema_version +
                "); do not edit.\n// Regenerate as docs/generator.md describes.\n"
                "#include <netbox/model/api_model.hpp>\n\n"
                "namespace netbox::model::generated {\nnamespace {\n\n"
                "using fk = field_kind;\nusing qk = filter_kind;\n";
        write_choices();
        write_briefs();
        for (const app& a : model_.apps)
            write_app(a);
        out_ += "\nconstexpr app apps[] = {\n";
        for (const app& a : model_.apps)
            out_ += "    {" + literal(a.name) + ", " + identifier(a.name) + "_resources},\n";
        out_ += "};\n\n}  // namespace\n\n"
                "extern constexpr api " + version_identifier(model_) + "{" + literal(model_.version) + ", " +
                literal(model_.schema_version) + ",\n    " + literal(model_.schema_sha256) + ", apps};\n\n"
                "}  // namespace netbox::model::generated\n";
        return std::move(out_);
    }

private:
    void write_choices()
    {
        out_ += "\n// Choice sets, each written once.\n";
        for (const std::vector<choice>* list : choices_.in_order()) {
            out_ += "constexpr choice_value " + choices_.name(*list) + "[] = {\n";
            for (const choice& c : *list)
                out_ += "    {" + literal(c.value) + ", " + literal(c.label) + "},\n";
            out_ += "};\n";
        }
    }

    void write_briefs()
    {
        out_ += "\n// Brief field lists, each written once.\n";
        for (const std::vector<std::string>* list : briefs_.in_order()) {
            out_ += "constexpr std::string_view " + briefs_.name(*list) + "[] = {";
            for (const std::string& name : *list)
                out_ += literal(name) + ", ";
            out_.erase(out_.size() - 2);
            out_ += "};\n";
        }
    }

    void write_app(const app& a)
    {
        for (const resource& r : a.resources)
            write_resource_lists(r);
        out_ += "\nconstexpr resource " + identifier(a.name) + "_resources[] = {\n";
        for (const resource& r : a.resources) {
            const std::string prefix = identifier(r.app) + "_" + identifier(r.name);
            out_ += "    {" + literal(r.app) + ", " + literal(r.name) + ", " + literal(r.model) + ",\n" +
                    "     " + literal(r.list_path) + ", " + literal(r.detail_path) + ",\n" +
                    "     " + methods(r.list_methods) + ", " + methods(r.detail_methods) + ", " +
                    bool_text(r.string_id) + ",\n" +
                    "     " + (r.fields.empty() ? "{}" : prefix + "_fields") + ", " + briefs_.name(r.brief_fields) +
                    ", " + (r.filters.empty() ? "{}" : prefix + "_filters") + ", " +
                    (r.details.empty() ? "{}" : prefix + "_details") + "},\n";
        }
        out_ += "};\n";
    }

    void write_resource_lists(const resource& r)
    {
        const std::string prefix = identifier(r.app) + "_" + identifier(r.name);
        out_ += "\n// " + r.app + "." + r.name + "\n";
        if (!r.fields.empty()) {
            out_ += "constexpr field " + prefix + "_fields[] = {\n";
            for (const field& f : r.fields) {
                out_ += "    {" + literal(f.name) + ", fk::" + std::string(enumerator(f.kind)) + ", " + flags(f.flags) +
                        ", " + literal(f.target) + ", " + choices_.name(f.choices) + "},\n";
            }
            out_ += "};\n";
        }
        if (!r.filters.empty()) {
            out_ += "constexpr filter " + prefix + "_filters[] = {\n";
            for (const filter& f : r.filters)
                out_ += "    {" + literal(f.name) + ", qk::" + std::string(enumerator(f.kind)) + ", " + lookups(f.lookups) +
                        ", " + bool_text(f.multi) + "},\n";
            out_ += "};\n";
        }
        if (!r.details.empty()) {
            out_ += "constexpr detail_endpoint " + prefix + "_details[] = {\n";
            for (const detail_endpoint& d : r.details)
                out_ += "    {" + literal(d.name) + ", " + literal(d.path) + ", " + methods(d.methods) + "},\n";
            out_ += "};\n";
        }
    }

    const api& model_;
    shared_lists<std::vector<choice>> choices_{"choices"};
    shared_lists<std::vector<std::string>> briefs_{"brief"};
    std::string out_;
};

}  // namespace

output_file emit_table(const api& model)
{
    return {"api_model_" + version_identifier(model) + ".cpp", table_writer(model).write()};
}

output_file emit_index(std::span<const api> models)
{
    std::string text =
        "// netbox-cpp: the NetBox release lines compiled in. Generated by netbox-codegen; do not edit.\n"
        "// Regenerate as docs/generator.md describes.\n"
        "#include <netbox/model/api_model.hpp>\n\n"
        "namespace netbox::model {\nnamespace generated {\n";
    for (const api& model : models)
        text += "extern const api " + version_identifier(model) + ";\n";
    text += "}  // namespace generated\n\n"
            "std::span<const api* const> all_apis() noexcept\n{\n"
            "    static constexpr const api* apis[] = {";
    for (const api& model : models)
        text += (&model == models.data() ? "&generated::" : ", &generated::") + version_identifier(model);
    text += "};\n    return apis;\n}\n\n}  // namespace netbox::model\n";
    return {"api_model_index.cpp", std::move(text)};
}

}  // namespace netbox::codegen
