#include "engine_store.hpp"

#include "engine_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/string.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace netbox::sim::detail {
namespace {

/// Response schemas that extend the model's own (DeviceWithConfigContext is a Device).
constexpr std::string_view model_extension = "WithConfigContext";
/// The deterministic clock starts here: 2026-01-01T00:00:00Z.
constexpr std::int64_t fixed_epoch_us = 1767225600LL * 1000000;

std::string model_name_of(const model::resource& r)
{
    std::string_view name = r.model;
    if (name.ends_with(model_extension))
        name.remove_suffix(model_extension.size());
    return std::string(name);
}

std::string format_timestamp(std::int64_t us)
{
    const std::time_t seconds = static_cast<std::time_t>(us / 1000000);
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", parts.tm_year + 1900, parts.tm_mon + 1,
                  parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, static_cast<int>(us % 1000000));
    return text;
}

}  // namespace

// --- table ----------------------------------------------------------------------------------------

table::table(const model::resource& r)
    : resource_(&r),
      key_(std::string(r.app) + "." + std::string(r.name)),
      model_name_(model_name_of(r)),
      object_type_(std::string(r.app) + "." + lower(model_name_))
{
    for (std::size_t i = 0; i < r.fields.size(); ++i)
        field_index_.emplace(r.fields[i].name, i);
}

std::size_t table::index_of(std::string_view name) const noexcept
{
    const auto found = field_index_.find(name);
    return found != field_index_.end() ? found->second : no_field;
}

std::size_t table::lower_bound(std::int64_t id) const noexcept
{
    const auto found = std::ranges::lower_bound(rows_, id, {}, [](const auto& r) { return r->id; });
    return static_cast<std::size_t>(found - rows_.begin());
}

record* table::find(std::int64_t id) noexcept
{
    const std::size_t at = lower_bound(id);
    return at < rows_.size() && rows_[at]->id == id ? rows_[at].get() : nullptr;
}

const record* table::find(std::int64_t id) const noexcept
{
    return const_cast<table*>(this)->find(id);
}

std::unique_ptr<record> table::make() const
{
    auto r = std::make_unique<record>();
    r->id = next_id_;
    r->values.resize(field_count());
    return r;
}

record& table::insert(std::unique_ptr<record> r)
{
    next_id_ = std::max(next_id_, r->id + 1);
    const std::size_t at = lower_bound(r->id);
    return **rows_.insert(rows_.begin() + static_cast<std::ptrdiff_t>(at), std::move(r));
}

void table::erase(std::int64_t id)
{
    const std::size_t at = lower_bound(id);
    if (at < rows_.size() && rows_[at]->id == id)
        rows_.erase(rows_.begin() + static_cast<std::ptrdiff_t>(at));
}

const json::value& table::get(const record& r, std::string_view name) const noexcept
{
    static const json::value null;
    const std::size_t index = index_of(name);
    return index != no_field ? r.values[index] : null;
}

void table::set(record& r, std::string_view name, json::value v) const
{
    if (const std::size_t index = index_of(name); index != no_field)
        r.values[index] = std::move(v);
}

// --- store ----------------------------------------------------------------------------------------

store::store(const model::api& api) : api_(&api), clock_us_(fixed_epoch_us)
{
    for (const model::app& a : api.apps)
        for (const model::resource& r : a.resources)
            tables_.push_back(std::make_unique<table>(r));
    for (const auto& t : tables_) {
        by_key_.emplace(t->key(), t.get());
        if (!t->resource().detail_path.empty())
            by_object_type_.emplace(t->object_type(), t.get());
    }
    for (const auto& t : tables_) {
        for (std::size_t i = 0; i < t->field_count(); ++i) {
            const model::field& f = t->field_at(i);
            const bool points = f.kind == model::field_kind::foreign_key || f.kind == model::field_kind::foreign_keys;
            table* target = points ? find(f.target) : f.kind == model::field_kind::tags ? find("extras.tags") : nullptr;
            if (target != nullptr)
                references_[target].push_back({t.get(), i});
        }
    }
}

table* store::find(std::string_view key) noexcept
{
    const auto found = by_key_.find(key);
    return found != by_key_.end() ? found->second : nullptr;
}

table& store::of(const model::resource& r)
{
    return *find(std::string(r.app) + "." + std::string(r.name));
}

table* store::find_object_type(std::string_view object_type) noexcept
{
    const auto found = by_object_type_.find(object_type);
    return found != by_object_type_.end() ? found->second : nullptr;
}

std::string store::timestamp(bool fixed)
{
    const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    clock_us_ = fixed ? clock_us_ + 1 : std::max<std::int64_t>(now, clock_us_ + 1);
    return format_timestamp(clock_us_);
}

const std::vector<reference>& store::references_to(const table& target) const
{
    static const std::vector<reference> none;
    const auto found = references_.find(&target);
    return found != references_.end() ? found->second : none;
}

std::size_t store::count_referencing(const reference& ref, std::int64_t id)
{
    count_index& index = counts_[{ref.source, ref.field}];
    if (index.generation != generation_) {
        index.counts.clear();
        for (const auto& r : ref.source->rows()) {
            const json::value& v = r->values[ref.field];
            if (v.is_int64())
                ++index.counts[v.get_int64()];
            else if (v.is_array())
                for (const json::value& item : v.get_array())
                    if (item.is_int64())
                        ++index.counts[item.get_int64()];
        }
        index.generation = generation_;
    }
    const auto found = index.counts.find(id);
    return found != index.counts.end() ? found->second : 0;
}

const std::vector<const record*>& store::custom_fields_of(const table& t)
{
    custom_field_index& index = custom_fields_[&t];
    if (index.generation == generation_)
        return index.fields;
    index.fields.clear();
    index.generation = generation_;
    const table* definitions = find("extras.custom-fields");
    if (definitions == nullptr)
        return index.fields;
    for (const auto& r : definitions->rows()) {
        const json::value& types = definitions->get(*r, "object_types");
        if (types.is_array() && std::ranges::any_of(types.get_array(), [&](const json::value& v) {
                return v.is_string() && v.get_string() == t.object_type();
            }))
            index.fields.push_back(r.get());
    }
    return index.fields;
}

}  // namespace netbox::sim::detail
