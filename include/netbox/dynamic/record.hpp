// netbox-cpp: records of the dynamic facade: one NetBox object as JSON, with diff-based save and
// its detail endpoints (docs/dynamic.md#records).
#pragma once

#include <netbox/dynamic/options.hpp>
#include <netbox/http.hpp>
#include <netbox/result.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netbox {

namespace detail {
struct endpoint_ref;
}

class record;
class detail_endpoint;
class elevation_endpoint;

/// One hop of a cable trace: the near ends, the cable (empty when the path stops), the far ends.
struct trace_hop;
/// One path of a front or rear port (`paths()`).
struct cable_path;

/// One NetBox object. A value type: copying shares the parsed JSON (no allocation), and edits of a
/// copy are its own. Reads see the fields set since the object was fetched over the fetched ones.
///
/// Nothing here makes a hidden request: only save(), delete_(), full_details() and the detail
/// endpoints talk to the server, and each says so by being awaited.
class record {
public:
    record() = default;
    /// A record over `object` as if fetched from `where` (tests, objects from elsewhere).
    record(std::shared_ptr<const detail::endpoint_ref> where, boost::json::object object);
    /// A record over an object inside a parsed document: `owner` keeps it alive (no copy).
    record(std::shared_ptr<const detail::endpoint_ref> where, std::shared_ptr<const boost::json::object> object);

    // --- identity ---------------------------------------------------------------------------------
    /// The `id`, or 0 when the object has none (available IPs, choices).
    std::int64_t id() const noexcept;
    /// `display` (or `name`), "" when neither is present.
    std::string_view display() const noexcept;
    /// `url` as the server sent it ("" when absent). Requests use it rebased on the api's base URL.
    std::string_view url() const noexcept;
    /// "dcim/devices" (plugins: "plugins/gpon/olts"), "" when the endpoint is not known.
    std::string endpoint_path() const;
    /// Same endpoint and same non-zero id.
    friend bool operator==(const record& a, const record& b) noexcept;

    // --- reading ----------------------------------------------------------------------------------
    /// The field's current value; a null value when absent.
    const boost::json::value& operator[](std::string_view name) const noexcept;
    bool contains(std::string_view name) const noexcept;
    std::optional<std::string_view> get_string(std::string_view name) const noexcept;
    std::optional<std::int64_t> get_int(std::string_view name) const noexcept;
    std::optional<double> get_number(std::string_view name) const noexcept;
    std::optional<bool> get_bool(std::string_view name) const noexcept;
    /// A choice field's `value` ("active"), or a plain string field.
    std::optional<std::string_view> get_choice(std::string_view name) const noexcept;
    /// A nested object (foreign key) as a record of its own endpoint; nullopt when null or absent.
    std::optional<record> get_record(std::string_view name) const;
    /// A list of nested objects (`tags`, `tagged_vlans`) as records.
    std::vector<record> get_records(std::string_view name) const;
    /// Every field, current values (the fetched object with the edits applied).
    boost::json::object to_json() const;
    /// The object as the server sent it, without edits and without a copy (an empty object for a
    /// default-constructed record).
    const boost::json::object& fetched() const noexcept;

    // --- editing ----------------------------------------------------------------------------------
    /// Sets a field. A foreign key may be given as an id (`rec.set("site", 4)`).
    record& set(std::string_view name, boost::json::value value);
    /// A mutable copy of the field, for in-place edits (`rec.edit("custom_fields").as_object()["x"] = 1`).
    /// The reference is valid until the next set() or edit() of another field.
    boost::json::value& edit(std::string_view name);
    /// Drops the edits.
    void revert() noexcept;

    /// The object as NetBox expects it on write: nested objects collapsed to their ids, choices to
    /// their values, JSON fields as they are.
    boost::json::object serialize() const;
    /// What save() would send: the fields whose serialized value changed. Custom fields are
    /// compared and sent per key, tags compared as a set, JSON fields by value.
    boost::json::object updates() const;
    bool has_updates() const { return !updates().empty(); }

    // --- talking to the server --------------------------------------------------------------------
    /// PATCHes updates() (nothing is sent when empty) and takes the server's answer as the new
    /// state. Returns whether a request was made.
    boost::asio::awaitable<result<bool>> try_save(request_options options = request_options());
    boost::asio::awaitable<bool> save(request_options options = request_options());
    /// DELETE of this object.
    boost::asio::awaitable<result<void>> try_delete(request_options options = request_options()) const;
    boost::asio::awaitable<void> delete_(request_options options = request_options()) const;
    /// GETs the full object behind a nested (brief) one and returns it, edits kept. The answer is
    /// cached per api and URL, so a foreign key many records share is fetched once.
    boost::asio::awaitable<result<record>> try_full_details(bool refresh = false) const;
    boost::asio::awaitable<record> full_details(bool refresh = false) const;

    // --- detail endpoints (errc::unsupported when this object's endpoint has none) ----------------
    detail_endpoint available_ips() const;       ///< prefixes, ip-ranges
    detail_endpoint available_prefixes() const;  ///< prefixes
    detail_endpoint available_vlans() const;     ///< vlan-groups
    detail_endpoint available_asns() const;      ///< asn-ranges
    elevation_endpoint elevation() const;        ///< racks
    /// Interfaces, console/power ports and outlets, ...: the cable trace.
    boost::asio::awaitable<result<std::vector<trace_hop>>> try_trace() const;
    boost::asio::awaitable<std::vector<trace_hop>> trace() const;
    /// Front and rear ports: their cable paths.
    boost::asio::awaitable<result<std::vector<cable_path>>> try_paths() const;
    boost::asio::awaitable<std::vector<cable_path>> paths() const;
    /// Devices: GET napalm/?method=<m>... (NetBox with the NAPALM plugin).
    boost::asio::awaitable<result<boost::json::value>> try_napalm(std::vector<std::string> methods) const;
    boost::asio::awaitable<boost::json::value> napalm(std::vector<std::string> methods) const;
    /// Devices and virtual machines: POST render-config/ with extra context.
    boost::asio::awaitable<result<boost::json::value>> try_render_config(boost::json::object context = boost::json::object()) const;
    boost::asio::awaitable<boost::json::value> render_config(boost::json::object context = boost::json::object()) const;
    /// Data sources: POST sync/; returns the data source as the server answered.
    boost::asio::awaitable<result<record>> try_sync() const;
    boost::asio::awaitable<record> sync() const;
    /// Any detail endpoint by its URL name ("available-ips").
    detail_endpoint detail(std::string name) const;

    /// Where this record lives; null for a default-constructed one.
    const std::shared_ptr<const detail::endpoint_ref>& where() const noexcept { return where_; }

private:
    std::shared_ptr<const detail::endpoint_ref> where_;
    std::shared_ptr<const boost::json::object> data_;  ///< as fetched (may alias a whole page)
    boost::json::object edits_;                        ///< fields set since
};

struct trace_hop {
    std::vector<record> near_ends;
    std::optional<record> cable;
    std::vector<record> far_ends;
};

struct cable_path {
    std::vector<record> origin;
    std::vector<record> destination;
    std::vector<std::vector<record>> segments;  ///< `path`: each hop's objects, in order
    bool is_complete = false;
    bool is_active = false;
    bool is_split = false;
};

/// A detail endpoint under one object (`/api/ipam/prefixes/7/available-ips/`).
class detail_endpoint {
public:
    detail_endpoint(std::shared_ptr<const detail::endpoint_ref> parent, std::int64_t id, std::string name);

    /// GET: the objects it lists (available IPs, prefixes, VLANs, ASNs), as records of the
    /// endpoint they belong to.
    boost::asio::awaitable<result<std::vector<record>>> try_list(filters query = filters(), request_options options = request_options()) const;
    boost::asio::awaitable<std::vector<record>> list(filters query = filters(), request_options options = request_options()) const;
    /// POST one object (`{}` takes the next free one); 409 → errc::allocation_failed.
    boost::asio::awaitable<result<record>> try_create(boost::json::object object = boost::json::object(), request_options options = request_options()) const;
    boost::asio::awaitable<record> create(boost::json::object object = boost::json::object(), request_options options = request_options()) const;
    /// POST a list: several at once, all or none.
    boost::asio::awaitable<result<std::vector<record>>> try_create(boost::json::array objects,
                                                                   request_options options = request_options()) const;
    boost::asio::awaitable<std::vector<record>> create(boost::json::array objects, request_options options = request_options()) const;

    /// "/api/ipam/prefixes/7/available-ips/"
    std::string path() const;

private:
    friend class elevation_endpoint;
    std::shared_ptr<const detail::endpoint_ref> parent_;
    std::int64_t id_ = 0;
    std::string name_;
    std::optional<error> invalid_;  ///< set when the parent endpoint has no such detail
};

/// A rack's elevation: its units as records, or the SVG drawing.
class elevation_endpoint {
public:
    explicit elevation_endpoint(detail_endpoint at) : at_(std::move(at)) {}

    /// GET elevation/ (every page): the rack units of `face` ("front" or "rear").
    boost::asio::awaitable<result<std::vector<record>>> try_list(filters query = filters()) const;
    boost::asio::awaitable<std::vector<record>> list(filters query = filters()) const;
    /// GET elevation/?render=svg: the drawing as SVG text.
    boost::asio::awaitable<result<std::string>> try_svg(filters query = filters()) const;
    boost::asio::awaitable<std::string> svg(filters query = filters()) const;

private:
    detail_endpoint at_;
};

}  // namespace netbox
