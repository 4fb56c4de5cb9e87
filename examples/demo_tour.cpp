#include "demo_tour.hpp"

#include "target.hpp"  // what the built-in simulator serves, for the known_data checks

#include <netbox/client.hpp>
#include <netbox/error.hpp>

#include <boost/asio/this_coro.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netbox_demo {
namespace {

namespace nb = netbox;
namespace json = boost::json;
using boost::asio::awaitable;
using nb::http_method;

// The list endpoints the tour uses. (Named, because GCC 12 cannot take a string literal or a
// braced list as an argument inside a co_await expression.)
namespace paths {
constexpr const char* sites = "/api/dcim/sites/";
constexpr const char* devices = "/api/dcim/devices/";
constexpr const char* racks = "/api/dcim/racks/";
constexpr const char* tags = "/api/extras/tags/";
constexpr const char* prefixes = "/api/ipam/prefixes/";
constexpr const char* ip_addresses = "/api/ipam/ip-addresses/";
}  // namespace paths

/// Stops the tour (the cleanup still runs) when a step did not do what it must.
void require(bool ok, const std::string& what) {
    if (!ok) throw tour_failure(what);
}

std::string detail_path(std::string_view list_path, std::int64_t id) {
    return std::string(list_path) + std::to_string(id) + "/";
}

std::int64_t id_of(const json::object& object) { return object.at("id").to_number<std::int64_t>(); }

/// A field as text: a string as it is, the value of a choice field ({"value", "label"}), other
/// values as JSON; "" when absent or null.
std::string text(const json::object& object, std::string_view key) {
    const json::value* field = object.if_contains(key);
    if (field && field->is_object()) field = field->as_object().if_contains("value");
    if (!field || field->is_null()) return "";
    if (const json::string* s = field->if_string()) return std::string(*s);
    return json::serialize(*field);
}

std::string milliseconds_text(std::chrono::microseconds elapsed) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(1) << static_cast<double>(elapsed.count()) / 1000.0 << " ms";
    return text.str();
}

/// "netbox-cpp-demo-" and six random hex digits: the name of everything one run creates, so that
/// it never touches objects it did not create.
std::string unique_prefix() {
    std::random_device random;
    std::ostringstream name;
    name << "netbox-cpp-demo-" << std::hex << std::setw(6) << std::setfill('0') << (random() & 0xffffffu);
    return name.str();
}

/// A `next` link as a path and query for request(). NetBox builds these links from the incoming
/// request, so behind a proxy the scheme or host may be wrong: only path and query are kept, and
/// the base URL's path prefix (".../netbox") is removed because the client adds it again.
std::optional<std::pair<std::string, nb::query_params>> rebase_link(std::string_view link,
                                                                    std::string_view base_url) {
    auto url = boost::urls::parse_uri_reference(link);
    auto base = boost::urls::parse_uri(base_url);
    if (!url || !base) return std::nullopt;
    std::string path = url->path();
    std::string prefix = base->path();
    if (!prefix.empty() && path.rfind(prefix, 0) == 0) path.erase(0, prefix.size());
    nb::query_params query;
    for (auto param : url->params()) query.emplace_back(param.key, param.value);
    return std::make_pair(std::move(path), std::move(query));
}

/// The observer of the tour's clients: one line per call, with its status and time.
nb::event_observer trace_to(std::ostream& out) {
    return [&out](const nb::request_event& ev) {
        if (ev.what != nb::request_event::kind::request) return;
        out << "    " << nb::to_string(ev.method) << " " << ev.path << " -> ";
        if (ev.error)
            out << ev.error.message();
        else
            out << ev.status;
        out << " (" << milliseconds_text(ev.latency) << ")\n";
    };
}

class tour {
public:
    tour(nb::client_options options, tour_settings settings, boost::asio::any_io_executor executor)
        : options_(std::move(options)),
          settings_(std::move(settings)),
          out_(*settings_.out),
          client_(std::move(executor), options_) {}

    /// Every step, then the deletion of whatever is left of what the steps created.
    awaitable<void> run() {
        out_ << "Objects created by this run are named " << prefix_ << "*; all of them are deleted again.\n";
        std::exception_ptr failure;
        try {
            co_await status_and_version();
            co_await filtered_list();
            co_await create_patch_delete();
            co_await bulk_create_and_delete();
            co_await paging();
            co_await available_ip();
            co_await rack_elevation();
            co_await graphql();
            co_await error_model();
        } catch (...) {
            failure = std::current_exception();  // co_await is not allowed in a handler
        }
        // Whether the steps succeeded or not: leave the server as it was found.
        const bool clean = co_await delete_leftovers();
        if (failure) std::rethrow_exception(failure);
        require(clean, "some objects the tour created could not be deleted (see above)");
    }

private:
    struct created_object {
        std::string path;  ///< detail path
        std::string what;  ///< "site netbox-cpp-demo-1a2b3c"
    };

    void section(std::string_view title) { out_ << "\n== " << ++section_ << ". " << title << "\n"; }
    void skip(std::string_view why) { out_ << "  skipped: " << why << "\n"; }

    awaitable<nb::response> get(std::string path, nb::query_params query = {}) const {
        co_return co_await client_.request(http_method::get, std::move(path), std::move(query));
    }
    awaitable<nb::response> send(http_method method, std::string path, json::value body) const {
        co_return co_await client_.request(method, std::move(path), {}, std::move(body));
    }

    /// The first object of a list, or nullopt when the list is empty.
    awaitable<std::optional<json::object>> first_object(std::string path, nb::query_params filters = {}) const {
        filters.emplace_back("limit", "1");
        nb::response page = co_await get(std::move(path), std::move(filters));
        page.raise_for_status();
        json::value body = page.json();
        const json::array& results = body.at("results").as_array();
        if (results.empty()) co_return std::nullopt;
        co_return results.front().as_object();
    }

    /// Records an object the server just created, for delete_leftovers().
    void created(std::string path, std::string what) { created_.push_back({std::move(path), std::move(what)}); }
    /// The tour deleted this object itself.
    void deleted(const std::string& path) {
        std::erase_if(created_, [&](const created_object& object) { return object.path == path; });
    }

    /// Objects whose create answer was lost (the connection dropped after the server committed)
    /// are not in created_: find them by this run's unique prefix and add them.
    awaitable<void> find_untracked() {
        const std::vector<std::pair<std::string, nb::query_params>> searches{
            {paths::sites, {{"name__isw", prefix_}, {"limit", "0"}}},
            {paths::tags, {{"name__isw", prefix_}, {"limit", "0"}}},
            {paths::ip_addresses, {{"description", prefix_}, {"limit", "0"}}}};
        for (const auto& [path, filters] : searches) {
            nb::result<nb::response> page = co_await client_.try_request(http_method::get, path, filters);
            if (!page || !page->ok()) continue;  // the tracked deletions below still run
            const json::value body = page->json();
            for (const json::value& object : body.at("results").as_array()) {
                std::string detail = detail_path(path, id_of(object.as_object()));
                if (std::ranges::none_of(created_, [&](const created_object& c) { return c.path == detail; }))
                    created(std::move(detail), "untracked " + text(object.as_object(), "display"));
            }
        }
    }

    /// Deletes what the steps created and did not delete (because a step failed), newest first.
    /// False when something could not be deleted.
    awaitable<bool> delete_leftovers() {
        co_await find_untracked();
        if (created_.empty()) {
            out_ << "\nCleanup: nothing left to delete.\n";
            co_return true;
        }
        out_ << "\nCleanup: deleting " << created_.size() << " object(s) left behind, newest first\n";
        bool clean = true;
        while (!created_.empty()) {
            const created_object object = std::move(created_.back());
            created_.pop_back();
            nb::result<nb::response> answer = co_await client_.try_request(http_method::delete_, object.path);
            // 404: gone already, e.g. by a bulk delete whose answer was lost.
            if (answer && (answer->ok() || answer->status == 404)) {
                out_ << "  deleted " << object.what << "\n";
                continue;
            }
            clean = false;
            const nb::error problem = answer ? answer->check_status().error() : answer.error();
            out_ << "  ** could not delete " << object.what << ": " << problem.what() << "\n";
        }
        co_return clean;
    }

    // ---- The steps ----------------------------------------------------------------------

    awaitable<void> status_and_version() {
        section("status() and version(): which NetBox is this?");
        const json::value status = co_await client_.status();
        const std::string api_version = co_await client_.version();
        const json::object& about = status.as_object();
        out_ << "  NetBox " << text(about, "netbox-version") << ", REST API " << api_version << ", Python "
             << text(about, "python-version") << ", Django " << text(about, "django-version") << "\n";
        if (settings_.known_data)
            require(api_version == netbox_examples::simulator_version,
                    std::string("the simulator should speak API ") + netbox_examples::simulator_version);
    }

    awaitable<void> filtered_list() {
        section("A filtered list: the active devices of one site");
        // ber-dc1 is the simulator's first site; on another server, take whichever site comes first.
        const nb::query_params by_slug{{"slug", "ber-dc1"}};
        std::optional<json::object> site = co_await first_object(paths::sites, by_slug);
        if (!site) site = co_await first_object(paths::sites);
        if (!site) {
            skip("this server has no site");
            co_return;
        }
        const std::string slug = text(*site, "slug");
        const nb::query_params filters{{"site", slug}, {"status", "active"}, {"ordering", "name"}, {"limit", "5"}};
        nb::response page = co_await get(paths::devices, filters);
        page.raise_for_status();
        const json::value body = page.json();
        const json::array& devices = body.at("results").as_array();
        out_ << "  " << body.at("count") << " active devices at " << text(*site, "name") << " (" << slug << ")"
             << (devices.empty() ? "" : "; the first ones:") << "\n";
        for (const json::value& device : devices) out_ << "    " << text(device.as_object(), "name") << "\n";
        if (settings_.known_data) require(slug == "ber-dc1" && !devices.empty(), "active devices at ber-dc1");
    }

    awaitable<void> create_patch_delete() {
        section("Create a site, patch it, delete it");
        const json::value fields = json::object{{"name", prefix_}, {"slug", prefix_}, {"status", "planned"}};
        nb::response answer = co_await send(http_method::post, paths::sites, fields);
        answer.raise_for_status();
        const json::object site = answer.json().as_object();
        const std::string path = detail_path(paths::sites, id_of(site));
        created(path, "site " + prefix_);
        out_ << "  created site #" << id_of(site) << " " << text(site, "name") << ", status "
             << text(site, "status") << "\n";

        const json::value changes = json::object{{"status", "active"}, {"description", "patched by netbox-demo"}};
        answer = co_await send(http_method::patch, path, changes);
        answer.raise_for_status();
        const json::object patched = answer.json().as_object();
        out_ << "  patched: status " << text(patched, "status") << ", description \""
             << text(patched, "description") << "\", last_updated " << text(site, "last_updated") << " -> "
             << text(patched, "last_updated") << "\n";
        require(text(patched, "status") == "active", "PATCH should change the status");

        answer = co_await client_.request(http_method::delete_, path);
        answer.raise_for_status();
        deleted(path);
        answer = co_await get(path);
        out_ << "  deleted; reading it again answers HTTP " << answer.status << "\n";
        require(answer.status == 404, "a deleted site should be gone");
    }

    awaitable<void> bulk_create_and_delete() {
        section("Bulk create three tags in one POST, bulk delete them in one DELETE");
        json::array tags;
        for (int i = 1; i <= 3; ++i) {
            const std::string name = prefix_ + "-" + std::to_string(i);
            tags.push_back(json::object{{"name", name}, {"slug", name}, {"color", "2196f3"}});
        }
        nb::response answer = co_await send(http_method::post, paths::tags, tags);
        answer.raise_for_status();
        json::array ids;  // the body of the bulk delete: [{"id": n}, ...]
        const json::value created_tags = answer.json();
        for (const json::value& tag : created_tags.as_array()) {
            const json::object& object = tag.as_object();
            created(detail_path(paths::tags, id_of(object)), "tag " + text(object, "name"));
            ids.push_back(json::object{{"id", id_of(object)}});
            out_ << "  created tag #" << id_of(object) << " " << text(object, "name") << "\n";
        }
        require(ids.size() == 3, "a bulk create answers with every object it created");

        const std::string ids_text = json::serialize(ids);
        answer = co_await send(http_method::delete_, paths::tags, ids);
        answer.raise_for_status();
        for (const json::value& id : ids) deleted(detail_path(paths::tags, id.at("id").to_number<std::int64_t>()));
        out_ << "  deleted them with the body " << ids_text << ": HTTP " << answer.status << "\n";
    }

    awaitable<void> paging() {
        section("Page through every device, following `next`");
        constexpr int page_size = 500;
        constexpr int max_pages = 20;  // be gentle with a large real NetBox
        std::string path = paths::devices;
        nb::query_params query{{"limit", std::to_string(page_size)}};
        std::int64_t count = 0;
        std::int64_t listed = 0;
        std::size_t bytes = 0;
        int pages = 0;
        bool stopped = false;
        const auto started = std::chrono::steady_clock::now();
        for (;;) {
            nb::response page = co_await get(path, query);
            page.raise_for_status();
            const json::value body = page.json();
            count = body.at("count").to_number<std::int64_t>();
            listed += static_cast<std::int64_t>(body.at("results").as_array().size());
            bytes += page.body.size();
            ++pages;
            const json::value& next = body.at("next");
            if (!next.is_string()) break;
            if (pages == max_pages) {
                stopped = true;
                break;
            }
            // `next` is absolute; only its path and query are used, on the configured base URL.
            auto rebased = rebase_link(next.as_string(), client_.base_url());
            require(rebased.has_value(), "`next` should be a URL");
            std::tie(path, query) = std::move(*rebased);
        }
        const auto elapsed =
            std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
        out_ << "  " << listed << " of " << count << " devices in " << pages << " page(s) of up to " << page_size
             << ", " << milliseconds_text(elapsed) << ", " << bytes / 1024 << " KiB of JSON"
             << (stopped ? " (stopped there)" : "") << "\n";
        require(stopped || listed == count, "following `next` should list every device once");
        if (settings_.known_data)
            require(count == static_cast<std::int64_t>(netbox_examples::simulator_devices),
                    "the simulator should hold " + std::to_string(netbox_examples::simulator_devices) + " devices");
    }

    awaitable<void> available_ip() {
        section("Allocate the next free IP address of a prefix");
        const nb::query_params active_ipv4{{"status", "active"}, {"family", "4"}};
        std::optional<json::object> prefix = co_await first_object(paths::prefixes, active_ipv4);
        if (!prefix) {
            skip("this server has no active IPv4 prefix");
            co_return;
        }
        const std::string prefix_text = text(*prefix, "prefix");
        const std::string available_ips = detail_path(paths::prefixes, id_of(*prefix)) + "available-ips/";
        const json::value request = json::object{{"description", prefix_}};
        nb::response answer = co_await send(http_method::post, available_ips, request);
        if (answer.status == 409) {
            skip("prefix " + prefix_text + " has no free address (" + answer.check_status().error().detail + ")");
            co_return;
        }
        answer.raise_for_status();
        const json::object address = answer.json().as_object();
        const std::string path = detail_path(paths::ip_addresses, id_of(address));
        created(path, "IP address " + text(address, "address"));
        out_ << "  " << prefix_text << " gave " << text(address, "address") << " (IP address #" << id_of(address)
             << ")\n";

        answer = co_await client_.request(http_method::delete_, path);
        answer.raise_for_status();
        deleted(path);
        out_ << "  released it again\n";
    }

    awaitable<void> rack_elevation() {
        section("A rack elevation as SVG, written to a file");
        std::optional<json::object> rack = co_await first_object(paths::racks);
        if (!rack) {
            skip("this server has no rack");
            co_return;
        }
        const std::string elevation = detail_path(paths::racks, id_of(*rack)) + "elevation/";
        const nb::query_params render{{"render", "svg"}};
        nb::response svg = co_await get(elevation, render);
        svg.raise_for_status();
        const std::string content_type(svg.header("Content-Type").value_or(""));
        require(content_type.starts_with("image/svg+xml"), "the elevation should be image/svg+xml");

        std::filesystem::create_directories(settings_.output_dir);
        const std::filesystem::path file = settings_.output_dir / ("rack-" + std::to_string(id_of(*rack)) + ".svg");
        std::ofstream stream(file, std::ios::binary);
        stream << svg.body;
        stream.close();
        require(stream.good(), "cannot write " + file.string());
        out_ << "  rack " << text(*rack, "name") << ": " << svg.body.size() << " bytes of " << content_type
             << " written to " << file.string() << "\n";
    }

    awaitable<void> graphql() {
        section("A GraphQL query");
        const std::string query = "query { device_list(pagination: {limit: 3}) { id name site { name } } }";
        out_ << "  " << query << "\n";
        nb::result<json::value> data = co_await client_.try_graphql(query);
        if (!data) {
            // A real NetBox may have GraphQL switched off (GRAPHQL_ENABLED).
            if (settings_.known_data) throw nb::api_error(data.error());
            skip(data.error().what());
            co_return;
        }
        const json::array& devices = data->at("device_list").as_array();
        if (devices.empty()) out_ << "    (no devices)\n";
        for (const json::value& device : devices) {
            const json::object& object = device.as_object();
            out_ << "    #" << text(object, "id") << " " << text(object, "name") << " at "
                 << text(object.at("site").as_object(), "name") << "\n";
        }
    }

    awaitable<void> error_model() {
        section("Errors: a 404 is a response, a 400 carries field errors, a helper's 403 is an error");
        // request() returns whatever answer arrives; the caller decides what a 404 means.
        nb::response missing = co_await get(detail_path(paths::devices, 2147483647));
        require(missing.status == 404, "a missing device should answer 404");
        // check_status() (or raise_for_status(), which throws) turns it into a netbox::error.
        out_ << "  a missing device: HTTP " << missing.status << ", returned as a response; check_status() says \""
             << missing.check_status().error().detail << "\"\n";

        // NetBox's validation messages per field land in error::field_errors.
        const json::value invalid = json::object{{"name", prefix_ + "-invalid"}, {"status", "no-such-status"}};
        nb::response rejected = co_await send(http_method::post, paths::sites, invalid);
        if (rejected.ok()) created(detail_path(paths::sites, id_of(rejected.json().as_object())), "site (invalid)");
        require(rejected.status == 400, "a site without a slug should be refused with 400");
        out_ << "  a site without a slug and with a bad status: HTTP 400\n";
        const nb::error invalid_fields = rejected.check_status().error();
        for (const nb::field_error& field : invalid_fields.field_errors)
            out_ << "    field_errors[\"" << field.field << "\"]: " << field.messages.at(0) << "\n";
        const bool names_slug = std::ranges::any_of(invalid_fields.field_errors, [](const nb::field_error& field) {
            return field.field == "slug";
        });
        require(names_slug, "the 400 should name the missing slug");

        // Helpers that need a 2xx throw netbox::api_error for any other answer (their try_ forms
        // return the same netbox::error). Here a second client presents a token the server does
        // not know.
        nb::client_options stranger_options = options_;
        stranger_options.token = std::string(40, '0');
        const nb::client stranger(client_.get_executor(), stranger_options);
        std::optional<nb::error> refusal;
        try {
            co_await stranger.status();
        } catch (const nb::api_error& e) {
            refusal = e.info();  // status, detail, request_id, what(), ...
        }
        require(refusal && refusal->status == 403, "an unknown token should be refused with 403");
        out_ << "  status() with an unknown token threw netbox::api_error: HTTP 403, detail \"" << refusal->detail
             << "\"\n    what(): " << refusal->what() << "\n";
    }

    nb::client_options options_;
    tour_settings settings_;
    std::ostream& out_;
    nb::client client_;
    std::string prefix_ = unique_prefix();
    std::vector<created_object> created_;  ///< oldest first
    int section_ = 0;
};

}  // namespace

awaitable<void> run_tour(nb::client_options options, tour_settings settings) {
    options.observer = trace_to(*settings.out);
    tour steps(std::move(options), std::move(settings), co_await boost::asio::this_coro::executor);
    co_await steps.run();
}

}  // namespace netbox_demo
