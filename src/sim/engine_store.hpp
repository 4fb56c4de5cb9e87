// The simulator's in-memory database: one table per resource of the model, records holding the
// stored form of each field (see record), and the indexes that rendering, filtering and deleting
// need (references between records, custom field definitions). Knows nothing of HTTP or JSON text.
#pragma once

#include <netbox/model/api_model.hpp>

#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace netbox::sim::detail {

namespace json = boost::json;

/// One object. `values` is indexed like the resource's fields; each holds the stored form:
/// scalars as JSON scalars, choices as their bare value, foreign keys as the target id (or null),
/// lists of foreign keys and tags as arrays of ids, custom fields as an object, anything else as
/// the JSON given. `id`, `url`, `display_url` and counters are computed when rendered.
struct record {
    std::int64_t id = 0;
    std::vector<json::value> values;

    /// Render caches: valid while their generation is the store's.
    mutable std::string full_text;
    mutable std::string brief_text;
    mutable std::uint64_t full_generation = 0;
    mutable std::uint64_t brief_generation = 0;
};

inline constexpr std::size_t no_field = static_cast<std::size_t>(-1);

/// The records of one resource, ordered by id.
class table {
public:
    explicit table(const model::resource& r);

    const model::resource& resource() const noexcept { return *resource_; }
    /// "dcim.devices"
    const std::string& key() const noexcept { return key_; }
    /// The model's class name as NetBox prints it: "Device", "IPAddress".
    const std::string& model_name() const noexcept { return model_name_; }
    /// The object type of custom fields and generic relations: "dcim.device".
    const std::string& object_type() const noexcept { return object_type_; }

    std::size_t field_count() const noexcept { return resource_->fields.size(); }
    const model::field& field_at(std::size_t index) const noexcept { return resource_->fields[index]; }
    /// The index of a field, or no_field.
    std::size_t index_of(std::string_view name) const noexcept;

    const std::vector<std::unique_ptr<record>>& rows() const noexcept { return rows_; }
    record* find(std::int64_t id) noexcept;
    const record* find(std::int64_t id) const noexcept;
    /// The position of the first record whose id is >= `id`.
    std::size_t lower_bound(std::int64_t id) const noexcept;

    /// A new record with every value null and the next id (not yet inserted).
    std::unique_ptr<record> make() const;
    /// Inserts a record made by make(); its id is taken.
    record& insert(std::unique_ptr<record> r);
    void erase(std::int64_t id);

    /// A stored value by field name; null when the resource has no such field.
    const json::value& get(const record& r, std::string_view name) const noexcept;
    /// Sets a stored value by field name; ignored when the resource has no such field.
    void set(record& r, std::string_view name, json::value v) const;

private:
    const model::resource* resource_;
    std::string key_;
    std::string model_name_;
    std::string object_type_;
    std::unordered_map<std::string_view, std::size_t> field_index_;
    std::vector<std::unique_ptr<record>> rows_;
    std::int64_t next_id_ = 1;
};

/// A field of one table that points at records of another.
struct reference {
    table* source = nullptr;
    std::size_t field = no_field;
};

class store {
public:
    explicit store(const model::api& api);

    const model::api& api() const noexcept { return *api_; }
    /// By "app.resource"; null when the model has none.
    table* find(std::string_view key) noexcept;
    table& of(const model::resource& r);
    /// By object type ("dcim.interface"); null when the model has none.
    table* find_object_type(std::string_view object_type) noexcept;
    std::vector<std::unique_ptr<table>>& tables() noexcept { return tables_; }

    /// Incremented by every change; render caches and indexes older than it are stale.
    std::uint64_t generation() const noexcept { return generation_; }
    void changed() noexcept { ++generation_; }

    /// A timestamp later than every one given before: the wall clock, or with `fixed` a clock
    /// that only counts (for a deterministic data set).
    std::string timestamp(bool fixed = false);

    /// Fields of any table that point at `target` (foreign keys, lists of them, tags).
    const std::vector<reference>& references_to(const table& target) const;
    /// How many records of `ref.source` point at `id` through `ref.field`.
    std::size_t count_referencing(const reference& ref, std::int64_t id);

    /// The custom field definitions (records of extras.custom-fields) that apply to `t`.
    const std::vector<const record*>& custom_fields_of(const table& t);

private:
    struct count_index {
        std::uint64_t generation = 0;
        std::unordered_map<std::int64_t, std::size_t> counts;
    };
    struct custom_field_index {
        std::uint64_t generation = 0;
        std::vector<const record*> fields;
    };

    const model::api* api_;
    std::vector<std::unique_ptr<table>> tables_;
    std::unordered_map<std::string_view, table*> by_key_;
    std::unordered_map<std::string_view, table*> by_object_type_;
    std::unordered_map<const table*, std::vector<reference>> references_;
    std::map<std::pair<const table*, std::size_t>, count_index> counts_;
    std::unordered_map<const table*, custom_field_index> custom_fields_;
    std::uint64_t generation_ = 1;
    std::int64_t clock_us_;
};

}  // namespace netbox::sim::detail
