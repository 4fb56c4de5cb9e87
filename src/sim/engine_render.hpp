// Rendering records as NetBox's JSON text, straight into a string: the full form, the brief form
// nested for foreign keys (and `?brief=1`), and the `fields=`/`omit=` selections. What to do for
// each field is worked out once per resource (a plan); the full and brief texts of each record are
// cached until the store changes.
#pragma once

#include "engine_store.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace netbox::sim::detail {

/// Which top-level fields to write: all, only `only` (when not empty), never those in `omit`.
struct selection {
    std::vector<std::string> only;
    std::vector<std::string> omit;

    bool all() const noexcept { return only.empty() && omit.empty(); }
    bool wants(std::string_view field) const;
};

/// The `display` of a record as NetBox computes it (name, model, address, ...).
std::string display_of(const table& t, const record& r);

/// The label of a choice value, or the value itself when the model lists none.
std::string choice_label(const model::field& f, const json::value& value);

class renderer {
public:
    explicit renderer(store& s);
    ~renderer();

    /// The scheme and host that `url`, `display_url`, `next` and `previous` start with. Changing
    /// it drops the render caches.
    void set_base_url(std::string_view base_url);
    const std::string& base_url() const noexcept { return base_url_; }

    /// The full form (cached), or the fields `s` selects.
    void full(std::string& out, const table& t, const record& r, const selection& s = {});
    /// The brief form of `?brief=1`.
    void brief(std::string& out, const table& t, const record& r);
    /// The brief object nested in other objects (cached).
    void nested(std::string& out, const table& t, const record& r);
    /// The nested brief object of the record `id` of `t`, or null when there is none.
    void brief_of(std::string& out, const table& t, std::int64_t id);
    /// The absolute API URL of a record.
    std::string url_of(const table& t, std::int64_t id) const;

private:
    struct field_plan;
    struct plan;
    const plan& plan_of(const table& t);
    void write_object(std::string& out, const plan& p, const std::vector<field_plan>& fields, const table& t,
                      const record& r);
    void write_full(std::string& out, const table& t, const record& r, const selection& s);
    void write_field(std::string& out, const plan& p, const field_plan& fp, const table& t, const record& r);

    store& store_;
    std::string base_url_;
    std::vector<std::unique_ptr<plan>> plans_;  // by table, built on first use
    std::unordered_map<const table*, plan*> plan_by_table_;
};

}  // namespace netbox::sim::detail
