// netbox-codegen: the typed model of a release line (typed_model.hpp) from its OpenAPI schema.
#include "typed_model.hpp"

#include "names.hpp"
#include "openapi.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <functional>
#include <set>
#include <stdexcept>
#include <tuple>
#include <utility>

namespace netbox::codegen::typed {
namespace {

namespace json = boost::json;
using namespace openapi;

/// The app of the top-level paths (/api/status/, /api/schema/, /api/authentication-check/).
constexpr std::string_view root_app = "root";
/// Query parameters every list params struct has as options, never as filter members.
constexpr std::string_view option_names[] = {"brief",  "exclude", "fields", "format",
                                             "limit", "offset",  "omit",   "ordering"};
/// Names a generated type must not take: the namespace aliases of the generated sources and the
/// names api.hpp and the samples use in the version's namespaces.
constexpr std::string_view reserved_type_names[] = {"basic_app", "codec", "impl", "json", "operation_info",
                                                    "operations", "testing", "version"};
/// The members of every endpoint traits struct, which an action's nested struct must not take.
constexpr std::string_view endpoint_member_names[] = {
    "app", "bulk_create", "bulk_destroy", "bulk_patch_item", "bulk_update_item", "create_request", "create_response",
    "destroy", "detail_path", "details", "id_type", "list_item", "list_path", "list_response", "name", "params",
    "patch_request", "patch_response", "retrieve_response", "singleton", "update_request", "update_response"};
/// Actions whose schema is wrong about the answer (schemas.md §6): the typed client hand-writes
/// them, so the traits hold JSON.
constexpr std::string_view defect_get_actions[] = {"choices", "paths", "trace"};
constexpr std::string_view defect_post_actions[] = {"render", "render-config"};
constexpr std::string_view defect_comment = "schema defect: hand-written in the typed client";

std::string literal_of_number(const json::value& v)
{
    char buffer[64];
    std::to_chars_result r{};
    if (v.is_int64())
        r = std::to_chars(buffer, buffer + sizeof buffer, v.get_int64());
    else if (v.is_uint64())
        r = std::to_chars(buffer, buffer + sizeof buffer, v.get_uint64());
    else if (v.is_double())
        r = std::to_chars(buffer, buffer + sizeof buffer, v.get_double());
    else
        return {};
    std::string text(buffer, r.ptr);
    if (text.find_first_of(".e") == std::string::npos)
        text += ".0";
    return text;
}

std::optional<std::int64_t> integer_at(const json::object& o, std::string_view key)
{
    const json::value* v = o.if_contains(key);
    if (v && v->is_int64())
        return v->get_int64();
    if (v && v->is_uint64())
        return static_cast<std::int64_t>(v->get_uint64());
    return std::nullopt;
}

/// `{type: array, items: {type: integer}, minItems: 2, maxItems: 2}` (IntegerRange).
bool is_integer_pair(const json::object& schema)
{
    const json::object* items = object_at(schema, "items");
    return string_at(schema, "type") == "array" && items && string_at(*items, "type") == "integer" &&
           integer_at(schema, "minItems") == 2 && integer_at(schema, "maxItems") == 2;
}

bool is_http_method(std::string_view key)
{
    return std::ranges::any_of(http_methods, [&](const auto& m) { return m.first == key; });
}

cpp_type simple(type_kind kind, std::string target = {})
{
    return {kind, std::move(target), {}};
}

cpp_type vector_of(cpp_type item)
{
    cpp_type v{type_kind::vector, {}, {}};
    v.item.push_back(std::move(item));
    return v;
}

/// The struct or enum targets a type names, and whether it reaches them through a vector.
void for_each_target(const cpp_type& t, bool in_vector, const std::function<void(const cpp_type&, bool)>& f)
{
    if (t.kind == type_kind::vector)
        for_each_target(t.item.at(0), true, f);
    else if (t.kind == type_kind::object || t.kind == type_kind::choice || t.kind == type_kind::page)
        f(t, in_vector);
}

std::string upper(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

/// The member wrapper for the presence and nullability rules (docs/generator.md, "Typed back end").
wrapper wrapper_for(bool request, type_kind kind, bool required, bool nullable)
{
    if (!request) {
        if (kind == type_kind::vector)
            return nullable ? wrapper::optional : wrapper::none;
        if (kind == type_kind::json)
            return wrapper::none;
        return required && !nullable ? wrapper::none : wrapper::optional;
    }
    if (nullable)
        return wrapper::tri_state;
    if (required)
        return wrapper::none;
    if (kind == type_kind::ref || kind == type_kind::choice)
        return wrapper::none;  // they have an unset state of their own
    return wrapper::optional;
}

class typed_reader {
public:
    typed_reader(const schema_file& schema, const api& api_model)
        : document_(*schema.document.if_object()),
          paths_(require_object(document_, "paths")),
          schemas_(require_object(require_object(document_, "components"), "schemas"))
    {
        m_.version = api_model.version;
        m_.ns = version_namespace(api_model.version);
        m_.schema_version = api_model.schema_version;
        m_.schema_file = api_model.schema_file;
        for (const app& a : api_model.apps)
            for (const resource& r : a.resources)
                if (!r.model.empty())
                    family_app_.emplace(model_family(r.model), a.name);
    }

    version_model read()
    {
        classify_components();
        read_paths();
        assign_homes();
        read_structs();
        add_bulk_structs();
        finish_enums();
        mark_structs();
        place();
        order_structs();
        check_names();
        return std::move(m_);
    }

private:
    // --- components ------------------------------------------------------------------------------

    const json::object& component(std::string_view name) const
    {
        if (const json::object* found = object_at(schemas_, name))
            return *found;
        throw std::runtime_error("reference to a missing component schema: " + std::string(name));
    }

    /// Paginated lists become page aliases; array components (IntegerRange) are inlined; the
    /// other objects become structs.
    void classify_components()
    {
        for (const auto& [key, value] : schemas_) {
            const std::string name(key);
            const json::object& schema = value.as_object();
            const json::object& properties = properties_of(&schema);
            const json::object* results = object_at(properties, "results");
            const json::object* items = results ? object_at(*results, "items") : nullptr;
            if (name.starts_with("Paginated") && name.ends_with("List") && items && !ref_name(*items).empty()) {
                page_items_.emplace(name, std::string(ref_name(*items)));
            } else if (string_at(schema, "type") == "object" || schema.contains("properties")) {
                object_names_.push_back(name);
            }
        }
        std::ranges::sort(object_names_);
    }

    // --- types -------------------------------------------------------------------------------------

    struct shape {
        cpp_type type;
        bool nullable = false;
        bool allow_blank = false;
        std::string defect = {};  ///< member::defect
    };

    /// The C++ type of a property schema. `candidate` names the enum an inline enum would get.
    shape shape_of(const json::object& s, const std::string& candidate)
    {
        const bool nullable = flag_at(s, "nullable");
        if (const json::object* inner = single_all_of(s)) {
            shape inner_shape = shape_of(*inner, candidate);
            inner_shape.nullable = inner_shape.nullable || nullable;
            return inner_shape;
        }
        if (foreign_key_branch(s))
            return {simple(type_kind::ref), nullable};
        if (const std::string_view name = ref_name(s); !name.empty()) {
            shape referenced = reference(name, candidate);
            referenced.nullable = referenced.nullable || nullable;
            return referenced;
        }
        if (const json::array* values = array_at(s, "enum"))
            return enum_shape(*values, string_at(s, "type"), candidate, nullable);
        const std::string_view type = string_at(s, "type");
        if (type == "array") {
            const json::object* items = object_at(s, "items");
            if (!items || items->empty() || string_at(*items, "type") == "array")
                return {vector_of(simple(type_kind::json)), nullable};
            shape item = shape_of(*items, candidate);
            return {vector_of(std::move(item.type)), nullable, item.allow_blank, std::move(item.defect)};
        }
        if (type == "object") {
            if (!is_choice_object(s))
                return {simple(type_kind::json), nullable};
            const json::object& value = require_object(require_object(s, "properties"), "value");
            const json::array* values = array_at(value, "enum");
            if (!values)
                return {simple(type_kind::json), nullable};
            shape choice = enum_shape(*values, string_at(value, "type"), candidate, nullable);
            choice.allow_blank = false;  // an answer's blank choice is a value like any other
            return choice;
        }
        if (type == "string")
            return {simple(string_at(s, "format") == "binary" ? type_kind::upload : type_kind::string), nullable};
        if (type == "integer")
            return {simple(type_kind::integer), nullable};
        if (type == "number")
            return {simple(type_kind::number), nullable};
        if (type == "boolean")
            return {simple(type_kind::boolean), nullable};
        return {simple(type_kind::json), nullable};
    }

    shape reference(std::string_view name, const std::string& candidate)
    {
        if (const auto page = page_items_.find(std::string(name)); page != page_items_.end())
            return {simple(type_kind::page, page->second)};
        const json::object& schema = component(name);
        if (string_at(schema, "type") == "array") {
            if (is_integer_pair(schema))
                return {simple(type_kind::int_pair)};
            // 4.3's IntegerRange is a list of pairs, referenced as a list of IntegerRange: the
            // server sends [[1, 10], …], a list of pairs, as later schemas say.
            if (const json::object* items = object_at(schema, "items"); items && is_integer_pair(*items))
                return {simple(type_kind::int_pair), false, false,
                        std::string(name) + " is declared as a list of pairs where one pair is sent"};
            return shape_of(schema, candidate);
        }
        if (schema.contains("properties"))
            return {simple(type_kind::object, std::string(name))};
        return shape_of(schema, candidate);
    }

    /// A choice: the enum of its value set (without "" and null), registered under `candidate`.
    shape enum_shape(const json::array& values, std::string_view type, const std::string& candidate, bool nullable)
    {
        enum_key key;
        std::vector<std::string> in_order;
        bool all_integers = true;
        bool allow_blank = false;
        for (const json::value& v : values) {
            if (v.is_null()) {
                nullable = true;
                continue;
            }
            if (v.is_string() && v.get_string().empty()) {
                allow_blank = true;
                continue;
            }
            if (std::optional<std::string> text = choice_text(v)) {
                all_integers = all_integers && !v.is_string();
                in_order.push_back(std::move(*text));
            }
        }
        if (in_order.empty())
            return {simple(type == "integer" ? type_kind::integer : type_kind::string), nullable, allow_blank};
        if (candidate.empty())
            throw std::runtime_error("an inline enum outside a component schema property");
        key.integer = type == "integer" || (type.empty() && all_integers);
        key.values = in_order;
        std::ranges::sort(key.values);
        key.values.erase(std::unique(key.values.begin(), key.values.end()), key.values.end());
        auto [it, inserted] = enums_.try_emplace(key);
        it->second.candidates.push_back({candidate, candidate_schema_, std::move(in_order)});
        return {simple(type_kind::choice, key_text(key)), nullable, allow_blank};
    }

    // --- paths -------------------------------------------------------------------------------------

    endpoint& endpoint_for(std::string_view app, std::string_view resource)
    {
        const auto key = std::make_pair(std::string(app), std::string(resource));
        auto [it, inserted] = endpoints_.try_emplace(key);
        if (inserted) {
            it->second.app = app;
            it->second.resource = resource;
            it->second.name = identifier(resource);
        }
        return it->second;
    }

    void read_paths()
    {
        std::vector<std::string> paths;
        for (const auto& [path, item] : paths_)
            paths.emplace_back(path);
        std::ranges::sort(paths);
        for (const std::string& path : paths) {
            const path_shape s = classify_path(path);
            if (s.kind == path_kind::plugin)
                continue;
            const json::object& item = paths_.at(path).as_object();
            for (const auto& [key, value] : item)
                if (!is_http_method(key) && key != "parameters" && key != "summary" && key != "description" &&
                    key != "servers")
                    throw std::runtime_error("unsupported method " + std::string(key) + " on " + path);
            const bool top = s.kind == path_kind::top;
            endpoint& e = endpoint_for(top ? root_app : s.app, top ? s.app : s.resource);
            switch (s.kind) {
            case path_kind::top:
            case path_kind::list:
                e.list_path = path;
                read_list_path(e, item);
                break;
            case path_kind::detail:
                e.detail_path = path;
                e.string_id = is_string_parameter(item, s.parameter);
                read_detail_path(e, item);
                break;
            default:
                read_action(e, path, identifier(s.action), s.action, item);
                break;
            }
        }
        for (auto& [key, e] : endpoints_) {
            std::ranges::sort(e.actions, {}, &action::name);
            m_.endpoints.push_back(std::move(e));
        }
        for (const endpoint& e : m_.endpoints)
            if (m_.apps.empty() || m_.apps.back() != e.app)
                m_.apps.push_back(e.app);
        std::ranges::sort(m_.operations, {}, &operation::id);
        for (std::size_t i = 1; i < m_.operations.size(); ++i)
            if (m_.operations[i].id == m_.operations[i - 1].id)
                throw std::runtime_error("operationId " + m_.operations[i].id + " is not unique");
        check_coverage(paths);
    }

    /// Every operation of every path but the plugins' is in the table, once.
    void check_coverage(const std::vector<std::string>& paths) const
    {
        std::set<std::pair<std::string, std::string>> covered;
        for (const operation& o : m_.operations)
            if (!covered.emplace(o.path, o.method).second)
                throw std::runtime_error(o.method + " " + o.path + " is covered twice");
        for (const std::string& path : paths) {
            if (classify_path(path).kind == path_kind::plugin)
                continue;
            for (const auto& [method, bit] : http_methods)
                if (operation_at(&paths_.at(path).as_object(), method) && !covered.contains({path, upper(method)}))
                    throw std::runtime_error(upper(method) + " " + path + " (" +
                                             std::string(string_at(*operation_at(&paths_.at(path).as_object(), method),
                                                                   "operationId")) +
                                             ") maps to no endpoint trait");
        }
    }

    /// The operation at `method`, registered as covered by `role` of `endpoint_name`.
    const json::object* take(const json::object& item, std::string_view method, const endpoint& e,
                             const std::string& endpoint_name, const std::string& role, std::string& id)
    {
        const json::object* op = operation_at(&item, method);
        if (!op)
            return nullptr;
        id = std::string(string_at(*op, "operationId"));
        if (id.empty())
            throw std::runtime_error("an operation without operationId: " + upper(method) + " " +
                                     (e.detail_path.empty() ? e.list_path : e.detail_path));
        const std::string path = current_path_;
        operation o;
        o.id = id;
        o.method = upper(method);
        o.path = path;
        o.app = e.app;
        o.endpoint = endpoint_name;
        o.role = role;
        if (const std::size_t open = path.find('{'); open != std::string::npos)
            o.string_id = is_string_parameter(item, path.substr(open + 1, path.find('}', open) - open - 1));
        o.response = answer_type(op);
        m_.operations.push_back(std::move(o));
        std::vector<std::string> refs;
        collect_refs(request_schema(op), refs);
        for (std::string_view status : {"200", "201"})
            collect_refs(response_schema(op, status), refs);
        operation_refs_.push_back({path, std::string(method), e.app, std::move(refs)});
        return op;
    }

    void collect_refs(const json::object* s, std::vector<std::string>& out) const
    {
        if (!s)
            return;
        if (const std::string_view name = ref_name(*s); !name.empty()) {
            out.emplace_back(name);
            if (const auto page = page_items_.find(std::string(name)); page != page_items_.end())
                out.push_back(page->second);
            return;
        }
        for (std::string_view key : {"oneOf", "allOf", "anyOf"})
            for (const json::value& v : array_or_empty(s, key))
                collect_refs(v.if_object(), out);
        if (const json::object* items = object_at(*s, "items"))
            collect_refs(items, out);
    }

    /// The answer's type (response_type()), or none when every 2xx answer is a 204 (no body).
    std::optional<cpp_type> answer_type(const json::object* op)
    {
        const json::object* responses = object_at(*op, "responses");
        if (!responses)
            return std::nullopt;
        for (const auto& [status, answer] : *responses)
            if (status.starts_with("2") && status != "204")
                return response_type(op, {});
        return std::nullopt;
    }

    /// What the operation just taken sends: nothing when the schema declares no body, `{}` when the
    /// typed client sends a JSON value, else one `type` or a list of it.
    void set_body(bool declared, const cpp_type& type, bool list)
    {
        operation& o = m_.operations.back();
        if (!declared) {
            o.body = body_kind::none;
        } else if (type.kind == type_kind::json) {
            o.body = body_kind::empty_object;
        } else if (type.kind == type_kind::vector) {
            o.body = body_kind::list;
            o.body_type = type.item.at(0);
        } else {
            o.body = list ? body_kind::list : body_kind::object;
            o.body_type = type;
        }
    }

    /// The type of the first 2xx JSON answer; JSON when the schema declares none.
    std::optional<cpp_type> response_type(const json::object* op, const std::string& candidate)
    {
        for (std::string_view status : {"200", "201"})
            if (const json::object* s = response_schema(op, status))
                return shape_of(*s, candidate).type;
        return simple(type_kind::json);
    }

    static void set_trait(std::vector<trait>& traits, trait t, const std::string& where)
    {
        if (std::ranges::any_of(traits, [&](const trait& x) { return x.name == t.name; }))
            throw std::runtime_error(where + ": two operations map to " + t.name);
        traits.push_back(std::move(t));
    }

    static trait type_trait(std::string name, std::optional<cpp_type> type, std::string comment)
    {
        trait t;
        t.name = std::move(name);
        t.type = std::move(type);
        t.comment = std::move(comment);
        return t;
    }

    static trait flag_trait(std::string name, bool value, std::string comment)
    {
        trait t;
        t.name = std::move(name);
        t.flag = true;
        t.value = value;
        t.comment = std::move(comment);
        return t;
    }

    /// A value of a choice family's enum that the test samples can send: the first one (not
    /// "null", not blank) of the parameter of its lowest lookup, which is the one they use.
    static std::string sample_choice(const json::object& op, const filter& f)
    {
        if (f.kind != model::filter_kind::choice)
            return {};
        std::uint32_t bit = 0;
        while (!(f.lookups & (1u << bit)))
            ++bit;
        const std::string name = bit == 0 ? f.name : f.name + "__" + std::string(model::lookup_suffixes[bit]);
        for (const json::value& v : array_or_empty(&op, "parameters")) {
            const json::object& parameter = v.as_object();
            if (string_at(parameter, "in") != "query" || string_at(parameter, "name") != name)
                continue;
            const json::object& schema = require_object(parameter, "schema");
            const json::object* items = object_at(schema, "items");
            for (const json::value& value : array_or_empty(items ? items : &schema, "enum"))
                if (std::optional<std::string> text = choice_text(value); text && *text != "null")
                    return *text;
        }
        return {};
    }

    /// The params struct of a GET: its filter families and the list options.
    std::string add_params(const std::string& app, const std::string& name, const json::object& op,
                           const std::string& id)
    {
        params_struct p;
        p.name = name;
        p.app = app;
        p.operation_id = id;
        p.path = current_path_;
        for (const filter& f : fold_filters(&op)) {
            if (std::ranges::find(option_names, f.name) != std::end(option_names))
                continue;
            std::string member = identifier(f.name);
            if (std::ranges::find(option_names, member) != std::end(option_names) || member == "extra")
                member += '_';
            if (std::ranges::any_of(p.members, [&](const param_member& other) { return other.name == member; }))
                throw std::runtime_error(id + ": two filters are both the C++ member " + member);
            p.members.push_back({f.name, member, f.kind, f.lookups, sample_choice(op, f)});
        }
        m_.params.push_back(std::move(p));
        return name;
    }

    void read_list_path(endpoint& e, const json::object& item)
    {
        current_path_ = e.list_path;
        const std::string where = e.list_path;
        std::string id;
        if (const json::object* op = take(item, "get", e, e.name, "list", id)) {
            trait p;
            p.name = "params";
            p.params = add_params(e.app, e.name + "_params", *op, id);
            p.comment = id;
            m_.operations.back().params = p.params;
            set_trait(e.traits, std::move(p), where);
            const json::object* body = response_schema(op, "200");
            const std::string_view page = body ? ref_name(*body) : std::string_view();
            if (page_items_.contains(std::string(page))) {
                const std::string& item_schema = page_items_.at(std::string(page));
                set_trait(e.traits, type_trait("list_item", simple(type_kind::object, item_schema), id), where);
            } else {
                set_trait(e.traits, type_trait("list_response", response_type(op, {}), id + " (not paginated)"), where);
                m_.operations.back().role = "list_response";
            }
        }
        if (const json::object* op = take(item, "post", e, e.name, "create", id)) {
            const json::object* body = request_schema(op);
            std::optional<cpp_type> request;
            bool bulk = false;
            std::string comment = id;
            if (body && array_at(*body, "oneOf")) {
                for (const json::value& branch : array_or_empty(body, "oneOf"))
                    if (const json::object* b = branch.if_object(); b && string_at(*b, "type") != "array")
                        request = shape_of(*b, {}).type;
                    else
                        bulk = true;
            } else if (body) {
                request = shape_of(*body, {}).type;
            } else {
                request = simple(type_kind::json);
                comment += " (the schema declares no body)";
            }
            if (!request)
                throw std::runtime_error(where + ": a create body of an unknown shape");
            set_body(body != nullptr, *request, false);
            m_.operations.back().bulk_create = bulk;
            set_trait(e.traits, type_trait("create_request", std::move(request), comment), where);
            set_trait(e.traits, type_trait("create_response", response_type(op, {}), id), where);
            set_trait(e.traits, flag_trait("bulk_create", bulk, bulk ? id + " (a list body)" : std::string()), where);
        }
        for (const auto& [method, single, bulk_role] :
             {std::tuple{"put", "update", "bulk_update"}, std::tuple{"patch", "patch", "bulk_patch"}}) {
            const json::object* op = operation_at(&item, method);
            if (!op)
                continue;
            const json::object* body = request_schema(op);
            const bool list_body = body && string_at(*body, "type") == "array";
            const json::object* items = list_body ? object_at(*body, "items") : nullptr;
            if (items) {
                take(item, method, e, e.name, bulk_role, id);
                const std::string item_schema(ref_name(*items));
                if (item_schema.empty())
                    throw std::runtime_error(where + ": a bulk body whose items are no schema");
                const std::string bulk_schema =
                    item_schema + (std::string_view(method) == "put" ? "#bulk" : "#bulk_patch");
                bulk_items_.emplace(bulk_schema, e.app);
                set_body(true, simple(type_kind::object, bulk_schema), true);
                set_trait(e.traits,
                          type_trait(std::string(bulk_role) + "_item", simple(type_kind::object, bulk_schema), id),
                          where);
            } else {
                take(item, method, e, e.name, single, id);
                set_body(body != nullptr, body ? shape_of(*body, {}).type : simple(type_kind::json), false);
                set_trait(e.traits,
                          type_trait(std::string(single) + "_request",
                                     body ? shape_of(*body, {}).type : simple(type_kind::json), id + " (one object)"),
                          where);
                set_trait(e.traits, type_trait(std::string(single) + "_response", response_type(op, {}), id), where);
            }
        }
        if (const json::object* op = operation_at(&item, "delete")) {
            const bool bulk = request_schema(op) != nullptr;
            take(item, "delete", e, e.name, bulk ? "bulk_destroy" : "destroy", id);
            if (bulk)
                m_.operations.back().body = body_kind::ids;
            set_trait(e.traits, flag_trait(bulk ? "bulk_destroy" : "destroy", true, id), where);
        }
    }

    void read_detail_path(endpoint& e, const json::object& item)
    {
        current_path_ = e.detail_path;
        const std::string where = e.detail_path;
        std::string id;
        if (const json::object* op = take(item, "get", e, e.name, "retrieve", id))
            set_trait(e.traits, type_trait("retrieve_response", response_type(op, {}), id), where);
        for (const auto& [method, role] : {std::pair{"put", "update"}, std::pair{"patch", "patch"}}) {
            if (const json::object* op = take(item, method, e, e.name, role, id)) {
                const json::object* body = request_schema(op);
                const cpp_type request = body ? shape_of(*body, {}).type : simple(type_kind::json);
                set_body(body != nullptr, request, false);
                set_trait(e.traits, type_trait(std::string(role) + "_request", request, id), where);
                set_trait(e.traits, type_trait(std::string(role) + "_response", response_type(op, {}), id), where);
            }
        }
        if (take(item, "delete", e, e.name, "destroy", id))
            set_trait(e.traits, flag_trait("destroy", true, id), where);
    }

    void read_action(endpoint& e, const std::string& path, const std::string& name, std::string_view url_name,
                     const json::object& item)
    {
        current_path_ = path;
        action a;
        a.name = name;
        a.path = path;
        const std::string endpoint_name = e.name + "." + name;
        const bool defect_get = std::ranges::find(defect_get_actions, url_name) != std::end(defect_get_actions);
        const bool defect_post = std::ranges::find(defect_post_actions, url_name) != std::end(defect_post_actions);
        std::string id;
        for (const auto& [method, bit] : http_methods) {
            const json::object* op = take(item, method, e, endpoint_name, std::string(method), id);
            if (!op)
                continue;
            const std::string m(method);
            if (m == "get" && !array_or_empty(op, "parameters").empty() &&
                std::ranges::any_of(array_or_empty(op, "parameters"),
                                    [](const json::value& p) { return string_at(p.as_object(), "in") == "query"; })) {
                trait p;
                p.name = "get_params";
                p.params = add_params(e.app, e.name + "_" + name + "_params", *op, id);
                p.comment = id;
                m_.operations.back().params = p.params;
                set_trait(a.traits, std::move(p), path);
            }
            if (m == "delete") {
                set_trait(a.traits, flag_trait("destroy", true, id), path);
                continue;
            }
            if (m != "get") {
                const json::object* body = request_schema(op);
                std::optional<cpp_type> body_type;
                std::string comment = id;
                bool is_array = false;
                if (defect_post) {
                    body_type = simple(type_kind::json);
                    comment += ": " + std::string(defect_comment);
                } else if (url_name == "sync") {
                    body_type = simple(type_kind::json);
                    comment += " (no body needed; the schema asks for the object's request)";
                } else if (!body) {
                    body_type = simple(type_kind::json);
                    comment += " (the schema declares no body)";
                } else {
                    body_type = shape_of(*body, {}).type;
                    if (body_type->kind == type_kind::vector) {
                        cpp_type item_type = body_type->item.at(0);
                        body_type = std::move(item_type);
                        is_array = true;
                    }
                }
                set_body(body != nullptr, *body_type, is_array);
                set_trait(a.traits, type_trait(m + "_body", std::move(body_type), comment), path);
                if (is_array)
                    set_trait(a.traits, flag_trait("body_is_array", true, id + " (the body is a list of " + m + "_body)"),
                              path);
            }
            const bool defect = (m == "get" && defect_get) || (m == "post" && defect_post);
            std::string comment = id;
            std::optional<cpp_type> response;
            if (defect) {
                response = simple(type_kind::json);
                comment += ": " + std::string(defect_comment);
                m_.operations.back().response = response;
            } else {
                response = response_type(op, {});
                if (url_name == "elevation")
                    comment += " (render=svg answers image/svg+xml, which the schema does not declare: hand-written "
                               "in the typed client)";
            }
            set_trait(a.traits, type_trait(m + "_response", std::move(response), comment), path);
        }
        if (std::ranges::any_of(e.actions, [&](const action& x) { return x.name == a.name; }))
            throw std::runtime_error(path + ": two actions named " + a.name + " on " + e.app + "/" + e.resource);
        e.actions.push_back(std::move(a));
    }

    // --- homes ----------------------------------------------------------------------------------------

    /// A schema's home app: its model family's resource, else the first operation (by path and
    /// method) that references it, else none (the version's own namespace).
    void assign_homes()
    {
        std::ranges::sort(operation_refs_, {}, [](const op_refs& o) { return std::tie(o.path, o.method); });
        std::vector<std::string> names = object_names_;
        for (const auto& [name, item] : page_items_)
            names.push_back(name);
        for (const auto& [bulk, app] : bulk_items_)
            home_.emplace(bulk, app);
        for (const std::string& name : names) {
            if (const auto found = family_app_.find(model_family(name)); found != family_app_.end()) {
                home_.emplace(name, found->second);
                continue;
            }
            for (const op_refs& o : operation_refs_)
                if (std::ranges::find(o.refs, name) != o.refs.end()) {
                    home_.emplace(name, o.app);
                    break;
                }
        }
    }

    std::string home_of(const std::string& schema) const
    {
        const auto found = home_.find(schema);
        return found == home_.end() ? std::string() : found->second;
    }

    // --- structs -----------------------------------------------------------------------------------

    void read_structs()
    {
        for (const std::string& name : object_names_) {
            const json::object& schema = component(name);
            structure s;
            s.schema = name;
            s.name = snake_case(name);
            s.ns = home_of(name);
            s.request = name.ends_with(request_suffix);
            candidate_schema_ = name;
            const json::array& required = array_or_empty(&schema, "required");
            for (const auto& [key, value] : properties_of(&schema)) {
                const json::object& property = value.as_object();
                member mb;
                mb.key = key;
                mb.name = identifier(key);
                if (mb.name == s.name)
                    mb.name += '_';
                shape sh = shape_of(property, identifier(s.name + "_" + std::string(key)));
                mb.type = std::move(sh.type);
                mb.required = contains_string(required, key);
                mb.nullable = sh.nullable;
                mb.read_only = flag_at(property, "readOnly");
                mb.rule = constraints_of(property, sh.allow_blank);
                mb.defect = std::move(sh.defect);
                if (mb.type.kind == type_kind::json)
                    mb.rule.json_sample = json_sample_text(property);
                else if (mb.type.kind == type_kind::vector && mb.type.item.at(0).kind == type_kind::json)
                    if (const json::object* items = object_at(property, "items"))
                        mb.rule.json_sample = json_sample_text(*items);
                mb.wrap = wrapper_for(s.request, mb.type.kind, mb.required, mb.nullable);
                if (std::ranges::any_of(s.members, [&](const member& other) { return other.name == mb.name; }))
                    throw std::runtime_error(name + ": two properties are both the C++ member " + mb.name);
                s.members.push_back(std::move(mb));
            }
            m_.structs.push_back(std::move(s));
        }
        candidate_schema_.clear();
        index_structs();
        for (const auto& [name, item] : page_items_)
            m_.pages.push_back({name, snake_case(name), home_of(name), {}, item});
    }

    constraints constraints_of(const json::object& property, bool allow_blank) const
    {
        const json::object* items = object_at(property, "items");
        const json::object& scalar = string_at(property, "type") == "array" && items ? *items : property;
        constraints c;
        c.min_length = integer_at(scalar, "minLength");
        c.max_length = integer_at(scalar, "maxLength");
        if (const json::value* v = scalar.if_contains("minimum"))
            c.minimum = literal_of_number(*v);
        if (const json::value* v = scalar.if_contains("maximum"))
            c.maximum = literal_of_number(*v);
        c.exclusive_minimum = flag_at(scalar, "exclusiveMinimum");
        c.exclusive_maximum = flag_at(scalar, "exclusiveMaximum");
        c.pattern = string_at(scalar, "pattern");
        if (&scalar != &property) {
            c.min_items = integer_at(property, "minItems");
            c.max_items = integer_at(property, "maxItems");
        }
        c.allow_blank = allow_blank;
        c.format = string_at(scalar, "format");
        return c;
    }

    /// A JSON value `schema` accepts, for the samples of JSON members: {"k": 1} for anything
    /// free-form; else built from the type, enum, items and additionalProperties.
    json::value json_sample(const json::object& schema, int depth) const
    {
        if (const json::object* inner = single_all_of(schema))
            return json_sample(*inner, depth);
        if (const std::string_view name = ref_name(schema); !name.empty() && depth < 4)
            return json_sample(component(name), depth + 1);
        if (const json::array* values = array_at(schema, "enum"))
            for (const json::value& v : *values)
                if (!v.is_null())
                    return v;
        const std::string_view type = string_at(schema, "type");
        if (type == "string")
            return "s";
        if (type == "integer")
            return 7;
        if (type == "number")
            return 1.5;
        if (type == "boolean")
            return true;
        if (type == "array") {
            json::array a;
            const json::object* items = object_at(schema, "items");
            const std::int64_t n = std::max<std::int64_t>(1, integer_at(schema, "minItems").value_or(1));
            for (std::int64_t i = 0; i < n; ++i)
                a.push_back(items && !items->empty() && depth < 4 ? json_sample(*items, depth + 1) : json::value("s"));
            return a;
        }
        json::object o;
        const json::object* more = object_at(schema, "additionalProperties");
        if (const json::array* required = array_at(schema, "required"); required && depth < 4) {
            for (const json::value& key : *required)
                if (const json::object* property = object_at(properties_of(&schema), key.as_string()))
                    o[key.as_string()] = json_sample(*property, depth + 1);
        } else if (more && !more->empty() && depth < 4) {
            o["k"] = json_sample(*more, depth + 1);
        } else {
            o["k"] = 1;
        }
        return o;
    }

    /// json_sample() as JSON text; "" for the usual {"k": 1}.
    std::string json_sample_text(const json::object& schema) const
    {
        const std::string text = json::serialize(json_sample(schema, 0));
        return text == R"({"k":1})" ? std::string() : text;
    }

    void index_structs()
    {
        m_.struct_index.clear();
        for (std::size_t i = 0; i < m_.structs.size(); ++i)
            if (!m_.struct_index.emplace(m_.structs[i].schema, i).second)
                throw std::runtime_error("two structs for schema " + m_.structs[i].schema);
    }

    /// `<item>_bulk`: the bulk PUT item with the `id` the schema forgot; `<item>_bulk_patch`: the
    /// same with every member optional, as a Patched* request.
    void add_bulk_structs()
    {
        for (const auto& [bulk_schema, app] : bulk_items_) {
            const std::size_t hash = bulk_schema.find('#');
            const std::string item = bulk_schema.substr(0, hash);
            const bool patch = bulk_schema.substr(hash + 1) == "bulk_patch";
            const auto found = m_.struct_index.find(item);
            if (found == m_.struct_index.end())
                throw std::runtime_error("bulk item " + item + " is no object schema");
            const structure& source = m_.structs[found->second];
            std::string base = source.name;
            if (base.ends_with("_request"))
                base.resize(base.size() - std::string_view("_request").size());
            structure s;
            s.schema = bulk_schema;
            s.name = base + (patch ? "_bulk_patch" : "_bulk");
            s.ns = app;
            s.request = true;
            if (std::ranges::none_of(source.members, [](const member& mb) { return mb.key == "id"; })) {
                member id;
                id.key = "id";
                id.name = "id";
                id.type = simple(type_kind::integer);
                id.required = true;
                s.members.push_back(std::move(id));
            }
            for (member mb : source.members) {
                if (patch && mb.key != "id")
                    mb.required = false;
                mb.wrap = wrapper_for(true, mb.type.kind, mb.required, mb.nullable);
                s.members.push_back(std::move(mb));
            }
            m_.structs.push_back(std::move(s));
        }
        index_structs();
    }

    // --- enums ----------------------------------------------------------------------------------------

    struct enum_key {
        bool integer = false;
        std::vector<std::string> values;  ///< sorted
        auto operator<=>(const enum_key&) const = default;
    };
    struct candidate {
        std::string name;
        std::string schema;
        std::vector<std::string> values;  ///< schema order
    };
    struct enum_entry {
        std::vector<candidate> candidates;
    };

    static std::string key_text(const enum_key& key)
    {
        std::string text = key.integer ? "i" : "s";
        for (const std::string& v : key.values)
            text.append(1, '\x1f').append(v);
        return text;
    }

    /// Each value set's enum: named after its shortest candidate (ties: the first by name), in
    /// that candidate's value order, in that candidate's schema's namespace.
    void finish_enums()
    {
        std::map<std::string, std::size_t> index_of_key;
        for (const auto& [key, entry] : enums_) {
            const candidate& best = *std::ranges::min_element(entry.candidates, {}, [](const candidate& c) {
                return std::make_pair(c.name.size(), c.name);
            });
            enumeration e;
            e.name = best.name;
            e.ns = home_of(best.schema);
            e.integer = key.integer;
            std::set<std::string> used;
            for (const std::string& v : best.values) {
                if (std::ranges::find(e.values, v) != e.values.end())
                    continue;
                std::string name = identifier(v);
                for (int n = 2; used.contains(name); ++n)
                    name = identifier(v) + "_" + std::to_string(n);
                used.insert(name);
                e.values.push_back(v);
                e.enumerators.push_back(std::move(name));
            }
            index_of_key.emplace(key_text(key), m_.enums.size());
            m_.enums.push_back(std::move(e));
        }
        const std::function<void(cpp_type&)> rewrite = [&](cpp_type& t) {
            if (t.kind == type_kind::choice)
                t.target = std::to_string(index_of_key.at(t.target));
            for (cpp_type& item : t.item)
                rewrite(item);
        };
        for (structure& s : m_.structs)
            for (member& mb : s.members)
                rewrite(mb.type);
        for (endpoint& e : m_.endpoints) {
            for (trait& t : e.traits)
                if (t.type)
                    rewrite(*t.type);
            for (action& a : e.actions)
                for (trait& t : a.traits)
                    if (t.type)
                        rewrite(*t.type);
        }
    }

    // --- flags, placement, order -----------------------------------------------------------------------

    structure& struct_of(const std::string& schema)
    {
        const auto found = m_.struct_index.find(schema);
        if (found == m_.struct_index.end())
            throw std::runtime_error("no struct for schema " + schema);
        return m_.structs[found->second];
    }

    void mark_structs()
    {
        for (const page_alias& p : m_.pages)
            struct_of(p.item).paged = true;
        std::vector<structure*> pending;
        for (structure& s : m_.structs)
            if (s.request) {
                s.validated = true;
                pending.push_back(&s);
            }
        while (!pending.empty()) {
            structure* s = pending.back();
            pending.pop_back();
            for (const member& mb : s->members)
                for_each_target(mb.type, false, [&](const cpp_type& t, bool) {
                    if (t.kind != type_kind::object)
                        return;
                    structure& target = struct_of(t.target);
                    if (!target.validated) {
                        target.validated = true;
                        pending.push_back(&target);
                    }
                });
        }
    }

    std::string& unit_of(const cpp_type& t)
    {
        if (t.kind == type_kind::choice)
            return m_.enums.at(std::stoul(t.target)).unit;
        return struct_of(t.target).unit;
    }

    /// Everything starts in its home app's header; whatever a header other than its own refers to
    /// moves to common.hpp, until nothing moves.
    void place()
    {
        const auto home_unit = [](const std::string& ns) { return ns.empty() ? std::string(common_unit) : ns; };
        for (structure& s : m_.structs)
            s.unit = home_unit(s.ns);
        for (enumeration& e : m_.enums)
            e.unit = home_unit(e.ns);
        for (page_alias& p : m_.pages)
            p.unit = home_unit(p.ns);
        for (bool moved = true; moved;) {
            moved = false;
            const auto refer = [&](const std::string& from_unit, const cpp_type& type) {
                for_each_target(type, false, [&](const cpp_type& t, bool) {
                    std::string& to = t.kind == type_kind::page ? struct_of(t.target).unit : unit_of(t);
                    if (to != from_unit && to != common_unit) {
                        to = common_unit;
                        moved = true;
                    }
                });
            };
            for (structure& s : m_.structs)
                for (const member& mb : s.members)
                    refer(s.unit, mb.type);
            for (const page_alias& p : m_.pages)
                refer(p.unit, simple(type_kind::object, p.item));
            for (const endpoint& e : m_.endpoints) {
                for (const trait& t : e.traits)
                    if (t.type)
                        refer(e.app, *t.type);
                for (const action& a : e.actions)
                    for (const trait& t : a.traits)
                        if (t.type)
                            refer(e.app, *t.type);
            }
        }
    }

    /// Per unit, a topological order of the by-value dependencies, else by name. A dependency
    /// cycle through a std::vector member is cut there (vector allows an incomplete type); a
    /// cycle of by-value members cannot be written in C++ and is an error.
    void order_structs()
    {
        std::vector<std::size_t> order;
        std::vector<int> state(m_.structs.size(), 0);  // 0 new, 1 visiting, 2 done
        const std::function<void(std::size_t)> visit = [&](std::size_t i) {
            state[i] = 1;
            const structure& s = m_.structs[i];
            for (const member& mb : s.members)
                for_each_target(mb.type, false, [&](const cpp_type& t, bool in_vector) {
                    if (t.kind != type_kind::object)
                        return;
                    const std::size_t j = m_.struct_index.at(t.target);
                    if (m_.structs[j].unit != s.unit || state[j] == 2)
                        return;
                    if (state[j] == 1) {
                        if (!in_vector)
                            throw std::runtime_error(s.schema + " holds " + t.target + " by value in a cycle");
                        return;
                    }
                    visit(j);
                });
            state[i] = 2;
            order.push_back(i);
        };
        std::vector<std::size_t> by_name(m_.structs.size());
        for (std::size_t i = 0; i < by_name.size(); ++i)
            by_name[i] = i;
        std::ranges::sort(by_name, {}, [&](std::size_t i) { return std::tie(m_.structs[i].unit, m_.structs[i].name); });
        for (std::size_t i : by_name)
            if (state[i] == 0)
                visit(i);
        std::vector<structure> ordered;
        for (std::size_t i : order)
            ordered.push_back(std::move(m_.structs[i]));
        m_.structs = std::move(ordered);
        index_structs();
        std::ranges::sort(m_.pages, {}, &page_alias::name);
    }

    /// Every type name is unique in its namespace and none is a reserved one.
    void check_names() const
    {
        std::map<std::pair<std::string, std::string>, std::string> seen;  // (ns, name) → what
        const auto add = [&](const std::string& ns, const std::string& name, const std::string& what) {
            if (std::ranges::find(reserved_type_names, name) != std::end(reserved_type_names))
                throw std::runtime_error(what + " would be named " + name + ", which the generated code uses");
            auto [it, inserted] = seen.try_emplace({ns, name}, what);
            if (!inserted)
                throw std::runtime_error(what + " and " + it->second + " are both " +
                                         (ns.empty() ? "" : ns + "::") + name);
        };
        for (const structure& s : m_.structs)
            add(s.ns, s.name, "schema " + s.schema);
        for (const enumeration& e : m_.enums)
            add(e.ns, e.name, "enum " + e.name);
        for (const page_alias& p : m_.pages)
            add(p.ns, p.name, "schema " + p.schema);
        for (const params_struct& p : m_.params)
            add(p.app, p.name, "the params of " + p.operation_id);
        for (const endpoint& e : m_.endpoints) {
            add(e.app, e.name + "_endpoint", "endpoint " + e.app + "/" + e.resource);
            for (const action& a : e.actions)
                if (std::ranges::find(endpoint_member_names, a.name) != std::end(endpoint_member_names))
                    throw std::runtime_error(a.path + ": the action's struct would hide the traits member " + a.name);
        }
        for (const std::string& app : m_.apps)
            add("", app, "app " + app);
    }

    struct op_refs {
        std::string path, method, app;
        std::vector<std::string> refs;
    };

    const json::object& document_;
    const json::object& paths_;
    const json::object& schemas_;
    version_model m_;
    std::map<std::string, std::string> family_app_;
    std::map<std::string, std::string> home_;
    std::map<std::string, std::string> page_items_;  // Paginated*List → item schema
    std::vector<std::string> object_names_;
    std::map<std::pair<std::string, std::string>, endpoint> endpoints_;
    std::map<std::string, std::string> bulk_items_;  // "<item>#bulk" → app
    std::vector<op_refs> operation_refs_;
    std::map<enum_key, enum_entry> enums_;
    std::string candidate_schema_;  // the schema whose properties are being read
    std::string current_path_;
};

}  // namespace

version_model read_typed(const schema_file& schema, const api& api_model)
{
    if (!schema.document.is_object())
        throw std::runtime_error(schema.name + " is not an OpenAPI document");
    return typed_reader(schema, api_model).read();
}

}  // namespace netbox::codegen::typed
