// Writes: validating request bodies against the model the way NetBox's serializers do (field →
// messages, per item for bulk requests), resolving related objects by id or by attributes, unique
// names, and committing creates, updates and deletes all or nothing.
#pragma once

#include "engine_render.hpp"
#include "engine_store.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace netbox::sim::detail {

/// NetBox's bounds (dcim/constants.py, ipam/constants.py): writes are checked against them, and
/// the detail endpoints read stored values within them.
inline constexpr std::int64_t vlan_vid_min = 1;
inline constexpr std::int64_t vlan_vid_max = 4094;
inline constexpr std::int64_t asn_min = 1;
inline constexpr std::int64_t asn_max = 4294967295;
inline constexpr std::int64_t rack_units_min = 1;
inline constexpr std::int64_t rack_units_max = 100;
inline constexpr std::int64_t starting_unit_min = 1;
inline constexpr std::int64_t starting_unit_max = 32767;  // PositiveSmallIntegerField

/// An answer of the write layer: status and JSON text (empty for 204).
struct write_result {
    int status = 200;
    std::string body;
    std::size_t objects = 0;
};

enum class write_mode { create, replace, partial };

class writer {
public:
    writer(store& s, renderer& r) : store_(s), render_(r) {}

    /// POST on a list path: one object or a list of them.
    write_result create(table& t, const json::value& body);
    /// PUT/PATCH on a detail path.
    write_result update(table& t, std::int64_t id, const json::value& body, write_mode mode);
    /// PUT/PATCH on a list path: a list of objects with `id`.
    write_result bulk_update(table& t, const json::value& body, write_mode mode);
    /// DELETE on a detail path.
    write_result remove(table& t, std::int64_t id);
    /// DELETE on a list path: a list of {"id": n}.
    write_result bulk_remove(table& t, const json::value& body);

    /// Validates `item` for a new record of `t`, with `defaults` (stored values) applied first;
    /// returns the staged record, or sets `errors`. Used by the available-* endpoints.
    std::unique_ptr<record> stage_create(table& t, const json::value& item, const json::object& defaults,
                                         json::object& errors);
    /// Inserts staged records and answers with them (a list when `as_list`).
    write_result commit_created(table& t, std::vector<std::unique_ptr<record>> staged, bool as_list);

private:
    bool stage(table& t, record& target, const json::object& item, write_mode mode, json::object& errors,
               const std::vector<const record*>& batch);
    bool convert(const table& t, const model::field& f, const json::value& in, json::value& out, std::string& error);
    bool resolve_related(const table& target, const json::value& in, json::value& out, std::string& error);
    /// The model's clean(): checks across fields of the staged record (VLAN ID ranges, ASN ranges).
    void clean(const table& t, const record& r, json::object& errors);
    void check_unique(const table& t, const record& r, json::object& errors, const std::vector<const record*>& batch);
    /// Deletes `id` of `t` and what depends on it; false (with the 409 text) when something protects it.
    bool protected_by(table& t, std::int64_t id, std::string& message);
    void erase(table& t, std::int64_t id);
    void finish(table& t, record& r, bool created);

    store& store_;
    renderer& render_;
};

/// The text of a 404 for `t`: {"detail": "No Device matches the given query."}.
std::string not_found_body(const table& t);
/// {"detail": text}
std::string detail_body(std::string_view text);

}  // namespace netbox::sim::detail
