// record: construction, identity, reading, editing, save, delete and full_details().
#include "dynamic/state.hpp"

namespace netbox {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

const json::value null_value;

/// A ref that names an endpoint (not just a scope, as the refs of rack units or trace ends
/// without a URL do).
bool names_endpoint(const std::shared_ptr<const detail::endpoint_ref>& where) noexcept
{
    return where && !where->name.empty();
}

/// The endpoint of a nested object of field `name`: the model's target of the field, else the
/// object's own `url`, else a ref with the scope only (the record can still resolve its own nested
/// objects by URL, but not be saved).
std::shared_ptr<const detail::endpoint_ref> nested_where(const std::shared_ptr<const detail::endpoint_ref>& parent,
                                                         std::string_view name, const json::value* object)
{
    if (!parent)
        return nullptr;
    if (const model::resource* r = parent->resource())
        if (const model::field* f = r->find_field(name)) {
            if (f->kind == model::field_kind::tags)
                return detail::endpoint_for_target(parent->scope, "extras.tags");
            if ((f->kind == model::field_kind::foreign_key || f->kind == model::field_kind::foreign_keys) &&
                !f->target.empty())
                if (auto target = detail::endpoint_for_target(parent->scope, f->target))
                    return target;
        }
    if (const json::object* o = object ? object->if_object() : nullptr)
        if (const json::value* url = o->if_contains("url"); url && url->is_string())
            if (auto by_url = detail::endpoint_for_url(parent->scope, url->get_string()))
                return by_url;
    return detail::make_endpoint_ref(parent->scope, std::string(), std::string());
}

error no_endpoint(std::string_view what)
{
    return make_error(errc::invalid_argument,
                      std::string(what) + ": the record has no endpoint (it was not fetched from one)");
}

error no_id(const detail::endpoint_ref& where, std::string_view what)
{
    return detail::endpoint_error(errc::invalid_argument, where, std::string(what) + ": the record has no id");
}

/// The cache key of a full_details() GET.
std::string cache_key(const detail::relative_target& target)
{
    std::string key = target.path;
    for (std::size_t i = 0; i < target.query.size(); ++i)
        key.append(i == 0 ? "?" : "&").append(target.query[i].first).append("=").append(target.query[i].second);
    return key;
}

asio::awaitable<result<void>> delete_at(std::shared_ptr<const detail::endpoint_ref> where, std::int64_t id,
                                        request_options options)
{
    if (!names_endpoint(where))
        co_return no_endpoint("delete");
    if (id == 0)
        co_return no_id(*where, "delete");
    std::string path = where->detail_path(id);
    query_params no_query;
    payload no_body;
    result<response> r = co_await detail::send(*where->scope, http_method::delete_, path, std::move(no_query),
                                                std::move(no_body), std::move(options));
    if (!r)
        co_return r.error();
    if (auto status = r->check_status(); !status)
        co_return status.error();
    // A later full_details() must not answer from the cache with the deleted object.
    if (where->state().cached_details(path))
        where->state().store_details(path, nullptr);
    co_return result<void>{};
}

asio::awaitable<result<record>> full_details_at(std::shared_ptr<const detail::endpoint_ref> where, std::string url,
                                                std::int64_t id, bool refresh, json::object edits)
{
    if (!where)
        co_return no_endpoint("full_details");
    detail::relative_target target;
    if (!url.empty()) {
        result<detail::relative_target> rebased = detail::rebase(url);
        if (!rebased)
            co_return rebased.error();
        target = std::move(*rebased);
    } else if (names_endpoint(where) && id != 0) {
        target.path = where->detail_path(id);
    } else {
        co_return make_error(errc::invalid_argument, "full_details: the record has neither a url nor an id");
    }
    // The full object belongs where the nested one does; a ref without an endpoint learns it from the URL.
    std::shared_ptr<const detail::endpoint_ref> owner = where;
    if (!names_endpoint(owner) && !url.empty())
        if (auto by_url = detail::endpoint_for_url(where->scope, url))
            owner = std::move(by_url);

    detail::facade_state& state = where->state();
    const std::string key = cache_key(target);
    std::shared_ptr<const json::object> object = refresh ? nullptr : state.cached_details(key);
    if (!object) {
        result<response> r =
            co_await detail::send(*where->scope, http_method::get, target.path, std::move(target.query));
        if (!r)
            co_return r.error();
        result<json::object> fetched = detail::object_of(*r, "the object");
        if (!fetched)
            co_return fetched.error();
        object = std::make_shared<const json::object>(std::move(*fetched));
        state.store_details(key, object);
    }
    record out(std::move(owner), std::move(object));
    for (auto& [name, value] : edits)
        out.set(name, std::move(value));
    co_return out;
}

}  // namespace

record::record(std::shared_ptr<const detail::endpoint_ref> where, json::object object)
    : where_(std::move(where)), data_(std::make_shared<const json::object>(std::move(object)))
{
}

record::record(std::shared_ptr<const detail::endpoint_ref> where, std::shared_ptr<const json::object> object)
    : where_(std::move(where)), data_(std::move(object))
{
}

std::int64_t record::id() const noexcept
{
    const json::value& v = (*this)["id"];
    if (const std::int64_t* i = v.if_int64())
        return *i;
    if (const std::uint64_t* u = v.if_uint64())
        return static_cast<std::int64_t>(*u);
    return 0;
}

std::string_view record::display() const noexcept
{
    if (auto s = get_string("display"))
        return *s;
    return get_string("name").value_or(std::string_view());
}

const json::object& record::fetched() const noexcept
{
    static const json::object none;
    return data_ ? *data_ : none;
}

std::string_view record::url() const noexcept { return get_string("url").value_or(std::string_view()); }

std::string record::endpoint_path() const { return names_endpoint(where_) ? where_->key() : std::string(); }

bool operator==(const record& a, const record& b) noexcept
{
    const std::int64_t id = a.id();
    return id != 0 && id == b.id() && a.where_ && b.where_ && a.where_->app == b.where_->app &&
           a.where_->name == b.where_->name;
}

const json::value& record::operator[](std::string_view name) const noexcept
{
    if (const json::value* v = edits_.if_contains(name))
        return *v;
    if (data_)
        if (const json::value* v = data_->if_contains(name))
            return *v;
    return null_value;
}

bool record::contains(std::string_view name) const noexcept
{
    return edits_.contains(name) || (data_ && data_->contains(name));
}

std::optional<std::string_view> record::get_string(std::string_view name) const noexcept
{
    if (const json::string* s = (*this)[name].if_string())
        return std::string_view(*s);
    return std::nullopt;
}

std::optional<std::int64_t> record::get_int(std::string_view name) const noexcept
{
    const json::value& v = (*this)[name];
    if (const std::int64_t* i = v.if_int64())
        return *i;
    if (const std::uint64_t* u = v.if_uint64())
        return static_cast<std::int64_t>(*u);
    return std::nullopt;
}

std::optional<double> record::get_number(std::string_view name) const noexcept
{
    const json::value& v = (*this)[name];
    if (v.is_number())
        return v.to_number<double>();
    if (const json::string* s = v.if_string()) {  // DecimalField values arrive as strings
        try {
            return std::stod(std::string(*s));
        } catch (...) {
        }
    }
    return std::nullopt;
}

std::optional<bool> record::get_bool(std::string_view name) const noexcept
{
    if (const bool* b = (*this)[name].if_bool())
        return *b;
    return std::nullopt;
}

std::optional<std::string_view> record::get_choice(std::string_view name) const noexcept
{
    const json::value& v = (*this)[name];
    if (const json::object* o = v.if_object())
        if (const json::value* value = o->if_contains("value"); value && value->is_string())
            return std::string_view(value->get_string());
    if (const json::string* s = v.if_string())
        return std::string_view(*s);
    return std::nullopt;
}

std::optional<record> record::get_record(std::string_view name) const
{
    const json::value* v = edits_.if_contains(name);
    const bool from_data = v == nullptr;
    if (from_data && data_)
        v = data_->if_contains(name);
    if (v == nullptr || v->is_null())
        return std::nullopt;
    if (const json::object* o = v->if_object()) {
        auto where = nested_where(where_, name, v);
        if (from_data)  // shares the parsed document, as the record itself does
            return record(std::move(where), std::shared_ptr<const json::object>(data_, o));
        return record(std::move(where), json::object(*o));
    }
    // A foreign key set as an id: a record of the model's target holding only the id.
    if (v->is_int64() || v->is_uint64()) {
        auto where = nested_where(where_, name, nullptr);
        if (names_endpoint(where))
            return record(std::move(where), json::object{{"id", *v}});
    }
    return std::nullopt;
}

std::vector<record> record::get_records(std::string_view name) const
{
    const json::value* v = edits_.if_contains(name);
    const bool from_data = v == nullptr;
    if (from_data && data_)
        v = data_->if_contains(name);
    std::vector<record> out;
    const json::array* items = v ? v->if_array() : nullptr;
    if (items == nullptr)
        return out;
    out.reserve(items->size());
    std::shared_ptr<const detail::endpoint_ref> last;  // consecutive items of one endpoint share a ref
    for (const json::value& item : *items) {
        const json::object* o = item.if_object();
        if (o == nullptr)
            continue;
        auto where = nested_where(where_, name, &item);
        if (last && where && last->app == where->app && last->name == where->name)
            where = last;
        last = where;
        if (from_data)
            out.emplace_back(std::move(where), std::shared_ptr<const json::object>(data_, o));
        else
            out.emplace_back(std::move(where), json::object(*o));
    }
    return out;
}

json::object record::to_json() const
{
    json::object out = data_ ? json::object(*data_, json::storage_ptr()) : json::object();
    for (const auto& [k, v] : edits_)
        out[k] = v;
    return out;
}

// --- editing --------------------------------------------------------------------------------------

record& record::set(std::string_view name, json::value value)
{
    edits_.insert_or_assign(name, std::move(value));
    return *this;
}

json::value& record::edit(std::string_view name)
{
    if (json::value* v = edits_.if_contains(name))
        return *v;
    // A copy: data_ is shared with the record's copies and its page, and is what updates() diffs against.
    const json::value* fetched = data_ ? data_->if_contains(name) : nullptr;
    return edits_.insert_or_assign(name, fetched ? *fetched : json::value()).first->value();
}

void record::revert() noexcept { edits_.clear(); }

// --- talking to the server -------------------------------------------------------------------------

asio::awaitable<result<bool>> record::try_save(request_options options)
{
    if (!names_endpoint(where_))
        co_return no_endpoint("save");
    const std::int64_t id = this->id();
    if (id == 0)
        co_return no_id(*where_, "save");
    json::object changes = updates();
    if (changes.empty())
        co_return false;
    // Held here: the request must not depend on this record's members while it is in flight.
    std::shared_ptr<const detail::endpoint_ref> where = where_;
    std::string path = where->detail_path(id);
    payload body = json::value(std::move(changes));
    query_params no_query;
    result<response> r = co_await detail::send(*where->scope, http_method::patch, path, std::move(no_query),
                                                std::move(body), std::move(options));
    if (!r)
        co_return r.error();
    result<json::object> saved = detail::object_of(*r, "the saved object");
    if (!saved)
        co_return saved.error();
    auto object = std::make_shared<const json::object>(std::move(*saved));
    if (where->state().cached_details(path))
        where->state().store_details(path, object);
    data_ = std::move(object);
    edits_.clear();
    co_return true;
}

asio::awaitable<bool> record::save(request_options options)
{
    result<bool> r = co_await try_save(std::move(options));
    co_return r.value();
}

asio::awaitable<result<void>> record::try_delete(request_options options) const
{
    return delete_at(where_, id(), std::move(options));
}

asio::awaitable<void> record::delete_(request_options options) const { return detail::value_of(try_delete(std::move(options))); }

asio::awaitable<result<record>> record::try_full_details(bool refresh) const
{
    return full_details_at(where_, std::string(url()), id(), refresh, edits_);
}

asio::awaitable<record> record::full_details(bool refresh) const { return detail::value_of(try_full_details(refresh)); }

}  // namespace netbox
