// netbox-cpp: filters and per-call options of the dynamic facade (docs/dynamic.md).
// Free of Asio and Beast.
#pragma once

#include <netbox/error.hpp>
#include <netbox/options.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netbox {

/// One value of a filter, as the query text NetBox expects: strings as given, integers in decimal,
/// booleans as `true`/`false`, nullptr as `null` (NetBox's "is empty" value).
class filter_value {
public:
    filter_value(const char* text) : text_(text) {}
    filter_value(std::string text) : text_(std::move(text)) {}
    filter_value(std::string_view text) : text_(text) {}
    filter_value(std::nullptr_t) : text_("null") {}
    filter_value(bool b) : text_(b ? "true" : "false") {}
    template <std::integral T>
        requires(!std::same_as<T, bool> && !std::same_as<T, char>)
    filter_value(T n) : text_(std::to_string(n)) {}

    const std::string& text() const noexcept { return text_; }
    std::string&& take() && noexcept { return std::move(text_); }

private:
    std::string text_;
};

/// A keyword filter: `{"site", "lon"}`, `{"status", {"active", "planned"}}` (repeated, NetBox ORs
/// them), `{"tenant", nullptr}`, `{"name__ic", "core"}`, `{"q", "edge"}`, `{"cf_owner", "ops"}`.
struct filter {
    std::string name;
    std::vector<std::string> values;

    filter(std::string name, filter_value value);
    filter(std::string name, std::initializer_list<filter_value> values);
    filter(std::string name, std::vector<std::string> values);
};

using filters = std::vector<filter>;

/// How a scan walks the pages (docs/dynamic.md#pagination).
enum class pagination {
    /// cursor on NetBox 4.6+ when neither `ordering` nor `offset` is given and concurrency is 1;
    /// offset otherwise.
    automatic,
    /// limit/offset pages: with concurrency 1 the next page is requested while the current one is
    /// consumed; with more, up to `concurrency` pages are in flight and still come out in order.
    offset,
    /// `ordering=id` and `id__gt=<last id>`: no duplicates or skipped rows under concurrent writes
    /// (4.3+); records come out by id.
    keyset,
    /// NetBox 4.6 `start=` cursor pages (falls back to keyset before 4.6).
    cursor,
    /// keyset over `concurrency` id ranges (`id__gte`/`id__lt`, bounds from min/max id probes),
    /// scanned in parallel; records come out by id within a range, ranges interleaved by page.
    sharded_keyset,
};

/// What a scan does when offset pages overlap (an id seen twice) or the count changes mid-scan.
enum class integrity_policy {
    report,  ///< drop the repeated records, carry on, and say so in record_stream::report()
    fail,    ///< end the scan with errc::inconsistent_pagination
};

/// Options of a list call (all(), filter(), a record set).
struct list_options {
    bool brief = false;                 ///< `brief=1`: NetBox's brief representation
    std::vector<std::string> fields;    ///< `fields=a,b`: only these top-level fields (NetBox 4.0+)
    std::vector<std::string> omit;      ///< `omit=a,b`: all but these (NetBox 4.5.2+)
    std::vector<std::string> exclude;   ///< `exclude=config_context`
    std::optional<std::size_t> limit;   ///< page size; 0 = the server's MAX_PAGE_SIZE (api default)
    /// Only the one page at this offset (needs a positive `limit`), as pynetbox does.
    std::optional<std::size_t> offset;
    std::string ordering;               ///< `ordering=-name,id`
    std::optional<bool> strict_filters; ///< overrides api_options::strict_filters
    pagination mode = pagination::automatic;
    /// Pages in flight (offset) or id ranges (sharded_keyset). 0 = api_options::concurrency.
    std::size_t concurrency = 0;
    /// Concurrency 1: request the next page while the current one is consumed.
    bool prefetch = true;
    /// Offset scans: pages requested this many at a time on one keep-alive connection, written
    /// before their answers are read (HTTP/1.1 pipelining); with concurrency N, N connections each
    /// do so. At most concurrency × depth pages are in flight or waiting. 0 =
    /// api_options::pipeline_depth; 1 = no pipelining. Capped by the client's
    /// pool_options::max_pipeline_depth.
    std::size_t pipeline_depth = 0;
    integrity_policy integrity = integrity_policy::report;
    request_options request;            ///< timeouts, extra headers
};

/// Options of writes that may be split (bulk create/update/delete).
struct write_options {
    std::size_t batch_size = 0;           ///< objects per request; 0 = api_options::batch_size
    bool stop_on_error = true;            ///< false: try the later batches after a failed one
    request_options request;
};

/// What a scan found out about the consistency of its pages.
struct scan_report {
    std::size_t pages = 0;
    std::size_t records = 0;                ///< yielded
    std::size_t duplicates_dropped = 0;     ///< records whose id an earlier page had already yielded
    std::optional<std::size_t> first_count; ///< `count` of the first page (offset modes)
    std::optional<std::size_t> last_count;  ///< `count` of the last page (offset modes)
    pagination mode = pagination::automatic;///< the mode actually used
    std::size_t url_splits = 1;             ///< queries the filters were split into (URL length)

    bool count_changed() const noexcept { return first_count && last_count && *first_count != *last_count; }
    bool consistent() const noexcept { return duplicates_dropped == 0 && !count_changed(); }
};

}  // namespace netbox
