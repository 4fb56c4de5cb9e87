// Scans: record_stream and record_set (docs/dynamic.md#pagination).
//
// A scan's state lives on a strand of its own. The consumer's next_page() runs take() there and is
// resumed on its own executor; each page request is a coroutine spawned on the strand with a
// cancellation signal of the scan, whose completion stores the page and wakes the consumer. Nothing
// runs in the background but those requests, and how many are in flight follows the mode:
// - sequential (offset following `next`, keyset, cursor): one, the next page requested as soon as
//   the current one is handed out (list_options::prefetch), so at most a page in flight and one
//   being consumed;
// - concurrent offset: a window of at most `concurrency` pages, in flight or waiting, handed out in
//   page order; a page taken frees its place for the next offset;
// - pipelined offset (pipeline depth > 1, any concurrency): the same window, of at most
//   `concurrency` × depth pages, filled by batches of up to depth pages, each batch written at
//   once on one connection and its answers read in order (client_impl::execute_pipelined); at
//   most `concurrency` batches at a time, one per connection;
// - sharded keyset: one keyset walk per id range, each with at most one page in flight or waiting.
// The stream's destructor posts shutdown() to the strand, which cancels what is still in flight.
#include "dynamic/stream.hpp"

#include "client/client_impl.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <charconv>
#include <deque>
#include <exception>
#include <functional>
#include <iterator>
#include <limits>
#include <list>
#include <unordered_map>
#include <unordered_set>

namespace netbox {

namespace asio = boost::asio;
namespace json = boost::json;

namespace detail {

namespace {

using where_ptr = std::shared_ptr<const endpoint_ref>;

/// One page as the scan needs it: the records (aliasing the parsed document) and the envelope.
struct page {
    std::vector<record> records;
    std::optional<std::size_t> count;  ///< null in cursor mode
    std::string next;                  ///< "" when null
    std::size_t size = 0;              ///< length of `results`
    std::int64_t last_id = 0;          ///< id of the last object of `results`, 0 when none
};

struct request_spec {
    std::string path;
    query_params query;
};

/// The outcome of one page request, once it has arrived.
struct fetch {
    std::optional<result<page>> outcome;
    bool ready() const noexcept { return outcome.has_value(); }
};
using fetch_ptr = std::shared_ptr<fetch>;

bool has_cursor_pages(const model::api* m)
{
    if (!m)
        return false;
    const auto line = release_line(m->version);
    return line && *line >= std::pair{4, 6};
}

std::optional<std::size_t> size_of(const json::value* v)
{
    if (!v)
        return std::nullopt;
    if (const std::uint64_t* u = v->if_uint64())
        return static_cast<std::size_t>(*u);
    if (const std::int64_t* i = v->if_int64(); i && *i >= 0)
        return static_cast<std::size_t>(*i);
    return std::nullopt;
}

std::int64_t id_of(const json::value& v)
{
    const json::object* o = v.if_object();
    const json::value* id = o ? o->if_contains("id") : nullptr;
    if (!id)
        return 0;
    if (const std::int64_t* i = id->if_int64())
        return *i;
    if (const std::uint64_t* u = id->if_uint64())
        return static_cast<std::int64_t>(*u);
    return 0;
}

/// A parsed page and the buffer it lives in. The value uses the buffer through a plain (not
/// reference-counted) storage pointer: a monotonic buffer frees nothing, so the value's destructor
/// skips walking the tree, which costs thousands of instructions per record otherwise.
struct page_document {
    // The value is move-constructed from the parse (assignment would copy it into the
    // destination's default storage). NetBox's pages parse into about three times their size:
    // one block instead of doublings.
    page_document(std::string_view body, boost::system::error_code& ec, const json::parse_options& options)
        : buffer(body.size() * 3 + 1024), value(json::parse(body, ec, json::storage_ptr(&buffer), options))
    {
    }
    json::monotonic_resource buffer;
    json::value value;  // after `buffer`: built after it, destroyed before it
};

/// A page from a list answer: 2xx, JSON, `{count, next, results}`. The document is parsed into one
/// monotonic buffer that the records share; nothing is copied per record.
result<page> parse_page(const where_ptr& where, const response& r)
{
    if (auto status = r.check_status(); !status)
        return status.error();
    if (auto type = r.header("Content-Type")) {
        std::string_view media = type->substr(0, type->find(';'));
        while (!media.empty() && media.back() == ' ')
            media.remove_suffix(1);
        const auto lower = [](char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); };
        std::string m;
        std::ranges::transform(media, std::back_inserter(m), lower);
        if (m != "application/json" && !m.ends_with("+json"))
            return r.to_error(errc::content_error, "a list page is not JSON (Content-Type: " + m + ")");
    }
    json::parse_options parse_options;
    parse_options.max_depth = 512;  // config contexts and JSON fields nest deeply
    boost::system::error_code ec;
    auto holder = std::make_shared<page_document>(r.body, ec, parse_options);
    if (ec)
        return r.to_error(errc::content_error, "a list page is not valid JSON: " + ec.message());
    const std::shared_ptr<const json::value> document(holder, &holder->value);

    const json::object* envelope = document->if_object();
    const json::value* results = envelope ? envelope->if_contains("results") : nullptr;
    const json::value* next = envelope ? envelope->if_contains("next") : nullptr;
    const json::value* count = envelope ? envelope->if_contains("count") : nullptr;
    if (!results || !results->is_array() || !next || !(next->is_string() || next->is_null()) || !count ||
        !(count->is_null() || size_of(count)))
        return r.to_error(errc::content_error, "expected a page {count, next, results} from " + where->list_path());

    page p;
    const json::array& objects = results->get_array();
    p.records = records_of(where, document, objects);
    p.count = size_of(count);
    if (next->is_string())
        p.next = next->get_string();
    p.size = objects.size();
    if (!objects.empty())
        p.last_id = id_of(objects.back());
    return p;
}

asio::awaitable<result<page>> fetch_page(where_ptr where, request_spec spec, request_options options)
{
    payload none;
    result<response> r = co_await send(*where->scope, http_method::get, std::move(spec.path), std::move(spec.query),
                                       std::move(none), std::move(options));
    if (!r)
        co_return r.error();
    co_return parse_page(where, *r);
}

/// The pages of one pipelined batch: `into[i]` gets the outcome of `specs[i]` as soon as its answer
/// is read (then `arrived()`), parsed while the next answers arrive.
asio::awaitable<void> fetch_pipelined(where_ptr where, std::vector<request_spec> specs, request_options options,
                                      std::vector<fetch_ptr> into, std::function<void()> arrived)
{
    // What send() adds to a single request.
    const api_scope& scope = *where->scope;
    if (!scope.branch.empty() && !options.headers.contains("X-NetBox-Branch"))
        options.headers.set("X-NetBox-Branch", scope.branch);
    std::vector<pipelined_get> items;
    items.reserve(specs.size());
    for (request_spec& spec : specs)
        items.push_back(pipelined_get{std::move(spec.path), std::move(spec.query)});
    const pipelined_handler on_answer = [&](std::size_t i, result<response> r) {
        if (r) {
            where->state().note_version(r->api_version());
            into[i]->outcome.emplace(parse_page(where, *r));
        } else {
            into[i]->outcome.emplace(std::move(r.error()));
        }
        arrived();
    };
    const std::shared_ptr<client_impl> impl = impl_of(where->state().http);
    co_await impl->execute_pipelined(std::move(items), std::move(options), on_answer);
}

/// The filter's values as ids; nullopt when one is not a number.
std::optional<std::vector<std::int64_t>> ids_in(const filter& f)
{
    std::vector<std::int64_t> out;
    for (const std::string& v : f.values) {
        std::int64_t n = 0;
        auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
        if (ec != std::errc() || p != v.data() + v.size())
            return std::nullopt;
        out.push_back(n);
    }
    return out;
}

filters without(const filters& query, std::initializer_list<std::string_view> names)
{
    filters out;
    for (const filter& f : query)
        if (std::ranges::find(names, f.name) == names.end())
            out.push_back(f);
    return out;
}

}  // namespace

// --- the scan -----------------------------------------------------------------------------------------

class scan_core : public std::enable_shared_from_this<scan_core> {
public:
    using strand_type = asio::strand<asio::any_io_executor>;

    scan_core(where_ptr where, filters query, list_options options)
        : strand(asio::make_strand(where->state().http.get_executor())),
          where_(std::move(where)),
          query_(std::move(query)),
          options_(std::move(options)),
          wake_(strand)
    {
    }

    /// The next page for the consumer. On the strand.
    asio::awaitable<result<std::optional<std::vector<record>>>> take();
    /// Cancels what is in flight and ends the scan. On the strand.
    void shutdown();

    const strand_type strand;
    scan_report report;

private:
    enum class walk { single, sequential, window, sharded };

    struct range {
        std::int64_t low = 0;   ///< id__gte
        std::int64_t high = 0;  ///< id__lt
        fetch_ptr pending;      ///< the page in flight or waiting
    };

    struct cancel_slot {
        asio::cancellation_signal signal;
        bool done = false;
    };

    asio::awaitable<result<void>> plan();
    void start_chunk(std::size_t index);
    asio::awaitable<result<std::optional<page>>> take_page();
    asio::awaitable<result<std::optional<page>>> take_single();
    asio::awaitable<result<std::optional<page>>> take_sequential();
    asio::awaitable<result<std::optional<page>>> take_window();
    asio::awaitable<result<std::optional<page>>> take_sharded();
    result<std::vector<record>> accept(page p);

    /// Spawns the request of one page on the strand.
    fetch_ptr start(request_spec spec);
    /// Spawns one pipelined batch of pages on the strand (one connection).
    std::vector<fetch_ptr> start_batch(std::vector<request_spec> specs);
    /// Window walk: requests the next offsets while the window and the connections allow.
    void refill_window();
    request_spec offset_request(std::size_t offset) const;
    /// Waits until `ready()` (checked on the strand, between wake-ups by arriving pages).
    template <class Ready>
    asio::awaitable<result<void>> wait_until(Ready ready);
    error fail(error e);
    error invalid(std::string message) const
    {
        return endpoint_error(errc::invalid_argument, *where_, std::move(message));
    }
    error inconsistent(std::string message) const
    {
        return endpoint_error(errc::inconsistent_pagination, *where_, std::move(message));
    }

    request_spec list_request(query_params extra) const;
    request_spec keyset_request(std::optional<std::int64_t> after, const range* within) const;
    result<std::optional<request_spec>> following(const page& p, std::int64_t previous_last) const;
    bool offset_walk() const noexcept { return mode_ == pagination::offset; }

    where_ptr where_;
    filters query_;
    list_options options_;
    asio::steady_timer wake_;
    std::list<cancel_slot> cancels_;
    bool planned_ = false;
    bool finished_ = false;
    bool stopped_ = false;

    // The plan.
    pagination mode_ = pagination::automatic;
    walk walk_ = walk::sequential;
    std::size_t concurrency_ = 1;
    std::size_t depth_ = 1;                 ///< pages per pipelined batch; 1: no pipelining
    std::size_t batches_in_flight_ = 0;     ///< pipelined batches not finished (of any chunk)
    std::string limit_;                     ///< the `limit` sent (0: the server's maximum)
    list_options query_options_;            ///< options_ as list_query() gets them
    std::optional<std::int64_t> id_floor_;  ///< the user's id__gt, folded into keyset's own
    std::vector<filters> chunks_;
    std::size_t chunk_ = 0;
    bool dedupe_ = false;

    // The current chunk.
    filters chunk_filters_;  ///< the chunk's filters, paginator-owned id bounds removed
    query_params base_;      ///< list_query() of chunk_filters_
    std::optional<request_spec> next_;  ///< sequential: the next request, not yet sent
    fetch_ptr pending_;                 ///< sequential: the page in flight or waiting
    std::int64_t last_id_ = 0;          ///< keyset: the last id handed out
    bool first_sent_ = false;           ///< single, window, sharded: the first request(s) made
    std::deque<fetch_ptr> window_;      ///< window: pages in flight or waiting, in page order
    std::size_t page_size_ = 0;         ///< window: len(results) of the first page
    std::size_t next_offset_ = 0;
    std::size_t known_count_ = 0;
    std::vector<range> ranges_;  ///< sharded
    std::optional<std::size_t> chunk_first_count_;

    // What was handed out: id → chunk that yielded it (dedupe_ only).
    std::unordered_map<std::int64_t, std::size_t> seen_;
    std::vector<std::optional<std::size_t>> first_counts_, last_counts_;  ///< per chunk
};

fetch_ptr scan_core::start(request_spec spec)
{
    std::erase_if(cancels_, [](const cancel_slot& c) { return c.done; });
    cancel_slot& slot = cancels_.emplace_back();
    auto f = std::make_shared<fetch>();
    asio::co_spawn(strand, fetch_page(where_, std::move(spec), options_.request),
                   asio::bind_cancellation_slot(
                       slot.signal.slot(),
                       [self = shared_from_this(), f, done = &slot.done](std::exception_ptr e, result<page> r) {
                           *done = true;
                           if (e)
                               f->outcome.emplace(make_error(errc::cancelled, "a page request failed unexpectedly"));
                           else
                               f->outcome.emplace(std::move(r));
                           self->wake_.cancel();
                       }));
    return f;
}

std::vector<fetch_ptr> scan_core::start_batch(std::vector<request_spec> specs)
{
    std::erase_if(cancels_, [](const cancel_slot& c) { return c.done; });
    cancel_slot& slot = cancels_.emplace_back();
    std::vector<fetch_ptr> pages;
    for (std::size_t i = 0; i < specs.size(); ++i)
        pages.push_back(std::make_shared<fetch>());
    ++batches_in_flight_;
    std::function<void()> arrived = [self = shared_from_this()] { self->wake_.cancel(); };
    asio::co_spawn(strand, fetch_pipelined(where_, std::move(specs), options_.request, pages, std::move(arrived)),
                   asio::bind_cancellation_slot(
                       slot.signal.slot(), [self = shared_from_this(), pages, done = &slot.done](std::exception_ptr) {
                           *done = true;
                           --self->batches_in_flight_;
                           for (const fetch_ptr& f : pages)
                               if (!f->ready())  // only when the batch threw
                                   f->outcome.emplace(make_error(errc::cancelled, "a page request failed unexpectedly"));
                           self->refill_window();  // a connection is free
                           self->wake_.cancel();
                       }));
    return pages;
}

request_spec scan_core::offset_request(std::size_t offset) const
{
    query_params extra;
    extra.emplace_back("limit", std::to_string(page_size_));
    extra.emplace_back("offset", std::to_string(offset));
    return list_request(std::move(extra));
}

void scan_core::refill_window()
{
    if (stopped_)
        return;
    const std::size_t cap = concurrency_ * depth_;
    while (window_.size() < cap && next_offset_ < known_count_) {
        if (depth_ <= 1) {
            window_.push_back(start(offset_request(next_offset_)));
            next_offset_ += page_size_;
            continue;
        }
        if (batches_in_flight_ >= concurrency_)
            return;
        // As many pages as the depth, the window and the count allow: a consumer that lags
        // behind gets smaller batches rather than more pages held.
        std::vector<request_spec> specs;
        while (specs.size() < depth_ && window_.size() + specs.size() < cap && next_offset_ < known_count_) {
            specs.push_back(offset_request(next_offset_));
            next_offset_ += page_size_;
        }
        for (fetch_ptr& f : start_batch(std::move(specs)))
            window_.push_back(std::move(f));
    }
}

template <class Ready>
asio::awaitable<result<void>> scan_core::wait_until(Ready ready)
{
    while (!ready()) {
        if (stopped_)
            co_return make_error(errc::cancelled, "the scan was cancelled");
        wake_.expires_at(asio::steady_timer::time_point::max());
        co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
        const asio::cancellation_state cs = co_await asio::this_coro::cancellation_state;
        if (cs.cancelled() != asio::cancellation_type::none)
            co_return make_error(errc::cancelled, "cancelled while waiting for a page");
    }
    co_return result<void>{};
}

void scan_core::shutdown()
{
    stopped_ = true;
    finished_ = true;
    for (cancel_slot& c : cancels_)
        if (!c.done)
            c.signal.emit(asio::cancellation_type::terminal);
    // Pages that arrived but were never taken are dropped now rather than with the last request.
    pending_.reset();
    window_.clear();
    ranges_.clear();
    wake_.cancel();
}

error scan_core::fail(error e)
{
    shutdown();
    return e;
}

request_spec scan_core::list_request(query_params extra) const
{
    request_spec spec{where_->list_path(), base_};
    spec.query.insert(spec.query.end(), std::make_move_iterator(extra.begin()), std::make_move_iterator(extra.end()));
    return spec;
}

request_spec scan_core::keyset_request(std::optional<std::int64_t> after, const range* within) const
{
    request_spec spec{where_->list_path(), base_};
    spec.query.emplace_back("ordering", "id");
    spec.query.emplace_back("limit", limit_);
    if (within) {
        spec.query.emplace_back("id__gte", std::to_string(within->low));
        spec.query.emplace_back("id__lt", std::to_string(within->high));
    } else if (id_floor_ && (!after || *after < *id_floor_)) {
        after = id_floor_;
    }
    if (after)
        spec.query.emplace_back("id__gt", std::to_string(*after));
    return spec;
}

/// The request after page `p` of a sequential walk, or nullopt after the last page.
result<std::optional<request_spec>> scan_core::following(const page& p, std::int64_t previous_last) const
{
    if (p.next.empty() || p.size == 0)
        return std::optional<request_spec>();
    if (mode_ == pagination::keyset) {
        // A page that does not move past the last id would be asked for again and again.
        if (p.last_id == 0 || p.last_id <= previous_last)
            return endpoint_error(errc::content_error, *where_, "a keyset page does not end with a larger id");
        return std::optional<request_spec>(keyset_request(p.last_id, nullptr));
    }
    result<relative_target> target = rebase(p.next);
    if (!target)
        return target.error();
    return std::optional<request_spec>(request_spec{std::move(target->path), std::move(target->query)});
}

asio::awaitable<result<void>> scan_core::plan()
{
    const list_options& o = options_;
    facade_state& state = where_->state();
    const bool keyset_family = o.mode == pagination::keyset || o.mode == pagination::sharded_keyset;
    if (o.offset && o.limit.value_or(0) == 0)
        co_return invalid("list_options::offset needs a positive list_options::limit");
    if (o.offset && o.mode != pagination::automatic && o.mode != pagination::offset)
        co_return invalid("list_options::offset selects one page of an offset scan; it cannot be combined with "
                          "keyset, cursor or sharded_keyset pagination");
    if (o.mode == pagination::cursor && !o.ordering.empty())
        co_return invalid("cursor pagination cannot be combined with ordering: NetBox orders cursor pages by id");
    if (keyset_family && !o.ordering.empty() && o.ordering != "id")
        co_return invalid("keyset pagination orders by id; it cannot be combined with ordering=" + o.ordering);
    for (const filter& f : query_)
        if (keyset_family && (f.name == "id__gt" || f.name == "id__gte" || f.name == "id__lt") && !ids_in(f))
            co_return invalid("keyset pagination needs numeric values for the filter " + f.name);

    result<void> checked = co_await check_filters(*where_, query_, options_);
    if (!checked)
        co_return checked.error();

    concurrency_ = std::max<std::size_t>(1, o.concurrency != 0 ? o.concurrency : state.options.concurrency);
    mode_ = o.mode;
    if (o.offset) {
        mode_ = pagination::offset;
    } else if (mode_ == pagination::automatic) {
        const model::api* m = nullptr;
        if (o.ordering.empty() && concurrency_ == 1)
            m = co_await state.ensure_model();
        mode_ = has_cursor_pages(m) ? pagination::cursor : pagination::offset;
    } else if (mode_ == pagination::cursor) {
        const model::api* m = co_await state.ensure_model();
        if (!has_cursor_pages(m))
            mode_ = pagination::keyset;
    }
    // Pipelining needs the offsets up front (the window walk); with concurrency 1 and no
    // prefetch nothing is requested ahead, so neither is it pipelined.
    const std::size_t depth = o.pipeline_depth != 0 ? o.pipeline_depth : state.options.pipeline_depth;
    depth_ = std::max<std::size_t>(1, std::min(depth, impl_of(state.http)->options.pool.max_pipeline_depth));
    if (concurrency_ == 1 && !o.prefetch)
        depth_ = 1;
    walk_ = o.offset                                                          ? walk::single
            : mode_ == pagination::sharded_keyset                             ? walk::sharded
            : mode_ == pagination::offset && (concurrency_ > 1 || depth_ > 1) ? walk::window
                                                                              : walk::sequential;

    query_options_ = options_;
    if (mode_ != pagination::offset)
        query_options_.ordering.clear();  // keyset sends its own; cursor has none
    // Keyset walks and the dropping of repeated records go by id.
    if (!query_options_.fields.empty() && walk_ != walk::single &&
        std::ranges::find(query_options_.fields, "id") == query_options_.fields.end())
        query_options_.fields.emplace_back("id");
    limit_ = std::to_string(page_size_of(state, o));

    if (mode_ == pagination::keyset)
        for (const filter& f : query_)
            if (f.name == "id__gt") {
                // Repeated values are ORed by NetBox: the smallest bound is the one that counts.
                const std::optional<std::vector<std::int64_t>> bounds = ids_in(f);
                if (!bounds)
                    co_return invalid("keyset pagination needs numeric values for the filter id__gt");
                if (!bounds->empty()) {
                    const std::int64_t smallest = *std::ranges::min_element(*bounds);
                    id_floor_ = id_floor_ ? std::min(*id_floor_, smallest) : smallest;
                }
            }

    result<std::vector<filters>> chunks = split_filters(*where_, query_, query_options_);
    if (!chunks)
        co_return chunks.error();
    if (chunks->size() > 1 && walk_ == walk::single)
        co_return invalid("the filters are too long for one request (api_options::max_url_length) and a single "
                          "page (list_options::offset) cannot be split into several requests");
    chunks_ = std::move(*chunks);
    dedupe_ = chunks_.size() > 1 || (mode_ == pagination::offset && walk_ != walk::single);
    first_counts_.assign(chunks_.size(), std::nullopt);
    last_counts_.assign(chunks_.size(), std::nullopt);
    report.mode = mode_;
    report.url_splits = chunks_.size();
    start_chunk(0);
    co_return result<void>{};
}

void scan_core::start_chunk(std::size_t index)
{
    chunk_ = index;
    chunk_filters_ = chunks_[index];
    if (mode_ == pagination::keyset)
        chunk_filters_ = without(chunk_filters_, {"id__gt"});
    else if (mode_ == pagination::sharded_keyset)
        chunk_filters_ = without(chunk_filters_, {"id__gt", "id__gte", "id__lt"});  // the probes honour them
    base_ = list_query(chunk_filters_, query_options_);
    next_.reset();
    pending_.reset();
    last_id_ = 0;
    first_sent_ = false;
    window_.clear();
    page_size_ = next_offset_ = known_count_ = 0;
    ranges_.clear();
    chunk_first_count_.reset();

    query_params first;
    switch (mode_) {
    case pagination::cursor:
        first.emplace_back("start", "0");
        first.emplace_back("limit", limit_);
        next_ = list_request(std::move(first));
        break;
    case pagination::keyset: next_ = keyset_request(std::nullopt, nullptr); break;
    case pagination::sharded_keyset: break;  // probes first
    default:
        first.emplace_back("limit", limit_);
        if (options_.offset)
            first.emplace_back("offset", std::to_string(*options_.offset));
        next_ = list_request(std::move(first));
        break;
    }
}

asio::awaitable<result<std::optional<page>>> scan_core::take_page()
{
    switch (walk_) {
    case walk::single: return take_single();
    case walk::window: return take_window();
    case walk::sharded: return take_sharded();
    case walk::sequential: break;
    }
    return take_sequential();
}

asio::awaitable<result<std::optional<page>>> scan_core::take_single()
{
    if (first_sent_)
        co_return std::optional<page>();
    first_sent_ = true;
    fetch_ptr f = start(std::move(*next_));
    next_.reset();
    auto ready = [&f] { return f->ready(); };
    result<void> waited = co_await wait_until(ready);
    if (!waited)
        co_return waited.error();
    result<page> r = std::move(*f->outcome);
    if (!r)
        co_return r.error();
    co_return std::optional<page>(std::move(*r));
}

asio::awaitable<result<std::optional<page>>> scan_core::take_sequential()
{
    if (!pending_) {
        if (!next_)
            co_return std::optional<page>();
        pending_ = start(std::move(*next_));
        next_.reset();
    }
    fetch_ptr f = pending_;
    auto ready = [&f] { return f->ready(); };
    result<void> waited = co_await wait_until(ready);
    if (!waited)
        co_return waited.error();
    pending_.reset();
    result<page> r = std::move(*f->outcome);
    if (!r)
        co_return r.error();
    result<std::optional<request_spec>> after = following(*r, last_id_);
    if (!after)
        co_return after.error();
    last_id_ = r->last_id;
    next_ = std::move(*after);
    // Pipelining: the next page travels while this one is consumed.
    if (options_.prefetch && next_) {
        pending_ = start(std::move(*next_));
        next_.reset();
    }
    co_return std::optional<page>(std::move(*r));
}

asio::awaitable<result<std::optional<page>>> scan_core::take_window()
{
    if (!first_sent_) {
        first_sent_ = true;
        fetch_ptr f = start(std::move(*next_));
        next_.reset();
        auto ready = [&f] { return f->ready(); };
        result<void> waited = co_await wait_until(ready);
        if (!waited)
            co_return waited.error();
        result<page> r = std::move(*f->outcome);
        if (!r)
            co_return r.error();
        if (!r->count)
            co_return endpoint_error(errc::content_error, *where_, "a page without a count: concurrent offset "
                                                                   "pages need it");
        // The server clamps `limit` to its MAX_PAGE_SIZE: the first page tells the real size.
        page_size_ = r->size;
        known_count_ = *r->count;
        next_offset_ = r->next.empty() || page_size_ == 0 ? std::numeric_limits<std::size_t>::max() : page_size_;
        refill_window();
        co_return std::optional<page>(std::move(*r));
    }
    for (;;) {
        refill_window();
        if (!window_.empty())
            break;
        if (next_offset_ >= known_count_)
            co_return std::optional<page>();
        // Offsets are left but every connection is busy (batches of an earlier chunk finishing).
        auto lane_free = [this] { return batches_in_flight_ < concurrency_; };
        result<void> waited = co_await wait_until(lane_free);
        if (!waited)
            co_return waited.error();
    }
    fetch_ptr f = window_.front();
    auto ready = [&f] { return f->ready(); };
    result<void> waited = co_await wait_until(ready);
    if (!waited)
        co_return waited.error();
    window_.pop_front();
    result<page> r = std::move(*f->outcome);
    if (!r)
        co_return r.error();
    // Rows added since the first page are fetched too; the report says the count moved.
    if (r->count)
        known_count_ = *r->count;
    refill_window();
    co_return std::optional<page>(std::move(*r));
}

asio::awaitable<result<std::optional<page>>> scan_core::take_sharded()
{
    if (!first_sent_) {
        first_sent_ = true;
        // The smallest and the largest matching id, under every filter of the user (id bounds too).
        const auto probe = [this](const char* ordering) {
            request_spec spec{where_->list_path(), list_query(chunks_[chunk_], list_options())};
            spec.query.emplace_back("ordering", ordering);
            spec.query.emplace_back("limit", "1");
            spec.query.emplace_back("fields", "id");
            return spec;
        };
        fetch_ptr lowest = start(probe("id"));
        fetch_ptr highest = start(probe("-id"));
        auto both = [&] { return lowest->ready() && highest->ready(); };
        result<void> waited = co_await wait_until(both);
        if (!waited)
            co_return waited.error();
        if (!*lowest->outcome)
            co_return lowest->outcome->error();
        if (!*highest->outcome)
            co_return highest->outcome->error();
        const page& low = lowest->outcome->value();
        const page& high = highest->outcome->value();
        if (low.size == 0 || high.size == 0)
            co_return std::optional<page>();
        const std::int64_t min_id = low.last_id;
        const std::int64_t max_id = high.last_id;
        if (max_id < min_id || min_id == 0)
            co_return endpoint_error(errc::content_error, *where_, "the id probes of a sharded scan disagree");
        const auto span = static_cast<std::uint64_t>(max_id - min_id) + 1;
        const std::uint64_t shards = std::min<std::uint64_t>(concurrency_, span);
        const std::uint64_t width = (span + shards - 1) / shards;
        for (std::uint64_t i = 0; i < shards; ++i) {
            range r;
            r.low = min_id + static_cast<std::int64_t>(i * width);
            if (r.low > max_id)
                break;
            r.high = std::min<std::int64_t>(max_id + 1, r.low + static_cast<std::int64_t>(width));
            ranges_.push_back(r);
        }
        for (range& r : ranges_)
            r.pending = start(keyset_request(std::nullopt, &r));
    }
    const auto ready_range = [this]() -> range* {
        for (range& r : ranges_)
            if (r.pending && r.pending->ready())
                return &r;
        return nullptr;
    };
    const bool any_pending = std::ranges::any_of(ranges_, [](const range& r) { return r.pending != nullptr; });
    if (!any_pending)
        co_return std::optional<page>();
    auto ready = [&] { return ready_range() != nullptr; };
    result<void> waited = co_await wait_until(ready);
    if (!waited)
        co_return waited.error();
    range& from = *ready_range();
    fetch_ptr f = std::move(from.pending);
    from.pending.reset();
    result<page> r = std::move(*f->outcome);
    if (!r)
        co_return r.error();
    if (!r->next.empty() && r->size > 0) {
        if (r->last_id < from.low || r->last_id >= from.high)
            co_return endpoint_error(errc::content_error, *where_, "a keyset page left its id range");
        request_spec spec = keyset_request(r->last_id, &from);
        from.pending = start(std::move(spec));
    }
    co_return std::optional<page>(std::move(*r));
}

result<std::vector<record>> scan_core::accept(page p)
{
    ++report.pages;
    if (offset_walk() && p.count) {
        if (!chunk_first_count_)
            chunk_first_count_ = p.count;
        first_counts_[chunk_] = chunk_first_count_;
        last_counts_[chunk_] = p.count;
        const auto sum = [](const std::vector<std::optional<std::size_t>>& counts) {
            std::size_t n = 0;
            for (const auto& c : counts)
                n += c.value_or(0);
            return n;
        };
        report.first_count = sum(first_counts_);
        report.last_count = sum(last_counts_);
        if (*p.count != *chunk_first_count_ && options_.integrity == integrity_policy::fail)
            return inconsistent("the number of matching objects changed from " + std::to_string(*chunk_first_count_) +
                                " to " + std::to_string(*p.count) + " during an offset scan");
    }
    if (dedupe_) {
        std::optional<std::int64_t> repeated;
        std::erase_if(p.records, [&](const record& r) {
            const std::int64_t id = r.id();
            if (id == 0)
                return false;
            auto [at, inserted] = seen_.try_emplace(id, chunk_);
            if (inserted)
                return false;
            // A record of an earlier chunk of a split query matched two chunks' filters: expected.
            if (at->second == chunk_) {
                ++report.duplicates_dropped;
                repeated = id;
            }
            return true;
        });
        if (repeated && options_.integrity == integrity_policy::fail)
            return inconsistent("offset pages overlapped (id " + std::to_string(*repeated) +
                                " came twice): objects were created or deleted during the scan");
    }
    report.records += p.records.size();
    return std::move(p.records);
}

asio::awaitable<result<std::optional<std::vector<record>>>> scan_core::take()
{
    // A cancelled consumer gets errc::cancelled, never an exception out of a co_await.
    co_await asio::this_coro::throw_if_cancelled(false);
    if (finished_)
        co_return std::optional<std::vector<record>>();
    if (!planned_) {
        planned_ = true;
        result<void> planned = co_await plan();
        if (!planned)
            co_return fail(planned.error());
    }
    for (;;) {
        result<std::optional<page>> next = co_await take_page();
        if (!next)
            co_return fail(next.error());
        if (!*next) {
            if (chunk_ + 1 < chunks_.size()) {
                start_chunk(chunk_ + 1);
                continue;
            }
            finished_ = true;
            co_return std::optional<std::vector<record>>();
        }
        result<std::vector<record>> records = accept(std::move(**next));
        if (!records)
            co_return fail(records.error());
        if (!records->empty())
            co_return std::optional<std::vector<record>>(std::move(*records));
    }
}

namespace {

asio::awaitable<result<std::optional<std::vector<record>>>> take_on_strand(std::shared_ptr<scan_core> core)
{
    co_return co_await core->take();
}

}  // namespace

record_stream_impl::~record_stream_impl()
{
    if (core_)
        asio::post(core_->strand, [core = core_] { core->shutdown(); });
}

asio::awaitable<result<std::optional<std::vector<record>>>> record_stream_impl::next_page()
{
    std::shared_ptr<scan_core> core = core_;
    co_return co_await asio::co_spawn(core->strand, take_on_strand(core), asio::use_awaitable);
}

const scan_report& record_stream_impl::report() const noexcept { return core_->report; }

std::shared_ptr<record_stream_impl> make_scan(std::shared_ptr<const endpoint_ref> where, filters query,
                                              list_options options)
{
    return std::make_shared<record_stream_impl>(
        std::make_shared<scan_core>(std::move(where), std::move(query), std::move(options)));
}

}  // namespace detail

// --- record_stream --------------------------------------------------------------------------------------

record_stream::record_stream(std::shared_ptr<detail::record_stream_impl> impl) : impl_(std::move(impl)) {}
record_stream::record_stream(record_stream&&) noexcept = default;
record_stream& record_stream::operator=(record_stream&&) noexcept = default;
record_stream::~record_stream() = default;

asio::awaitable<result<std::optional<record>>> record_stream::try_next()
{
    while (position_ >= page_.size()) {
        page_.clear();
        position_ = 0;
        std::shared_ptr<detail::record_stream_impl> impl = impl_;
        if (!impl)
            co_return std::optional<record>();
        result<std::optional<std::vector<record>>> next = co_await impl->next_page();
        if (!next)
            co_return next.error();
        if (!*next)
            co_return std::optional<record>();
        page_ = std::move(**next);
    }
    co_return std::optional<record>(std::move(page_[position_++]));
}

asio::awaitable<std::optional<record>> record_stream::next()
{
    // The stream is the caller's and outlives this call, as for try_next().
    co_return (co_await try_next()).value();
}

asio::awaitable<result<std::optional<std::vector<record>>>> record_stream::try_next_page()
{
    if (position_ < page_.size()) {
        std::vector<record> rest(std::make_move_iterator(page_.begin() + static_cast<std::ptrdiff_t>(position_)),
                                 std::make_move_iterator(page_.end()));
        page_.clear();
        position_ = 0;
        co_return std::optional<std::vector<record>>(std::move(rest));
    }
    page_.clear();
    position_ = 0;
    std::shared_ptr<detail::record_stream_impl> impl = impl_;
    if (!impl)
        co_return std::optional<std::vector<record>>();
    co_return co_await impl->next_page();
}

const scan_report& record_stream::report() const noexcept
{
    static const scan_report none;
    return impl_ ? impl_->report() : none;
}

// --- record_set -----------------------------------------------------------------------------------------

namespace {

using where_ptr = std::shared_ptr<const detail::endpoint_ref>;

asio::awaitable<result<std::vector<record>>> collect_set(record_set set)
{
    record_stream stream = set.stream();
    std::vector<record> out;
    for (;;) {
        result<std::optional<std::vector<record>>> next = co_await stream.try_next_page();
        if (!next)
            co_return next.error();
        if (!*next)
            break;
        if (out.empty())
            out = std::move(**next);
        else
            out.insert(out.end(), std::make_move_iterator((*next)->begin()), std::make_move_iterator((*next)->end()));
    }
    co_return out;
}

asio::awaitable<result<std::size_t>> count_set(where_ptr where, filters query, list_options options)
{
    result<void> checked = co_await detail::check_filters(*where, query, options);
    if (!checked)
        co_return checked.error();
    list_options brief;
    brief.brief = true;
    result<std::vector<filters>> chunks = detail::split_filters(*where, query, brief);
    if (!chunks)
        co_return chunks.error();
    if (chunks->size() > 1) {
        // Chunks may overlap (a multi-valued field matching values of two chunks): counts cannot be
        // added up, so the ids are listed and counted once each.
        list_options ids;
        ids.fields.emplace_back("id");
        ids.mode = pagination::keyset;
        ids.concurrency = 1;
        ids.limit = options.limit;
        ids.strict_filters = false;  // checked above
        ids.request = options.request;
        record_stream stream = record_set(where, std::move(query), std::move(ids)).stream();
        std::unordered_set<std::int64_t> seen;
        for (;;) {
            result<std::optional<std::vector<record>>> next = co_await stream.try_next_page();
            if (!next)
                co_return next.error();
            if (!*next)
                break;
            for (const record& r : **next)
                seen.insert(r.id());
        }
        co_return seen.size();
    }
    query_params q = detail::list_query(query, list_options());
    q.emplace_back("limit", "1");
    q.emplace_back("brief", "1");
    payload none;
    std::string path = where->list_path();
    result<response> r = co_await detail::send(*where->scope, http_method::get, std::move(path), std::move(q),
                                               std::move(none), options.request);
    if (!r)
        co_return r.error();
    result<json::object> page = detail::object_of(*r, "a list page");
    if (!page)
        co_return page.error();
    const json::value* count = page->if_contains("count");
    if (count && count->is_uint64())
        co_return static_cast<std::size_t>(count->get_uint64());
    if (count && count->is_int64() && count->get_int64() >= 0)
        co_return static_cast<std::size_t>(count->get_int64());
    co_return r->to_error(errc::content_error, "a list page without a count");
}

asio::awaitable<result<bulk_result>> update_set(record_set set, json::object fields, write_options options)
{
    // Collected first: offset pages would shift under the writes.
    result<std::vector<record>> members = co_await collect_set(set);
    if (!members)
        co_return members.error();
    std::vector<record> changed;
    for (record& r : *members) {
        for (const auto& [name, value] : fields)
            r.set(std::string_view(name), value);
        if (!r.updates().empty())
            changed.push_back(std::move(r));
    }
    if (changed.empty())
        co_return bulk_result();
    const endpoint to(set.where());
    co_return co_await to.try_update(std::move(changed), std::move(options));
}

asio::awaitable<result<bulk_result>> delete_set(record_set set, write_options options)
{
    result<std::vector<record>> members = co_await collect_set(set);
    if (!members)
        co_return members.error();
    if (members->empty())
        co_return bulk_result();
    const endpoint to(set.where());
    co_return co_await to.try_delete(*members, std::move(options));
}

}  // namespace

record_set::record_set(std::shared_ptr<const detail::endpoint_ref> where, filters query, list_options options)
    : where_(std::move(where)), query_(std::move(query)), options_(std::move(options))
{
}

record_stream record_set::stream() const { return record_stream(detail::make_scan(where_, query_, options_)); }

asio::awaitable<result<std::vector<record>>> record_set::try_collect() const { return collect_set(*this); }

asio::awaitable<std::vector<record>> record_set::collect() const { return detail::value_of(collect_set(*this)); }

asio::awaitable<result<std::size_t>> record_set::try_count() const { return count_set(where_, query_, options_); }

asio::awaitable<std::size_t> record_set::count() const { return detail::value_of(count_set(where_, query_, options_)); }

asio::awaitable<result<bulk_result>> record_set::try_update(json::object fields, write_options options) const
{
    return update_set(*this, std::move(fields), std::move(options));
}

asio::awaitable<bulk_result> record_set::update(json::object fields, write_options options) const
{
    return detail::bulk_value_of(update_set(*this, std::move(fields), std::move(options)));
}

asio::awaitable<result<bulk_result>> record_set::try_delete(write_options options) const
{
    return delete_set(*this, std::move(options));
}

asio::awaitable<bulk_result> record_set::delete_(write_options options) const
{
    return detail::bulk_value_of(delete_set(*this, std::move(options)));
}

}  // namespace netbox
