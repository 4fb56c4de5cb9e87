// endpoint: single-object reads and writes, bulk writes in batches, choices. Each public method
// hands its arguments by value to a free coroutine that also holds the endpoint_ref, so the
// endpoint object may be gone by the time the request goes out.
#include "dynamic/state.hpp"

#include <netbox/dynamic/endpoint.hpp>

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>
#include <iterator>

namespace netbox {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

using where_ptr = std::shared_ptr<const detail::endpoint_ref>;

error invalid(const detail::endpoint_ref& where, std::string message)
{
    return detail::endpoint_error(errc::invalid_argument, where, std::move(message));
}

/// Records of another endpoint cannot be written through this one: their ids mean other objects.
bool foreign(const record& r, const detail::endpoint_ref& where)
{
    return r.where() && (r.where()->app != where.app || r.where()->name != where.name);
}

/// A JSON value as the text of a form field: strings as they are, null as an empty field (what an
/// HTML form sends for "no value"), anything else as its JSON text.
std::string form_text(const json::value& v)
{
    if (const json::string* s = v.if_string())
        return std::string(*s);
    if (v.is_null())
        return std::string();
    return json::serialize(v);
}

// --- reads ----------------------------------------------------------------------------------------

asio::awaitable<result<std::optional<record>>> get_by_id(where_ptr where, std::int64_t id, list_options options)
{
    options.ordering.clear();  // meaningless on one object
    query_params query = detail::list_query(filters(), options);
    std::string path = where->detail_path(id);
    payload none;
    result<response> r = co_await detail::send(*where->scope, http_method::get, std::move(path), std::move(query),
                                               std::move(none), std::move(options.request));
    if (!r)
        co_return r.error();
    if (r->status == 404)
        co_return std::optional<record>();
    result<json::object> o = detail::object_of(*r, "the object");
    if (!o)
        co_return o.error();
    co_return std::optional<record>(record(where, std::move(*o)));
}

asio::awaitable<result<std::optional<record>>> get_by_filters(where_ptr where, filters query, list_options options)
{
    if (query.empty())
        co_return invalid(*where, "get() needs at least one filter (all() lists every object)");
    result<void> checked = co_await detail::check_filters(*where, query, options);
    if (!checked)
        co_return checked.error();
    // Two rows are enough to tell "one" from "several"; the count says how many there are.
    query_params params = detail::list_query(query, options);
    params.emplace_back("limit", "2");
    std::string path = where->list_path();
    payload none;
    result<response> r = co_await detail::send(*where->scope, http_method::get, std::move(path), std::move(params),
                                               std::move(none), std::move(options.request));
    if (!r)
        co_return r.error();
    result<json::object> page = detail::object_of(*r, "a page");
    if (!page)
        co_return page.error();
    auto document = std::make_shared<const json::value>(std::move(*page));
    const json::value* results = document->as_object().if_contains("results");
    if (!results || !results->is_array())
        co_return r->to_error(errc::content_error, "a page without a `results` list");
    const json::array& rows = results->as_array();
    std::size_t matched = rows.size();
    if (const json::value* count = document->as_object().if_contains("count"); count && count->is_uint64())
        matched = std::max<std::size_t>(matched, count->get_uint64());
    else if (count && count->is_int64() && count->get_int64() > 0)
        matched = std::max<std::size_t>(matched, static_cast<std::size_t>(count->get_int64()));
    if (matched > 1)
        co_return detail::endpoint_error(errc::ambiguous_result, *where,
                                         "get() matched " + std::to_string(matched) + " objects of " + where->key() +
                                             "; use filter() for several, or filters that match one");
    if (rows.empty())
        co_return std::optional<record>();
    std::vector<record> found = detail::records_of(where, document, rows);
    if (found.empty())
        co_return r->to_error(errc::content_error, "a page whose `results` are not objects");
    co_return std::optional<record>(std::move(found.front()));
}

asio::awaitable<result<std::size_t>> count_of(record_set set)
{
    co_return co_await set.try_count();
}

// --- single writes --------------------------------------------------------------------------------

asio::awaitable<result<record>> create_one(where_ptr where, payload body, request_options options)
{
    std::string path = where->list_path();
    query_params none;
    result<response> r = co_await detail::send(*where->scope, http_method::post, std::move(path), std::move(none),
                                               std::move(body), std::move(options));
    if (!r)
        co_return r.error();
    result<json::object> o = detail::object_of(*r, "the created object");
    if (!o)
        co_return o.error();
    co_return record(where, std::move(*o));
}

// --- bulk writes ----------------------------------------------------------------------------------

/// The objects of a bulk write and, for each, its index in the caller's input (records without
/// updates are left out, so the two may differ).
struct bulk_items {
    json::array objects;
    std::vector<std::size_t> input_index;

    void add(json::value object, std::size_t index)
    {
        objects.push_back(std::move(object));
        input_index.push_back(index);
    }
};

/// NetBox numbers the items of a failed bulk write within its request ("[2].name"); the caller
/// gave one list, so the numbers are turned into indices of that list.
void reindex_field_errors(error& e, const std::vector<std::size_t>& input_index, std::size_t batch_begin)
{
    for (field_error& f : e.field_errors) {
        if (f.field.size() < 3 || f.field.front() != '[')
            continue;
        const std::size_t close = f.field.find(']');
        if (close == std::string::npos)
            continue;
        std::size_t n = 0;
        auto [end, ec] = std::from_chars(f.field.data() + 1, f.field.data() + close, n);
        if (ec != std::errc() || end != f.field.data() + close || batch_begin + n >= input_index.size())
            continue;
        f.field = '[' + std::to_string(input_index[batch_begin + n]) + f.field.substr(close);
    }
}

asio::awaitable<result<bulk_result>> run_bulk(where_ptr where, http_method method, std::string verb, bulk_items items,
                                              write_options options)
{
    bulk_result out;
    const std::size_t total = items.objects.size();
    std::size_t size = options.batch_size != 0 ? options.batch_size : where->state().options.batch_size;
    if (size == 0)
        size = std::max<std::size_t>(total, 1);  // no limit configured: one request
    const std::size_t batches = (total + size - 1) / size;
    bool stopped = false;
    for (std::size_t b = 0; b < batches; ++b) {
        const std::size_t begin = b * size;
        const std::size_t end = std::min(total, begin + size);
        batch_report report;
        report.first = items.input_index[begin];
        report.size = end - begin;
        if (stopped) {
            report.skipped = true;
            out.batches.push_back(std::move(report));
            continue;
        }
        json::array batch;
        batch.reserve(end - begin);
        for (std::size_t i = begin; i < end; ++i)
            batch.push_back(std::move(items.objects[i]));
        payload body = json::value(std::move(batch));
        std::string path = where->list_path();
        query_params none;
        request_options request = options.request;
        result<response> r = co_await detail::send(*where->scope, method, std::move(path), std::move(none),
                                                   std::move(body), std::move(request));
        std::optional<error> failure;
        if (!r) {
            // Includes errc::maybe_committed: the client never repeats such a write, and neither do we.
            failure = r.error();
        } else if (method == http_method::delete_) {
            if (result<void> s = r->check_status(); !s)
                failure = s.error();
        } else if (result<json::value> v = detail::json_of(*r); !v) {
            failure = v.error();
        } else if (!v->is_array()) {
            failure = r->to_error(errc::content_error, "expected the written objects as a JSON list");
        } else {
            auto document = std::make_shared<const json::value>(std::move(*v));
            std::vector<record> written = detail::records_of(where, document, document->as_array());
            std::move(written.begin(), written.end(), std::back_inserter(out.records));
        }
        if (failure) {
            reindex_field_errors(*failure, items.input_index, begin);
            failure->message = verb + " " + where->list_path() + ": batch " + std::to_string(b + 1) + " of " +
                               std::to_string(batches) + " (" + std::to_string(report.size) +
                               " objects from input index " + std::to_string(report.first) + ") failed: " +
                               failure->message;
            report.failure = std::move(failure);
            stopped = options.stop_on_error;
        }
        out.batches.push_back(std::move(report));
    }
    co_return out;
}

asio::awaitable<result<bulk_result>> create_many(where_ptr where, json::array objects, write_options options)
{
    bulk_items items;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        if (!objects[i].is_object())
            co_return invalid(*where, "bulk create: item " + std::to_string(i) + " is not a JSON object");
        items.add(std::move(objects[i]), i);
    }
    co_return co_await run_bulk(std::move(where), http_method::post, "bulk create of", std::move(items),
                                std::move(options));
}

asio::awaitable<result<bulk_result>> update_records(where_ptr where, std::vector<record> records,
                                                    write_options options)
{
    // Every record is checked before anything is sent, so bad input writes nothing.
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (records[i].id() == 0)
            co_return invalid(*where, "bulk update: record " + std::to_string(i) + " has no id");
        if (foreign(records[i], *where))
            co_return invalid(*where, "bulk update: record " + std::to_string(i) + " belongs to " +
                                          records[i].endpoint_path());
    }
    bulk_items items;
    for (std::size_t i = 0; i < records.size(); ++i) {
        json::object changes = records[i].updates();
        if (changes.empty())
            continue;
        changes["id"] = records[i].id();
        items.add(std::move(changes), i);
    }
    co_return co_await run_bulk(std::move(where), http_method::patch, "bulk update of", std::move(items),
                                std::move(options));
}

bool has_integer_id(const json::value& v)
{
    const json::object* o = v.if_object();
    const json::value* id = o ? o->if_contains("id") : nullptr;
    return id && (id->is_int64() || id->is_uint64());
}

asio::awaitable<result<bulk_result>> update_objects(where_ptr where, json::array objects, write_options options)
{
    bulk_items items;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        if (!has_integer_id(objects[i]))
            co_return invalid(*where, "bulk update: item " + std::to_string(i) + " is not an object with an integer id");
        items.add(std::move(objects[i]), i);
    }
    co_return co_await run_bulk(std::move(where), http_method::patch, "bulk update of", std::move(items),
                                std::move(options));
}

asio::awaitable<result<bulk_result>> delete_ids(where_ptr where, std::vector<std::int64_t> ids, write_options options)
{
    bulk_items items;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (ids[i] <= 0)
            co_return invalid(*where, "bulk delete: id " + std::to_string(ids[i]) + " at index " + std::to_string(i) +
                                          " is not an object id");
        json::object o;
        o["id"] = ids[i];
        items.add(std::move(o), i);
    }
    co_return co_await run_bulk(std::move(where), http_method::delete_, "bulk delete of", std::move(items),
                                std::move(options));
}

result<std::vector<std::int64_t>> ids_of(const detail::endpoint_ref& where, const std::vector<record>& records)
{
    std::vector<std::int64_t> ids;
    ids.reserve(records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (records[i].id() == 0)
            return invalid(where, "bulk delete: record " + std::to_string(i) + " has no id");
        if (foreign(records[i], where))
            return invalid(where, "bulk delete: record " + std::to_string(i) + " belongs to " +
                                      records[i].endpoint_path());
        ids.push_back(records[i].id());
    }
    return ids;
}

asio::awaitable<result<bulk_result>> delete_set(where_ptr where, record_set set, write_options options)
{
    if (set.where() && (set.where()->app != where->app || set.where()->name != where->name))
        co_return invalid(*where, "bulk delete: the record set is of " + set.where()->key());
    result<std::vector<record>> members = co_await set.try_collect();
    if (!members)
        co_return members.error();
    result<std::vector<std::int64_t>> ids = ids_of(*where, *members);
    if (!ids)
        co_return ids.error();
    co_return co_await delete_ids(std::move(where), std::move(*ids), std::move(options));
}

asio::awaitable<result<bulk_result>> ready(result<bulk_result> r)
{
    co_return r;
}

// --- choices --------------------------------------------------------------------------------------

asio::awaitable<result<choice_map>> choices_of(where_ptr where)
{
    std::string path = where->list_path();
    if (std::shared_ptr<const choice_map> cached = where->state().cached_choices(path))
        co_return *cached;
    std::string target = path;
    query_params none;
    payload body;
    request_options options;
    result<response> r = co_await detail::send(*where->scope, http_method::options, std::move(target),
                                               std::move(none), std::move(body), std::move(options));
    if (!r)
        co_return r.error();
    result<json::object> metadata = detail::object_of(*r, "the OPTIONS metadata");
    if (!metadata)
        co_return metadata.error();
    // DRF describes POST and PUT only to a user allowed to use them.
    const json::value* actions = metadata->if_contains("actions");
    const json::value* fields = nullptr;
    if (actions && actions->is_object()) {
        fields = actions->as_object().if_contains("POST");
        if (!fields)
            fields = actions->as_object().if_contains("PUT");
    }
    if (!fields || !fields->is_object())
        co_return r->to_error(errc::content_error,
                              "the OPTIONS answer of " + path +
                                  " describes no POST or PUT action (the token may not be allowed to write here)");
    choice_map out;
    for (const auto& [name, meta] : fields->as_object()) {
        const json::value* list = meta.is_object() ? meta.as_object().if_contains("choices") : nullptr;
        if (!list || !list->is_array())
            continue;
        std::vector<choice> values;
        for (const json::value& item : list->as_array()) {
            const json::object* o = item.if_object();
            if (!o)
                continue;
            choice c;
            if (const json::value* v = o->if_contains("value"))
                c.value = *v;
            if (const json::value* d = o->if_contains("display_name"); d && d->is_string())
                c.display_name = std::string(d->as_string());
            values.push_back(std::move(c));
        }
        out.emplace(std::string(name), std::move(values));
    }
    auto shared = std::make_shared<const choice_map>(std::move(out));
    where->state().store_choices(path, shared);
    co_return *shared;
}

}  // namespace

// --- bulk_result --------------------------------------------------------------------------------------

bool bulk_result::ok() const noexcept
{
    return std::ranges::none_of(batches, [](const batch_report& b) { return b.failure.has_value() || b.skipped; });
}

const error* bulk_result::first_error() const noexcept
{
    for (const batch_report& b : batches)
        if (b.failure)
            return &*b.failure;
    return nullptr;
}

// --- endpoint -----------------------------------------------------------------------------------------

record_set endpoint::all(list_options options) const { return record_set(where_, filters(), std::move(options)); }

record_set endpoint::filter(filters query, list_options options) const
{
    return record_set(where_, std::move(query), std::move(options));
}

asio::awaitable<result<std::optional<record>>> endpoint::try_get(std::int64_t id, list_options options) const
{
    return get_by_id(where_, id, std::move(options));
}

asio::awaitable<std::optional<record>> endpoint::get(std::int64_t id, list_options options) const
{
    return detail::value_of(try_get(id, std::move(options)));
}

asio::awaitable<result<std::optional<record>>> endpoint::try_get(filters query, list_options options) const
{
    return get_by_filters(where_, std::move(query), std::move(options));
}

asio::awaitable<std::optional<record>> endpoint::get(filters query, list_options options) const
{
    return detail::value_of(try_get(std::move(query), std::move(options)));
}

asio::awaitable<result<std::size_t>> endpoint::try_count(filters query, list_options options) const
{
    return count_of(record_set(where_, std::move(query), std::move(options)));
}

asio::awaitable<std::size_t> endpoint::count(filters query, list_options options) const
{
    return detail::value_of(try_count(std::move(query), std::move(options)));
}

asio::awaitable<result<record>> endpoint::try_create(json::object object, request_options options) const
{
    return create_one(where_, payload(json::value(std::move(object))), std::move(options));
}

asio::awaitable<record> endpoint::create(json::object object, request_options options) const
{
    return detail::value_of(try_create(std::move(object), std::move(options)));
}

asio::awaitable<result<record>> endpoint::try_create(json::object fields, std::vector<file_part> files,
                                                     request_options options) const
{
    multipart_form form;
    for (const auto& [name, value] : fields)
        form.add_field(std::string(name), form_text(value));
    for (file_part& f : files)
        form.add_file(std::move(f));
    return create_one(where_, payload(std::move(form)), std::move(options));
}

asio::awaitable<record> endpoint::create(json::object fields, std::vector<file_part> files,
                                         request_options options) const
{
    return detail::value_of(try_create(std::move(fields), std::move(files), std::move(options)));
}

asio::awaitable<result<bulk_result>> endpoint::try_create(json::array objects, write_options options) const
{
    return create_many(where_, std::move(objects), std::move(options));
}

asio::awaitable<bulk_result> endpoint::create(json::array objects, write_options options) const
{
    return detail::bulk_value_of(try_create(std::move(objects), std::move(options)));
}

asio::awaitable<result<bulk_result>> endpoint::try_update(std::vector<record> records, write_options options) const
{
    return update_records(where_, std::move(records), std::move(options));
}

asio::awaitable<bulk_result> endpoint::update(std::vector<record> records, write_options options) const
{
    return detail::bulk_value_of(try_update(std::move(records), std::move(options)));
}

asio::awaitable<result<bulk_result>> endpoint::try_update(json::array objects, write_options options) const
{
    return update_objects(where_, std::move(objects), std::move(options));
}

asio::awaitable<bulk_result> endpoint::update(json::array objects, write_options options) const
{
    return detail::bulk_value_of(try_update(std::move(objects), std::move(options)));
}

asio::awaitable<result<bulk_result>> endpoint::try_delete(std::vector<std::int64_t> ids, write_options options) const
{
    return delete_ids(where_, std::move(ids), std::move(options));
}

asio::awaitable<bulk_result> endpoint::delete_(std::vector<std::int64_t> ids, write_options options) const
{
    return detail::bulk_value_of(try_delete(std::move(ids), std::move(options)));
}

asio::awaitable<result<bulk_result>> endpoint::try_delete(const std::vector<record>& records,
                                                          write_options options) const
{
    result<std::vector<std::int64_t>> ids = ids_of(*where_, records);
    if (!ids)
        return ready(ids.error());
    return delete_ids(where_, std::move(*ids), std::move(options));
}

asio::awaitable<bulk_result> endpoint::delete_(const std::vector<record>& records, write_options options) const
{
    return detail::bulk_value_of(try_delete(records, std::move(options)));
}

asio::awaitable<result<bulk_result>> endpoint::try_delete(const record_set& set, write_options options) const
{
    return delete_set(where_, set, std::move(options));
}

asio::awaitable<bulk_result> endpoint::delete_(const record_set& set, write_options options) const
{
    return detail::bulk_value_of(try_delete(set, std::move(options)));
}

asio::awaitable<result<choice_map>> endpoint::try_choices() const { return choices_of(where_); }

asio::awaitable<choice_map> endpoint::choices() const { return detail::value_of(try_choices()); }

detail_endpoint endpoint::detail(std::int64_t id, std::string name) const
{
    return detail_endpoint(where_, id, std::move(name));
}

std::string endpoint::path() const { return where_->list_path(); }

std::string_view endpoint::app_path() const noexcept { return where_->app; }

std::string_view endpoint::name() const noexcept { return where_->name; }

}  // namespace netbox
