// netbox-cpp: endpoints, record sets and record streams of the dynamic facade
// (docs/dynamic.md#endpoints).
#pragma once

#include <netbox/dynamic/options.hpp>
#include <netbox/dynamic/record.hpp>
#include <netbox/multipart.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace netbox {

namespace detail {
class record_stream_impl;
}

class record_set;

/// One batch of a bulk write.
struct batch_report {
    std::size_t first = 0;         ///< index of its first object in the input
    std::size_t size = 0;
    std::optional<error> failure;  ///< empty when the batch was written
    bool skipped = false;          ///< not sent, because an earlier batch failed (stop_on_error)
};

/// The outcome of a bulk write split into batches. NetBox applies each batch all or none.
struct bulk_result {
    std::vector<record> records;        ///< the server's answers of the written batches, in order
    std::vector<batch_report> batches;

    bool ok() const noexcept;
    /// The first failed batch's error, or null.
    const error* first_error() const noexcept;
};

/// A value of a choice field as OPTIONS lists it.
struct choice {
    boost::json::value value;  ///< "active", or an integer for some fields
    std::string display_name;  ///< "Active"
};

/// Field name → its choices (`status`, `type`, ...).
using choice_map = std::map<std::string, std::vector<choice>, std::less<>>;

/// The records of a scan, delivered as their pages arrive. Memory stays bounded by the pages in
/// flight (list_options::concurrency, plus one being consumed). Move-only; destroying it cancels
/// the requests still in flight.
class record_stream {
public:
    record_stream(record_stream&&) noexcept;
    record_stream& operator=(record_stream&&) noexcept;
    ~record_stream();

    /// The next record, or nullopt at the end. After an error the stream is finished.
    boost::asio::awaitable<result<std::optional<record>>> try_next();
    boost::asio::awaitable<std::optional<record>> next();
    /// The next whole page of records, or nullopt at the end.
    boost::asio::awaitable<result<std::optional<std::vector<record>>>> try_next_page();

    /// Pages, records, duplicates dropped and counts seen so far.
    const scan_report& report() const noexcept;

private:
    friend class record_set;
    explicit record_stream(std::shared_ptr<detail::record_stream_impl> impl);
    std::shared_ptr<detail::record_stream_impl> impl_;
    std::vector<record> page_;
    std::size_t position_ = 0;
};

/// A lazy query: an endpoint, filters and list options. Nothing is sent until it is streamed,
/// collected or counted; each of those runs the query anew.
class record_set {
public:
    record_set(std::shared_ptr<const detail::endpoint_ref> where, filters query, list_options options);

    record_stream stream() const;
    boost::asio::awaitable<result<std::vector<record>>> try_collect() const;
    boost::asio::awaitable<std::vector<record>> collect() const;
    /// `count` of a one-row brief page; no records are fetched.
    boost::asio::awaitable<result<std::size_t>> try_count() const;
    boost::asio::awaitable<std::size_t> count() const;
    /// Sets `fields` on every record of the set and bulk-PATCHes the records that changed.
    boost::asio::awaitable<result<bulk_result>> try_update(boost::json::object fields, write_options options = write_options()) const;
    boost::asio::awaitable<bulk_result> update(boost::json::object fields, write_options options = write_options()) const;
    /// Bulk-DELETEs every record of the set.
    boost::asio::awaitable<result<bulk_result>> try_delete(write_options options = write_options()) const;
    boost::asio::awaitable<bulk_result> delete_(write_options options = write_options()) const;

    const filters& query() const noexcept { return query_; }
    const list_options& options() const noexcept { return options_; }
    const std::shared_ptr<const detail::endpoint_ref>& where() const noexcept { return where_; }

private:
    std::shared_ptr<const detail::endpoint_ref> where_;
    filters query_;
    list_options options_;
};

/// One list endpoint (`/api/dcim/devices/`), the way pynetbox's Endpoint is.
///
/// Default arguments are spelled `T()`, never `{}`: GCC 12 moves a `{}` default argument of a call
/// inside `co_await` bitwise, which breaks short strings (list_options::ordering) when it is freed.
class endpoint {
public:
    endpoint(std::shared_ptr<const detail::endpoint_ref> where) : where_(std::move(where)) {}

    record_set all(list_options options = list_options()) const;
    record_set filter(filters query, list_options options = list_options()) const;

    /// GET of one object; nullopt on 404.
    boost::asio::awaitable<result<std::optional<record>>> try_get(std::int64_t id, list_options options = list_options()) const;
    boost::asio::awaitable<std::optional<record>> get(std::int64_t id, list_options options = list_options()) const;
    /// The one object matching `query`; nullopt when none, errc::ambiguous_result when several.
    boost::asio::awaitable<result<std::optional<record>>> try_get(filters query, list_options options = list_options()) const;
    boost::asio::awaitable<std::optional<record>> get(filters query, list_options options = list_options()) const;
    /// How many objects match, from `count` of a one-row brief page.
    boost::asio::awaitable<result<std::size_t>> try_count(filters query = filters(), list_options options = list_options()) const;
    boost::asio::awaitable<std::size_t> count(filters query = filters(), list_options options = list_options()) const;

    /// POST one object.
    boost::asio::awaitable<result<record>> try_create(boost::json::object object, request_options options = request_options()) const;
    boost::asio::awaitable<record> create(boost::json::object object, request_options options = request_options()) const;
    /// POST with files as multipart/form-data (image attachments); JSON scalars become form fields.
    boost::asio::awaitable<result<record>> try_create(boost::json::object fields, std::vector<file_part> files,
                                                      request_options options = request_options()) const;
    boost::asio::awaitable<record> create(boost::json::object fields, std::vector<file_part> files,
                                          request_options options = request_options()) const;
    /// Bulk POST, in batches.
    boost::asio::awaitable<result<bulk_result>> try_create(boost::json::array objects, write_options options = write_options()) const;
    boost::asio::awaitable<bulk_result> create(boost::json::array objects, write_options options = write_options()) const;

    /// Bulk PATCH: records send their updates() (unchanged ones are skipped), objects are sent as
    /// given and must carry an `id`.
    boost::asio::awaitable<result<bulk_result>> try_update(std::vector<record> records, write_options options = write_options()) const;
    boost::asio::awaitable<bulk_result> update(std::vector<record> records, write_options options = write_options()) const;
    boost::asio::awaitable<result<bulk_result>> try_update(boost::json::array objects, write_options options = write_options()) const;
    boost::asio::awaitable<bulk_result> update(boost::json::array objects, write_options options = write_options()) const;

    /// Bulk DELETE (`[{"id": n}, ...]`), in batches.
    boost::asio::awaitable<result<bulk_result>> try_delete(std::vector<std::int64_t> ids, write_options options = write_options()) const;
    boost::asio::awaitable<bulk_result> delete_(std::vector<std::int64_t> ids, write_options options = write_options()) const;
    boost::asio::awaitable<result<bulk_result>> try_delete(const std::vector<record>& records,
                                                           write_options options = write_options()) const;
    boost::asio::awaitable<bulk_result> delete_(const std::vector<record>& records, write_options options = write_options()) const;
    boost::asio::awaitable<result<bulk_result>> try_delete(const record_set& set, write_options options = write_options()) const;
    boost::asio::awaitable<bulk_result> delete_(const record_set& set, write_options options = write_options()) const;

    /// The choices of the endpoint's fields, from OPTIONS (POST, else PUT); memoized per api.
    boost::asio::awaitable<result<choice_map>> try_choices() const;
    boost::asio::awaitable<choice_map> choices() const;

    /// A detail endpoint of object `id` by URL name ("available-ips").
    detail_endpoint detail(std::int64_t id, std::string name) const;

    /// "/api/dcim/devices/"
    std::string path() const;
    /// "dcim", "plugins/gpon"
    std::string_view app_path() const noexcept;
    /// "devices"
    std::string_view name() const noexcept;
    const std::shared_ptr<const detail::endpoint_ref>& where() const noexcept { return where_; }

private:
    std::shared_ptr<const detail::endpoint_ref> where_;
};

}  // namespace netbox
