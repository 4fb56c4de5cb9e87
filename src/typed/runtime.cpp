// The compiled part of the typed client (include/netbox/typed/runtime.hpp).
#include <netbox/typed/runtime.hpp>
#include <netbox/typed/endpoint.hpp>

#include <netbox/dynamic/api.hpp>

#include "dynamic/state.hpp"

#include <boost/json/value.hpp>

#include <charconv>
#include <mutex>

namespace netbox {
namespace typed_detail {
namespace asio = boost::asio;
namespace json = boost::json;

struct state {
    state(client c, typed_options o, std::string line)
        : http(std::move(c)), options(std::move(o)), release_line(std::move(line)), scans(http, scan_options(options, release_line)) {}

    static api_options scan_options(const typed_options& o, const std::string& line) {
        api_options a = o.scans;
        a.version = line;
        return a;
    }

    client http;
    typed_options options;
    std::string release_line;
    api scans;  // the dynamic facade over the same client: its pagination serves typed streams

    // First contact: the server's release line, once it is known to match (or the mismatch).
    mutable std::mutex mutex;
    mutable bool version_checked = false;
    mutable std::optional<error> version_error;
};

state_ptr make_state(client c, typed_options options, std::string_view release_line) {
    return std::make_shared<const state>(std::move(c), std::move(options), std::string(release_line));
}

const client& client_of(const state& s) noexcept { return s.http; }
const typed_options& options_of(const state& s) noexcept { return s.options; }

namespace {

std::string operation_name(http_method m, std::string_view path) {
    std::string out(to_string(m));
    out += ' ';
    out += path;
    return out;
}

/// "4.5" of "4.5", "4.5.10" or "4.5.10-Docker-3.2"; empty when it is none.
std::string major_minor(std::string_view v) {
    const auto line = detail::release_line(v);
    return line ? std::to_string(line->first) + "." + std::to_string(line->second) : std::string();
}

/// The server's release line against ours, once per state (errors of the probe itself are not
/// remembered: the next call probes again).
asio::awaitable<result<void>> check_version(const state& s) {
    if (s.options.on_version_mismatch == version_policy::ignore) co_return result<void>();
    {
        std::lock_guard lock(s.mutex);
        if (s.version_checked) {
            if (s.version_error) co_return *s.version_error;
            co_return result<void>();
        }
    }
    auto server = co_await s.http.try_version();
    if (!server) co_return server.error();
    const std::string line = major_minor(*server);
    std::optional<error> mismatch;
    if (line != s.release_line) {
        error e = make_error(errc::version_mismatch, "the server runs NetBox " + *server + ", the typed client is for " +
                                                         s.release_line + " (typed_options::on_version_mismatch)");
        e.url = s.http.base_url();
        if (s.options.on_version_mismatch == version_policy::error) mismatch = e;
        else if (s.options.observer) {
            typed_event ev;
            ev.what = typed_event::kind::version_mismatch;
            ev.message = e.message;
            s.options.observer(ev);
        }
    }
    std::lock_guard lock(s.mutex);
    s.version_checked = true;
    s.version_error = mismatch;
    if (mismatch) co_return *mismatch;
    co_return result<void>();
}

error validation_error(const call& c, const codec::validator& v) {
    std::string message = "the request breaks the schema's rules, so it was not sent:";
    error e = make_error(errc::validation_failed, "");
    for (const auto& x : v.violations()) {
        message += ' ';
        message += x.path.empty() ? "/" : x.path;
        message += ' ';
        message += x.what;
        message += ';';
        field_error fe;
        fe.field = x.path;
        fe.messages.push_back(x.what);
        e.field_errors.push_back(std::move(fe));
    }
    message.pop_back();
    e.message = std::move(message);
    e.method = std::string(to_string(c.method));
    e.url = c.path;
    return e;
}

void report_notes(const state& s, const std::string& operation, codec::decoder& d) {
    if (!s.options.observer || d.notes().empty()) return;
    for (auto& note : d.take_notes()) {
        typed_event ev;
        ev.what = typed_event::kind::tolerated_defect;
        ev.operation = operation;
        ev.path = std::move(note.path);
        ev.message = std::move(note.what);
        s.options.observer(ev);
    }
}

std::string misfit(std::string_view what, const codec::decode_error& e) {
    return std::string(what) + " does not fit the schema at " + (e.path().empty() ? std::string("/") : e.path()) + ": " +
           e.reason();
}

}  // namespace

asio::awaitable<result<bool>> run(state_ptr s, call c, decode_fn decode) {
    if (auto ok = co_await check_version(*s); !ok) co_return ok.error();
    if (s->options.validate_requests && c.validate) {
        codec::validator v;
        c.validate(v);
        if (!v.ok()) co_return validation_error(c, v);
    }
    payload body;
    if (c.body) {
        json::value b;
        c.body(b);
        body = std::move(b);
    }
    auto r = co_await s->http.try_request(c.method, c.path, std::move(c.query), std::move(body), request_options());
    if (!r) co_return r.error();
    if (r->status == 404 && c.empty_on_404) co_return false;
    if (auto ok = r->check_status(); !ok) co_return ok.error();
    if (c.text) {
        *c.text = std::move(r->body);
        co_return true;
    }
    if (!decode) co_return true;
    auto v = r->try_json();
    if (!v) co_return v.error();
    codec::decoder d(s->options.decoding);
    try {
        decode(*v, d);
    } catch (const codec::decode_error& e) {
        co_return r->to_error(errc::content_error, misfit("the answer", e));
    }
    report_notes(*s, operation_name(c.method, c.path), d);
    co_return true;
}

namespace {

std::string fill(std::string_view pattern, std::string_view value) {
    std::string out(pattern);
    for (std::string_view placeholder : {std::string_view("{id}"), std::string_view("{name}")}) {
        if (auto at = out.find(placeholder); at != std::string::npos) {
            out.replace(at, placeholder.size(), value);
            break;
        }
    }
    return out;
}

}  // namespace

std::string fill_path(std::string_view pattern, std::int64_t id) { return fill(pattern, std::to_string(id)); }
std::string fill_path(std::string_view pattern, std::string_view id) {
    // The client percent-encodes the path once (build_target). Only '/' must not reach it as is:
    // it would move the request to another path. "%2F" stays inside its segment (sent as %252F), so
    // such an id names no object instead of another one.
    std::string text;
    for (char ch : id) {
        if (ch == '/') text += "%2F";
        else text += ch;
    }
    return fill(pattern, text);
}

record_set scan(const state& s, std::string_view app, std::string_view name, const query_params& query,
                list_options options) {
    filters f;
    auto join_into = [](std::vector<std::string>& out, const std::string& v) {
        std::size_t start = 0;
        for (std::size_t comma; (comma = v.find(',', start)) != std::string::npos; start = comma + 1)
            out.push_back(v.substr(start, comma - start));
        out.push_back(v.substr(start));
    };
    for (const auto& [k, v] : query) {
        if (k == "brief") options.brief = v == "true";
        else if (k == "fields") join_into(options.fields, v);
        else if (k == "omit") join_into(options.omit, v);
        else if (k == "exclude") join_into(options.exclude, v);
        else if (k == "ordering") options.ordering = v;
        else if (k == "limit") options.limit = static_cast<std::size_t>(std::stoull(v));
        else if (k == "offset") options.offset = static_cast<std::size_t>(std::stoull(v));
        else if (!f.empty() && f.back().name == k) f.back().values.push_back(v);
        else f.emplace_back(k, std::vector<std::string>{v});
    }
    return s.scans.app(app).endpoint(name).filter(std::move(f), std::move(options));
}

result<void> decode_record(const state& s, const record& r, const decode_fn& decode) {
    codec::decoder d(s.options.decoding);
    try {
        // A view of the record's page, as a value for the decoder (an object is not a value).
        const json::value view(json::object(r.fetched(), json::storage_ptr()), json::storage_ptr());
        decode(view, d);
    } catch (const codec::decode_error& e) {
        error err = make_error(errc::content_error, misfit("a record", e));
        err.url = std::string(r.url());
        return err;
    }
    report_notes(s, "GET " + std::string(r.url()), d);
    return {};
}

result<std::string> release_line_of(std::string_view version, std::span<const std::string_view> supported) {
    const std::string line = major_minor(version);
    for (auto v : supported)
        if (!line.empty() && v == line) return line;
    std::string list;
    for (auto v : supported) list += (list.empty() ? "" : ", ") + std::string(v);
    return make_error(errc::unsupported, "NetBox '" + std::string(version) + "' is not a release line this build supports (" +
                                             list + ")");
}

}  // namespace typed_detail

namespace typed::impl {
namespace json = boost::json;

void decode_page_header(const json::object& o, std::int64_t& count, std::optional<std::string>& next,
                        std::optional<std::string>& previous, codec::decoder& d) {
    const auto* c = o.if_contains("count");
    if (!c || !c->is_int64()) d.fail("a page needs an integer count", "count");
    count = c->get_int64();
    auto text = [&](std::string_view key, std::optional<std::string>& out) {
        const auto* v = o.if_contains(key);
        if (!v || v->is_null()) out.reset();
        else if (const auto* str = v->if_string()) out = std::string(*str);
        else d.fail("expected a URL or null", key);
    };
    text("next", next);
    text("previous", previous);
}

boost::asio::awaitable<result<void>> send_delete(typed_detail::state_ptr s, std::string path, json::value body) {
    typed_detail::call c;
    c.method = http_method::delete_;
    c.path = std::move(path);
    if (!body.is_null()) c.body = [&body](json::value& v) { v = body; };
    auto r = co_await typed_detail::run(std::move(s), std::move(c), typed_detail::decode_fn());
    if (!r) co_return r.error();
    co_return result<void>();
}

boost::asio::awaitable<void> or_throw(boost::asio::awaitable<result<void>> op) {
    result<void> r = co_await std::move(op);
    r.value();
}

}  // namespace typed::impl
}  // namespace netbox
