#include "engine_detail.hpp"

#include "engine_ip.hpp"
#include "engine_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/string.hpp>

#include <algorithm>
#include <charconv>
#include <set>

namespace netbox::sim::detail {
namespace {

constexpr std::string_view insufficient = "Insufficient resources are available to satisfy the request";
constexpr int max_trace_segments = 32;
/// The most available IPs or ASNs one GET lists. NetBox has no such bound: under MAX_PAGE_SIZE = 0
/// it would try to list every free address of an IPv6 prefix; the simulator stops here instead.
constexpr std::size_t max_listed = 1u << 16;

/// A record and its table.
struct node {
    table* t = nullptr;
    record* r = nullptr;
    explicit operator bool() const noexcept { return r != nullptr; }
};

/// get_results_limit() of an available-* GET; 0 when there is none.
std::size_t available_limit(const detail_request& request)
{
    return results_limit(*request.query, request.default_page_size, request.max_page_size);
}

/// A stored integer, or `fallback` when it is none; clamped to [low, high].
std::int64_t stored_integer(const json::value& v, std::int64_t fallback, std::int64_t low, std::int64_t high)
{
    return std::clamp(v.is_int64() ? v.get_int64() : fallback, low, high);
}

/// The items a POST asks for: the body's list, or the body itself.
/// The objects one POST to an available-* endpoint creates: all of them, or none with a 400 that
/// lists each item's errors (a list for a list body).
class allocation {
public:
    allocation(writer& w, table& target) : write_(w), target_(target) {}

    /// Stages an object from the request item and the allocated values; null when it is invalid.
    record* stage(const json::value& item, const json::object& allocated) {
        json::object errors;
        auto r = write_.stage_create(target_, item, allocated, errors);
        errors_.emplace_back(std::move(errors));
        if (!r) {
            failed_ = true;
            return nullptr;
        }
        staged_.push_back(std::move(r));
        return staged_.back().get();
    }

    /// An item refused before staging.
    void reject(json::object errors) {
        errors_.emplace_back(std::move(errors));
        failed_ = true;
    }

    void finish(bool as_list, detail_answer& answer) {
        if (failed_) {
            answer = {400, "application/json", json_text(as_list ? json::value(errors_) : errors_.front()), 0};
            return;
        }
        const write_result result = write_.commit_created(target_, std::move(staged_), as_list);
        answer = {result.status, "application/json", result.body, result.objects};
    }

private:
    writer& write_;
    table& target_;
    std::vector<std::unique_ptr<record>> staged_;
    json::array errors_;
    bool failed_ = false;
};

std::vector<json::value> requested_items(const detail_request& request, bool& as_list)
{
    as_list = request.body->is_array();
    if (as_list)
        return {request.body->get_array().begin(), request.body->get_array().end()};
    return {*request.body};
}

std::string text(const table& t, const record& r, std::string_view field)
{
    return text_of(t.get(r, field));
}

// --- render-config and sync ----------------------------------------------------------------------

/// The config template of a device or virtual machine as NetBox picks it: its own, else its
/// role's, else its platform's.
record* config_template_of(store& s, table& t, const record& r)
{
    table* templates = s.find("extras.config-templates");
    if (templates == nullptr)
        return nullptr;
    const auto template_at = [&](const table& owner, const record& o) -> record* {
        const json::value& id = owner.get(o, "config_template");
        return id.is_int64() ? templates->find(id.get_int64()) : nullptr;
    };
    if (record* own = template_at(t, r))
        return own;
    for (const std::string_view via : {std::string_view("role"), std::string_view("platform")}) {
        const model::field* f = t.resource().find_field(via);
        table* related = f && f->kind == model::field_kind::foreign_key ? s.find(f->target) : nullptr;
        const json::value& id = t.get(r, via);
        if (const record* o = related && id.is_int64() ? related->find(id.get_int64()) : nullptr)
            if (record* found = template_at(*related, *o))
                return found;
    }
    return nullptr;
}

/// The template with each `{{ dotted.path }}` replaced from `context`: strings as they are, other
/// values as JSON, None for null and nothing for what the context lacks. No other Jinja.
std::string render_template(std::string_view code, const json::object& context)
{
    std::string out;
    std::size_t at = 0;
    while (at < code.size()) {
        const std::size_t open = code.find("{{", at);
        const std::size_t close = open == std::string_view::npos ? open : code.find("}}", open + 2);
        if (close == std::string_view::npos) {
            out.append(code.substr(at));
            break;
        }
        out.append(code.substr(at, open - at));
        std::string_view expr = code.substr(open + 2, close - open - 2);
        while (!expr.empty() && expr.front() == ' ')
            expr.remove_prefix(1);
        while (!expr.empty() && expr.back() == ' ')
            expr.remove_suffix(1);
        const json::value* v = nullptr;
        const json::object* scope = &context;
        for (std::size_t start = 0; scope != nullptr && start <= expr.size();) {
            const std::size_t dot = std::min(expr.find('.', start), expr.size());
            v = scope->if_contains(expr.substr(start, dot - start));
            scope = v && dot < expr.size() ? v->if_object() : nullptr;
            if (v == nullptr || dot == expr.size())
                break;
            if (scope == nullptr)
                v = nullptr;
            start = dot + 1;
        }
        if (v != nullptr)
            out += v->is_string() ? std::string(v->get_string()) : v->is_null() ? std::string("None") : json_text(*v);
        at = close + 2;
    }
    return out;
}

/// POST render-config/: `{"configtemplate": <nested>, "content": <text>}` (text/plain with
/// `?format=txt`); 400 `{"error": ...}` when the object has no config template.
void render_config(store& s, renderer& render, table& t, const record& r, const detail_request& request,
                   detail_answer& answer)
{
    const std::string object_type = t.object_type().substr(t.object_type().find('.') + 1);  // "device"
    record* config_template = config_template_of(s, t, r);
    if (config_template == nullptr) {
        answer = {400, "application/json",
                  json_text(json::object{{"error", "No config template found for this " + object_type + "."}}), 0};
        return;
    }
    // NetBox's context: the object's config context, the request's data, the object itself.
    std::string full;
    render.full(full, t, r);
    json::value object = json::parse(full);
    json::object context;
    if (const json::value* cc = object.get_object().if_contains("config_context"); cc && cc->is_object())
        context = cc->get_object();
    if (request.body != nullptr && request.body->is_object())
        for (const auto& [key, value] : request.body->get_object())
            context[key] = value;
    context[object_type] = std::move(object);
    table& templates = *s.find("extras.config-templates");
    const std::string content = render_template(text(templates, *config_template, "template_code"), context);
    if (const std::string* format = last_value(*request.query, "format"); format && *format == "txt") {
        answer = {200, "text/plain; charset=utf-8", content, 1};
        return;
    }
    answer.body = "{\"configtemplate\":";
    render.nested(answer.body, templates, *config_template);
    answer.body += ",\"content\":";
    append_string(answer.body, content);
    answer.body += '}';
    answer.objects = 1;
}

/// POST sync/: the object as it is; a data source is marked queued, as NetBox's enqueued sync job
/// does (the simulator runs no job, so it stays queued).
void sync(store& s, renderer& render, table& t, record& r, detail_answer& answer)
{
    if (t.key() == "core.data-sources") {
        t.set(r, "status", "queued");
        s.changed();
    }
    render.full(answer.body, t, r);
    answer.objects = 1;
}

}  // namespace

bool detail_endpoints::handle(table& t, const detail_request& request, detail_answer& answer)
{
    record* parent = t.find(request.id);
    if (parent == nullptr)
        return false;
    const std::string_view name = request.name;
    if (name == "available-ips")
        available_ips(t, *parent, request, answer);
    else if (name == "available-prefixes")
        available_prefixes(t, *parent, request, answer);
    else if (name == "available-vlans")
        available_vlans(t, *parent, request, answer);
    else if (name == "available-asns")
        available_asns(t, *parent, request, answer);
    else if (name == "elevation")
        elevation(t, *parent, request, answer);
    else if (name == "trace")
        trace(t, *parent, answer);
    else if (name == "paths")
        paths(t, *parent, answer);
    else if (name == "render-config")
        render_config(store_, render_, t, *parent, request, answer);
    else if (name == "sync")
        sync(store_, render_, t, *parent, answer);
    else
        return false;
    return true;
}

// --- available-* ------------------------------------------------------------------------------------

void detail_endpoints::available_ips(table& t, const record& parent, const detail_request& request,
                                     detail_answer& answer)
{
    table* addresses = store_.find("ipam.ip-addresses");
    const bool is_range = t.key() == "ipam.ip-ranges";
    const auto start = parse_network(text(t, parent, is_range ? "start_address" : "prefix"));
    const auto end = is_range ? parse_network(text(t, parent, "end_address")) : start;
    if (!addresses || !start || !end) {
        answer = {200, "application/json", "[]", 0};
        return;
    }
    const int family = start->family;
    ip_number first = is_range ? start->address : start->first();
    ip_number last = is_range ? end->address : start->last();
    const bool pool = t.get(parent, "is_pool").is_bool() && t.get(parent, "is_pool").get_bool();
    if (!is_range && !pool && family == 4 && start->length < 31) {
        ++first;
        --last;
    }
    const std::string vrf = text(t, parent, "vrf");
    std::set<ip_number> used;
    for (const auto& r : addresses->rows())
        if (const auto a = parse_network(text(*addresses, *r, "address"));
            a && a->family == family && a->address >= first && a->address <= last && text(*addresses, *r, "vrf") == vrf)
            used.insert(a->address);
    const int length = start->length;
    const auto next_free = [&](ip_number& cursor) {
        while (cursor <= last && used.contains(cursor))
            ++cursor;
        return cursor <= last && cursor >= first;
    };

    ip_number cursor = first;
    if (request.method == "GET") {
        const std::size_t wanted = available_limit(request);  // 0: every free address
        const std::size_t limit = wanted == 0 ? max_listed : std::min(wanted, max_listed);
        answer.body = "[";
        for (std::size_t n = 0; n < limit && next_free(cursor); ++n, ++cursor) {
            if (n > 0)
                answer.body += ',';
            answer.body += "{\"family\":" + std::to_string(family) + ",\"address\":";
            append_string(answer.body, format_network(family, cursor, length));
            answer.body += ",\"vrf\":";
            render_.brief_of(answer.body, *store_.find("ipam.vrfs"), t.get(parent, "vrf").is_int64() ? t.get(parent, "vrf").get_int64() : 0);
            answer.body += '}';
            ++answer.objects;
            if (cursor == last)
                break;
        }
        answer.body += ']';
        return;
    }
    bool as_list = false;
    allocation created(write_, *addresses);
    for (const json::value& item : requested_items(request, as_list)) {
        if (!next_free(cursor)) {
            answer = {409, "application/json", detail_body(insufficient), 0};
            return;
        }
        json::object allocated{{"address", format_network(family, cursor, length)},
                               {"vrf", t.get(parent, "vrf")},
                               {"family", family},
                               {"status", "active"}};
        if (record* r = created.stage(item, allocated))
            addresses->set(*r, "family", family);
        used.insert(cursor);
    }
    created.finish(as_list, answer);
}

void detail_endpoints::available_prefixes(table& t, const record& parent, const detail_request& request,
                                          detail_answer& answer)
{
    const auto network = parse_network(text(t, parent, "prefix"));
    if (!network) {
        answer = {200, "application/json", "[]", 0};
        return;
    }
    const std::string vrf = text(t, parent, "vrf");
    std::vector<ip_network> children;
    for (const auto& r : t.rows())
        if (const auto child = parse_network(text(t, *r, "prefix"));
            r->id != parent.id && child && child->family == network->family && child->length > network->length &&
            child->first() >= network->first() && child->last() <= network->last() && text(t, *r, "vrf") == vrf)
            children.push_back(*child);
    std::ranges::sort(children, {}, &ip_network::first);
    const auto free_blocks = [&] {
        std::vector<ip_network> blocks;
        ip_number cursor = network->first();
        bool done = false;
        for (const ip_network& child : children) {
            if (child.first() > cursor)
                for (const ip_network& b : blocks_between(network->family, cursor, child.first() - 1))
                    blocks.push_back(b);
            if (child.last() >= network->last()) {
                done = true;
                break;
            }
            cursor = std::max(cursor, child.last() + 1);
        }
        if (!done && cursor <= network->last())
            for (const ip_network& b : blocks_between(network->family, cursor, network->last()))
                blocks.push_back(b);
        return blocks;
    };
    if (request.method == "GET") {
        answer.body = "[";
        for (const ip_network& b : free_blocks()) {
            if (answer.objects++ > 0)
                answer.body += ',';
            answer.body += "{\"family\":" + std::to_string(b.family) + ",\"prefix\":";
            append_string(answer.body, format_network(b.family, b.address, b.length));
            answer.body += ",\"vrf\":";
            render_.brief_of(answer.body, *store_.find("ipam.vrfs"), t.get(parent, "vrf").is_int64() ? t.get(parent, "vrf").get_int64() : 0);
            answer.body += '}';
        }
        answer.body += ']';
        return;
    }
    bool as_list = false;
    allocation created(write_, t);
    for (const json::value& item : requested_items(request, as_list)) {
        const json::value* length_value = item.is_object() ? item.get_object().if_contains("prefix_length") : nullptr;
        if (length_value == nullptr || !length_value->is_int64()) {
            created.reject({{"prefix_length", json::array{"This field is required."}}});
            continue;
        }
        const int length = static_cast<int>(length_value->get_int64());
        std::optional<ip_network> chosen;
        for (const ip_network& b : free_blocks())
            if (b.length <= length && length <= network->bits()) {
                chosen = ip_network{b.family, b.address, length};
                break;
            }
        if (!chosen) {
            answer = {409, "application/json", detail_body(insufficient), 0};
            return;
        }
        children.push_back(*chosen);
        std::ranges::sort(children, {}, &ip_network::first);
        json::object allocated{{"prefix", format_network(chosen->family, chosen->address, chosen->length)},
                               {"vrf", t.get(parent, "vrf")},
                               {"status", "active"}};
        if (record* r = created.stage(item, allocated))
            t.set(*r, "family", chosen->family);
    }
    created.finish(as_list, answer);
}

void detail_endpoints::available_vlans(table& t, const record& parent, const detail_request& request,
                                       detail_answer& answer)
{
    table* vlans = store_.find("ipam.vlans");
    // Writes keep vid_ranges to pairs within 1-4094; whatever is stored is read within them too.
    std::vector<std::pair<std::int64_t, std::int64_t>> ranges;
    if (const json::value& v = t.get(parent, "vid_ranges"); v.is_array())
        for (const json::value& range : v.get_array())
            if (const json::array* pair = range.if_array();
                pair && pair->size() == 2 && (*pair)[0].is_int64() && (*pair)[1].is_int64())
                ranges.emplace_back(std::max((*pair)[0].get_int64(), vlan_vid_min),
                                    std::min((*pair)[1].get_int64(), vlan_vid_max));
    if (ranges.empty())
        ranges.emplace_back(stored_integer(t.get(parent, "min_vid"), vlan_vid_min, vlan_vid_min, vlan_vid_max),
                            stored_integer(t.get(parent, "max_vid"), vlan_vid_max, vlan_vid_min, vlan_vid_max));
    std::set<std::int64_t> used;
    for (const auto& r : vlans->rows())
        if (const json::value& group = vlans->get(*r, "group"); group.is_int64() && group.get_int64() == parent.id)
            if (const json::value& vid = vlans->get(*r, "vid"); vid.is_int64())
                used.insert(vid.get_int64());
    std::set<std::int64_t> unused;  // ordered and once each, should stored ranges overlap
    for (const auto& [low, high] : ranges)
        for (std::int64_t vid = low; vid <= high; ++vid)
            if (!used.contains(vid))
                unused.insert(vid);
    const std::vector<std::int64_t> free(unused.begin(), unused.end());

    if (request.method == "GET") {
        const std::size_t limit = available_limit(request);  // sliced [:limit], as NetBox does, even for 0
        answer.body = "[";
        for (std::size_t i = 0; i < free.size() && i < limit; ++i) {
            if (i > 0)
                answer.body += ',';
            answer.body += "{\"vid\":" + std::to_string(free[i]) + ",\"group\":";
            render_.nested(answer.body, t, parent);
            answer.body += '}';
            ++answer.objects;
        }
        answer.body += ']';
        return;
    }
    bool as_list = false;
    const auto items = requested_items(request, as_list);
    if (items.size() > free.size()) {
        answer = {409, "application/json", detail_body(insufficient), 0};
        return;
    }
    allocation created(write_, *vlans);
    for (std::size_t i = 0; i < items.size(); ++i)
        created.stage(items[i], {{"vid", free[i]}, {"group", parent.id}, {"status", "active"}});
    created.finish(as_list, answer);
}

void detail_endpoints::available_asns(table& t, const record& parent, const detail_request& request,
                                      detail_answer& answer)
{
    table* asns = store_.find("ipam.asns");
    const json::value& low = t.get(parent, "start");
    const json::value& high = t.get(parent, "end");
    const json::value& rir = t.get(parent, "rir");
    std::set<std::int64_t> used;
    for (const auto& r : asns->rows())
        if (const json::value& asn = asns->get(*r, "asn"); asn.is_int64())
            used.insert(asn.get_int64());
    // A GET lists up to its limit (sliced [:limit], as NetBox does, even for 0); a POST needs one
    // free ASN per item.
    bool as_list = false;
    const auto items = request.method == "GET" ? std::vector<json::value>() : requested_items(request, as_list);
    const std::size_t wanted = request.method == "GET" ? std::min(available_limit(request), max_listed) : items.size();
    std::vector<std::int64_t> free;
    if (low.is_int64() && high.is_int64())
        for (std::int64_t asn = std::max(low.get_int64(), asn_min), end = std::min(high.get_int64(), asn_max);
             asn <= end && free.size() < wanted; ++asn)
            if (!used.contains(asn))
                free.push_back(asn);

    if (request.method == "GET") {
        answer.body = "[";
        for (std::size_t i = 0; i < free.size(); ++i) {
            if (i > 0)
                answer.body += ',';
            answer.body += "{\"rir\":";
            render_.brief_of(answer.body, *store_.find("ipam.rirs"), rir.is_int64() ? rir.get_int64() : 0);
            answer.body += ",\"asn\":" + std::to_string(free[i]) + "}";
            ++answer.objects;
        }
        answer.body += ']';
        return;
    }
    if (items.size() > free.size()) {
        answer = {409, "application/json", detail_body(insufficient), 0};
        return;
    }
    allocation created(write_, *asns);
    for (std::size_t i = 0; i < items.size(); ++i)
        created.stage(items[i], {{"asn", free[i]}, {"rir", rir}});
    created.finish(as_list, answer);
}

// --- racks ------------------------------------------------------------------------------------------

void detail_endpoints::elevation(table& t, const record& rack, const detail_request& request, detail_answer& answer)
{
    table* devices = store_.find("dcim.devices");
    table* device_types = store_.find("dcim.device-types");
    const std::string* face_text = last_value(*request.query, "face");
    const std::string face = face_text && *face_text == "rear" ? "rear" : "front";
    // Writes keep both within NetBox's bounds; the loop below relies on reading them so.
    const std::int64_t height = stored_integer(t.get(rack, "u_height"), 42, 0, rack_units_max);
    const std::int64_t start = stored_integer(t.get(rack, "starting_unit"), 1, starting_unit_min, starting_unit_max);

    struct unit {
        double id;
        const record* device = nullptr;
    };
    std::vector<unit> units;
    for (std::int64_t u = start + height - 1; u >= start; --u) {
        units.push_back({static_cast<double>(u) + 0.5});
        units.push_back({static_cast<double>(u)});
    }
    for (const auto& d : devices->rows()) {
        const json::value& in_rack = devices->get(*d, "rack");
        const json::value& position = devices->get(*d, "position");
        const std::string device_face = text(*devices, *d, "face");
        if (!in_rack.is_int64() || in_rack.get_int64() != rack.id || !position.is_number() ||
            (!device_face.empty() && device_face != face))
            continue;
        double size = 1;
        const json::value& type = devices->get(*d, "device_type");
        if (const record* dt = type.is_int64() ? device_types->find(type.get_int64()) : nullptr)
            if (const json::value& u = device_types->get(*dt, "u_height"); u.is_number())
                size = u.to_number<double>();
        const double bottom = position.to_number<double>();
        for (unit& u : units)
            if (u.id >= bottom && u.id < bottom + std::max(size, 0.5))
                u.device = d.get();
    }

    const auto unit_name = [](double id) {
        std::string name = "U";
        append_number(name, id);
        if (name.ends_with(".0"))
            name.resize(name.size() - 2);
        return name;
    };
    if (const std::string* render = last_value(*request.query, "render"); render && *render == "svg") {
        constexpr int unit_height = 11;
        constexpr int width = 230;
        const int total = static_cast<int>(units.size()) * unit_height;
        std::string& svg = answer.body;
        svg = "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
              std::to_string(width + 40) + "\" height=\"" + std::to_string(total + 40) + "\">\n";
        svg += "<rect x=\"30\" y=\"20\" width=\"" + std::to_string(width) + "\" height=\"" + std::to_string(total) +
               "\" fill=\"#f7f7f7\" stroke=\"#000\"/>\n";
        for (std::size_t i = 0; i < units.size(); ++i) {
            const int y = 20 + static_cast<int>(i) * unit_height;
            if (units[i].id == static_cast<double>(static_cast<std::int64_t>(units[i].id)))
                svg += "<text x=\"5\" y=\"" + std::to_string(y + unit_height) + "\" font-size=\"9\">" +
                       unit_name(units[i].id).substr(1) + "</text>\n";
            if (units[i].device != nullptr)
                svg += "<rect x=\"30\" y=\"" + std::to_string(y) + "\" width=\"" + std::to_string(width) + "\" height=\"" +
                       std::to_string(unit_height) + "\" fill=\"#9e9e9e\"><title>" +
                       text(*devices, *units[i].device, "display") + "</title></rect>\n";
        }
        svg += "</svg>\n";
        answer.content_type = "image/svg+xml";
        answer.objects = units.size();
        return;
    }

    // nullopt: no limit (MAX_PAGE_SIZE = 0 and limit=0), and so no links.
    const std::optional<std::size_t> limit = page_size(*request.query, request.default_page_size, request.max_page_size);
    std::size_t offset = 0;
    if (const std::string* o = last_value(*request.query, "offset"))
        std::from_chars(o->data(), o->data() + o->size(), offset);
    const std::size_t first = std::min(offset, units.size());
    const std::size_t last = !limit || units.size() - first <= *limit ? units.size() : first + *limit;
    const std::string limit_text = limit ? std::to_string(*limit) : std::string();
    std::string& body = answer.body;
    body = "{\"count\":" + std::to_string(units.size()) + ",\"next\":";
    if (limit && last < units.size())
        append_string(body, page_link(request.url, *request.query, {{"limit", limit_text}, {"offset", std::to_string(last)}}));
    else
        body += "null";
    body += ",\"previous\":";
    if (limit && first > 0)
        append_string(body, page_link(request.url, *request.query,
                                      {{"limit", limit_text}, {"offset", first > *limit ? std::to_string(first - *limit) : ""}}));
    else
        body += "null";
    body += ",\"results\":[";
    for (std::size_t i = first; i < last; ++i) {
        if (i > first)
            body += ',';
        body += "{\"id\":";
        append_number(body, units[i].id);
        body += ",\"name\":";
        append_string(body, unit_name(units[i].id));
        body += ",\"face\":{\"value\":\"" + face + "\",\"label\":\"" + (face == "front" ? "Front" : "Rear") + "\"}";
        body += ",\"device\":";
        if (units[i].device != nullptr)
            render_.nested(body, *devices, *units[i].device);
        else
            body += "null";
        body += units[i].device != nullptr ? ",\"occupied\":true" : ",\"occupied\":false";
        body += ",\"display\":";
        append_string(body, unit_name(units[i].id));
        body += '}';
    }
    body += "]}";
    answer.objects = last - first;
}

// --- cables -----------------------------------------------------------------------------------------

namespace {

/// The records at the other end of `n`'s cable.
std::vector<node> far_ends(store& s, const node& n, record*& cable_record)
{
    std::vector<node> ends;
    cable_record = nullptr;
    table* cables = s.find("dcim.cables");
    const json::value& cable = n.t->get(*n.r, "cable");
    if (cables == nullptr || !cable.is_int64())
        return ends;
    cable_record = cables->find(cable.get_int64());
    if (cable_record == nullptr)
        return ends;
    const bool near_is_a = text_of(n.t->get(*n.r, "cable_end")) == "A";
    const json::value& far = cables->get(*cable_record, near_is_a ? "b_terminations" : "a_terminations");
    if (!far.is_array())
        return ends;
    for (const json::value& termination : far.get_array()) {
        const json::object* o = termination.if_object();
        const json::value* type = o ? o->if_contains("object_type") : nullptr;
        const json::value* id = o ? o->if_contains("object_id") : nullptr;
        table* t = type && type->is_string() ? s.find_object_type(type->get_string()) : nullptr;
        if (record* r = t && id && id->is_int64() ? t->find(id->get_int64()) : nullptr)
            ends.push_back({t, r});
    }
    return ends;
}

/// The port on the other side of a pass-through port (front → rear, rear → front), if any.
node peer_port(store& s, const node& n)
{
    table* fronts = s.find("dcim.front-ports");
    table* rears = s.find("dcim.rear-ports");
    if (fronts == nullptr || rears == nullptr)
        return {};
    if (n.t == fronts) {
        json::value rear = fronts->get(*n.r, "rear_port");
        if (const json::value& list = fronts->get(*n.r, "rear_ports"); !rear.is_int64() && list.is_array() && !list.get_array().empty())
            if (const json::object* o = list.get_array().front().if_object(); o && o->contains("rear_port"))
                rear = o->at("rear_port");
        return {rears, rear.is_int64() ? rears->find(rear.get_int64()) : nullptr};
    }
    if (n.t == rears)
        for (const auto& f : fronts->rows()) {
            node candidate{fronts, f.get()};
            if (node back = peer_port(s, candidate); back.r == n.r)
                return candidate;
        }
    return {};
}

}  // namespace

void detail_endpoints::trace(table& t, const record& origin, detail_answer& answer)
{
    std::string& body = answer.body;
    body = "[";
    node current{&t, const_cast<record*>(&origin)};
    for (int segment = 0; segment < max_trace_segments && current; ++segment) {
        record* cable = nullptr;
        const std::vector<node> far = far_ends(store_, current, cable);
        if (cable == nullptr)
            break;
        if (segment > 0)
            body += ',';
        body += "[[";
        render_.nested(body, *current.t, *current.r);
        body += "],";
        render_.nested(body, *store_.find("dcim.cables"), *cable);
        body += ",[";
        for (std::size_t i = 0; i < far.size(); ++i) {
            if (i > 0)
                body += ',';
            render_.nested(body, *far[i].t, *far[i].r);
        }
        body += "]]";
        ++answer.objects;
        current = far.empty() ? node{} : peer_port(store_, far.front());
    }
    body += ']';
}

void detail_endpoints::paths(table& t, const record& port, detail_answer& answer)
{
    // Walk away from the port over cables and pass-throughs to an endpoint, on either side.
    const auto endpoint_from = [&](node n) -> node {
        for (int step = 0; step < max_trace_segments && n; ++step) {
            record* cable = nullptr;
            const std::vector<node> far = far_ends(store_, n, cable);
            if (far.empty())
                return {};
            const node next = peer_port(store_, far.front());
            if (!next)
                return far.front();
            n = next;
        }
        return {};
    };
    const node self{&t, const_cast<record*>(&port)};
    node origin = endpoint_from(self);
    if (!origin)
        origin = endpoint_from(peer_port(store_, self));
    if (!origin) {
        answer.body = "[]";
        return;
    }
    detail_answer segments;
    trace(*origin.t, *origin.r, segments);
    const json::value parsed = json::parse(segments.body);
    json::array path;
    for (const json::value& segment : parsed.get_array())
        for (const json::value& part : segment.get_array())
            path.push_back(part.is_array() ? part : json::array{part});
    const json::value destination = parsed.get_array().empty() ? json::value()
                                                                : parsed.get_array().back().get_array()[2];
    json::object cable_path{{"id", 1},
                            {"path", std::move(path)},
                            {"is_active", true},
                            {"is_complete", destination.is_array() && !destination.get_array().empty()},
                            {"is_split", false}};
    answer.body = "[";
    append_value(answer.body, cable_path);
    answer.body += ']';
    answer.objects = 1;
}

}  // namespace netbox::sim::detail
