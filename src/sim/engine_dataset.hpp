// The deterministic data set the simulator starts with: a small NetBox estate shaped like the one
// the recordings were taken from, scaled by the number of devices.
#pragma once

#include "engine_store.hpp"

#include <initializer_list>

namespace netbox::sim {
struct dataset_options;
}

namespace netbox::sim::detail {

/// A field name and its stored value.
using stored_field = std::pair<std::string_view, json::value>;

/// Inserts a record of `t` from stored values (fields the resource lacks are skipped), with its
/// display, and created/last_updated from the store's clock. Returns its id.
std::int64_t insert_stored(store& s, table& t, std::initializer_list<stored_field> values, bool fixed_clock);

/// Links two cable ends: sets `cable`, `cable_end`, `link_peers` and `link_peers_type` on both.
void connect_cable_ends(store& s, std::int64_t cable, const json::array& a_terminations,
                        const json::array& b_terminations);

void build_dataset(store& s, const dataset_options& options);

}  // namespace netbox::sim::detail
