// Scans of the dynamic facade: what a record_stream holds, and the splitting of queries whose
// request target would be too long (HTTP 414).
#pragma once

#include "dynamic/state.hpp"

#include <netbox/dynamic/endpoint.hpp>

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace netbox::detail {

class scan_core;

/// What a record_stream owns: the scan's shared state. Destroying it cancels the requests still in
/// flight (the cancellation runs on the scan's strand).
class record_stream_impl {
public:
    explicit record_stream_impl(std::shared_ptr<scan_core> core) noexcept : core_(std::move(core)) {}
    ~record_stream_impl();
    record_stream_impl(const record_stream_impl&) = delete;
    record_stream_impl& operator=(const record_stream_impl&) = delete;

    /// The next page (duplicates dropped), nullopt at the end. Runs on the scan's strand and
    /// resumes the caller on its own executor.
    boost::asio::awaitable<result<std::optional<std::vector<record>>>> next_page();
    /// Only read between next_page() calls: the strand writes it while a call is pending.
    const scan_report& report() const noexcept;

private:
    std::shared_ptr<scan_core> core_;
};

std::shared_ptr<record_stream_impl> make_scan(std::shared_ptr<const endpoint_ref> where, filters query,
                                              list_options options);

// --- URL length (split.cpp) ---------------------------------------------------------------------

/// Length of `text` once percent-encoded the way the client encodes query keys and values (every
/// byte outside the unreserved set becomes three).
std::size_t encoded_length(std::string_view text) noexcept;

/// Length of the request target (base URL path prefix, list path, encoded query) of a list GET.
std::size_t request_target_length(const endpoint_ref& where, const query_params& query);

/// The filter sets of the requests a query must be split into so that every request target, with
/// what any paginator adds (limit, offset, start, ordering, id bounds), stays within
/// api_options::max_url_length: one set when the query fits, else the filter with the most values
/// split into chunks (the union of the chunks' results is the query's result). `options` shapes the
/// query as list_query() does. errc::invalid_argument when no split makes the requests fit.
result<std::vector<filters>> split_filters(const endpoint_ref& where, const filters& query,
                                           const list_options& options);

}  // namespace netbox::detail
