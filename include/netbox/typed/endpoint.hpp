// netbox-cpp: the typed client's endpoint, `nb.dcim.devices` of typed_api<netbox::v4_5::version>
// (docs/typed.md). A thin template over generated endpoint traits (which name the operations'
// types and paths) and the compiled runtime (typed/runtime.hpp): requests are validated against
// the schema's rules before they are sent, answers decoded into the generated structs.
#pragma once

#include <netbox/typed/runtime.hpp>
#include <netbox/types.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace netbox::typed {

/// The operation exists in this release line (the traits name a type for it, not void).
template <class T>
concept operation = !std::is_void_v<T>;

/// An operation's parameter type, never deduced from an argument of another type (the single
/// and bulk forms of create() stay apart).
template <class T, class Declared>
concept exactly = operation<T> && std::same_as<T, Declared>;

namespace impl {

// --- JSON of the generated types and the containers around them ----------------------------------

template <class T>
void decode_value(const boost::json::value& v, T& out, codec::decoder& d) {
    decode(v, out, d);  // generated, found by argument-dependent lookup
}
inline void decode_value(const boost::json::value& v, json_value& out, codec::decoder&) { out = json_value(v); }
template <class T>
void decode_value(const boost::json::value& v, std::vector<T>& out, codec::decoder& d);
template <class T>
void decode_value(const boost::json::value& v, page<T>& out, codec::decoder& d);

template <class T>
void decode_value(const boost::json::value& v, std::vector<T>& out, codec::decoder& d) {
    const auto* a = v.if_array();
    if (!a) d.fail("expected an array");
    out.reserve(a->size());
    for (std::size_t i = 0; i < a->size(); ++i) {
        d.path().push(i);
        decode_value((*a)[i], out.emplace_back(), d);
        d.path().pop();
    }
}

/// The members of a page other than `results`.
void decode_page_header(const boost::json::object& o, std::int64_t& count, std::optional<std::string>& next,
                        std::optional<std::string>& previous, codec::decoder& d);

template <class T>
void decode_value(const boost::json::value& v, page<T>& out, codec::decoder& d) {
    const auto* o = v.if_object();
    if (!o) d.fail("expected a page (an object with count and results)");
    decode_page_header(*o, out.count, out.next, out.previous, d);
    const auto* results = o->if_contains("results");
    if (!results) d.fail("a page without results");
    d.path().push(std::string_view("results"));
    decode_value(*results, out.results, d);
    d.path().pop();
}

template <class T>
void encode_value(const T& in, boost::json::value& out) {
    encode(in, out);  // generated
}
/// A free-form body (actions: sync, render-config): an empty one is sent as `{}`, which NetBox takes
/// where it needs nothing.
inline void encode_value(const json_value& in, boost::json::value& out) {
    if (in.is_null()) out.emplace_object();
    else out = in.get();
}
template <class T>
void encode_value(const std::vector<T>& in, boost::json::value& out) {
    auto& a = out.emplace_array();
    a.reserve(in.size());
    for (const T& item : in) encode_value(item, a.emplace_back(nullptr));
}

template <class T>
void validate_value(const T& in, codec::validator& v) {
    validate(in, v);  // generated
}
inline void validate_value(const json_value&, codec::validator&) {}
template <class T>
void validate_value(const std::vector<T>& in, codec::validator& v) {
    for (std::size_t i = 0; i < in.size(); ++i) {
        v.path().push(i);
        validate_value(in[i], v);
        v.path().pop();
    }
}

template <class P>
query_params query_of(const P& params) {
    codec::query_writer q;
    encode_query(params, q);  // generated
    return std::move(q.params());
}

// --- operations: coroutines holding the state and their inputs by value --------------------------

template <class Out>
boost::asio::awaitable<result<Out>> fetch(typed_detail::state_ptr s, typed_detail::call c) {
    Out out{};
    typed_detail::decode_fn decode = [&out](const boost::json::value& v, codec::decoder& d) { decode_value(v, out, d); };
    auto r = co_await typed_detail::run(std::move(s), std::move(c), std::move(decode));
    if (!r) co_return r.error();
    co_return std::move(out);
}

template <class Out>
boost::asio::awaitable<result<std::optional<Out>>> fetch_if_found(typed_detail::state_ptr s, typed_detail::call c) {
    std::optional<Out> out(std::in_place);
    typed_detail::decode_fn decode = [&out](const boost::json::value& v, codec::decoder& d) { decode_value(v, *out, d); };
    c.empty_on_404 = true;
    auto r = co_await typed_detail::run(std::move(s), std::move(c), std::move(decode));
    if (!r) co_return r.error();
    if (!*r) out.reset();
    co_return std::move(out);
}

template <class P, class Out>
boost::asio::awaitable<result<Out>> list_with(typed_detail::state_ptr s, std::string path, P params) {
    typed_detail::call c;
    c.path = std::move(path);
    c.query = query_of(params);
    c.validate = [&params](codec::validator& v) { validate_value(params, v); };
    co_return co_await fetch<Out>(std::move(s), std::move(c));
}

template <class Out, class Body>
boost::asio::awaitable<result<Out>> send_body(typed_detail::state_ptr s, http_method method, std::string path, Body body) {
    typed_detail::call c;
    c.method = method;
    c.path = std::move(path);
    c.body = [&body](boost::json::value& v) { encode_value(body, v); };
    c.validate = [&body](codec::validator& v) { validate_value(body, v); };
    co_return co_await fetch<Out>(std::move(s), std::move(c));
}

boost::asio::awaitable<result<void>> send_delete(typed_detail::state_ptr s, std::string path, boost::json::value body);

template <class T>
boost::asio::awaitable<T> or_throw(boost::asio::awaitable<result<T>> op) {
    result<T> r = co_await std::move(op);
    co_return std::move(r).value();
}
boost::asio::awaitable<void> or_throw(boost::asio::awaitable<result<void>> op);

}  // namespace impl

/// Pages of a list scan as generated structs, in page order. Move-only; destroying it cancels
/// the requests in flight. Uses the dynamic facade's pagination (sequential, concurrent, keyset,
/// cursor), so memory stays bounded by the pages in flight.
template <class T>
class typed_stream {
public:
    typed_stream(typed_detail::state_ptr s, record_stream records) : state_(std::move(s)), records_(std::move(records)) {}

    /// The next page, nullopt at the end.
    boost::asio::awaitable<result<std::optional<std::vector<T>>>> try_next_page() {
        auto page = co_await records_.try_next_page();
        if (!page) co_return page.error();
        if (!*page) co_return std::optional<std::vector<T>>();
        std::vector<T> out;
        out.reserve((*page)->size());
        for (const record& r : **page) {
            T& item = out.emplace_back();
            typed_detail::decode_fn decode = [&item](const boost::json::value& v, codec::decoder& d) {
                impl::decode_value(v, item, d);
            };
            if (auto ok = typed_detail::decode_record(*state_, r, decode); !ok) co_return ok.error();
        }
        co_return std::optional<std::vector<T>>(std::move(out));
    }
    boost::asio::awaitable<std::optional<std::vector<T>>> next_page() { return impl::or_throw(try_next_page()); }

    /// Every remaining record.
    boost::asio::awaitable<result<std::vector<T>>> try_collect() {
        std::vector<T> all;
        for (;;) {
            auto page = co_await try_next_page();
            if (!page) co_return page.error();
            if (!*page) break;
            for (T& item : **page) all.push_back(std::move(item));
        }
        co_return all;
    }
    boost::asio::awaitable<std::vector<T>> collect() { return impl::or_throw(try_collect()); }

    const scan_report& report() const noexcept { return records_.report(); }

private:
    typed_detail::state_ptr state_;
    record_stream records_;
};

/// The detail traits D take a list body (available-ips: several addresses at once).
template <class D>
concept array_body = requires { D::body_is_array; } && D::body_is_array;

/// A detail endpoint or action of an object (`nb.ipam.prefixes.available_ips`): the generated
/// detail traits D name its path and the types of the methods it has.
/// The types a detail traits D names, `void` for those it does not (an action without GET).
template <class D>
struct detail_types {
    static auto get() {
        if constexpr (requires { typename D::get_response; }) return std::type_identity<typename D::get_response>();
        else return std::type_identity<void>();
    }
    static auto post() {
        if constexpr (requires { typename D::post_body; }) return std::type_identity<typename D::post_body>();
        else return std::type_identity<void>();
    }
    using get_response = typename decltype(get())::type;
    using post_body = typename decltype(post())::type;
};

template <class D>
class detail_endpoint {
    static constexpr bool per_object = D::path.find('{') != std::string_view::npos;
    using get_response = typename detail_types<D>::get_response;
    using post_body = typename detail_types<D>::post_body;

public:
    explicit detail_endpoint(const typed_detail::state_ptr& s) : state_(s) {}

    /// GET `path` of object `id` (available-ips: the free addresses; elevation: the units).
    template <class Id, class R = get_response>
        requires(per_object && operation<R>)
    auto try_list(Id id, query_params query = query_params()) const {
        return fetch_at<R>(typed_detail::fill_path(D::path, id), std::move(query));
    }
    template <class Id, class R = get_response>
        requires(per_object && operation<R>)
    auto list(Id id, query_params query = query_params()) const {
        return impl::or_throw(try_list<Id, R>(std::move(id), std::move(query)));
    }
    /// GET of an action on the list (`core/background-queues/{name}` aside, these have no id).
    template <class R = get_response>
        requires(!per_object && operation<R>)
    auto try_list(query_params query = query_params()) const {
        return fetch_at<R>(std::string(D::path), std::move(query));
    }
    template <class R = get_response>
        requires(!per_object && operation<R>)
    auto list(query_params query = query_params()) const {
        return impl::or_throw(try_list<R>(std::move(query)));
    }

    /// POST `path` of object `id` (available-ips: allocate one; sync: run the action). An action
    /// whose body is a list also takes one object and then answers with one.
    template <class Id, class B = post_body>
        requires(per_object && exactly<B, post_body>)
    auto try_create(Id id, B body) const {
        return impl::send_body<single_answer>(state_, http_method::post, typed_detail::fill_path(D::path, id),
                                              std::move(body));
    }
    template <class Id, class B = post_body>
        requires(per_object && exactly<B, post_body>)
    auto create(Id id, B body) const {
        return impl::or_throw(try_create<Id, B>(std::move(id), std::move(body)));
    }
    /// POST a list (available-ips: several at once, all or none).
    template <class Id, std::same_as<std::vector<post_body>> V>
        requires(per_object && array_body<D>)
    auto try_create(Id id, V bodies) const {
        return impl::send_body<typename D::post_response>(state_, http_method::post, typed_detail::fill_path(D::path, id),
                                                          std::move(bodies));
    }
    template <class Id, std::same_as<std::vector<post_body>> V>
        requires(per_object && array_body<D>)
    auto create(Id id, V bodies) const {
        return impl::or_throw(try_create(std::move(id), std::move(bodies)));
    }
    /// POST of an action on the list (`users/tokens/provision/`, `extras/scripts/upload/`).
    template <class B = post_body>
        requires(!per_object && exactly<B, post_body>)
    auto try_create(B body) const {
        return impl::send_body<single_answer>(state_, http_method::post, std::string(D::path), std::move(body));
    }
    template <class B = post_body>
        requires(!per_object && exactly<B, post_body>)
    auto create(B body) const {
        return impl::or_throw(try_create<B>(std::move(body)));
    }

    /// A rack's elevation drawn as SVG (`?render=svg`, an answer the schema does not describe).
    template <class Id>
        requires(D::path.ends_with("/elevation/"))
    boost::asio::awaitable<result<std::string>> try_svg(Id id, query_params query = query_params()) const {
        query.emplace_back("render", "svg");
        return svg_of(state_, typed_detail::fill_path(D::path, id), std::move(query));
    }
    template <class Id>
        requires(D::path.ends_with("/elevation/"))
    boost::asio::awaitable<std::string> svg(Id id, query_params query = query_params()) const {
        return impl::or_throw(try_svg(std::move(id), std::move(query)));
    }

private:
    template <class T>
    struct one_of {
        using type = T;
    };
    template <class T>
    struct one_of<std::vector<T>> {
        using type = T;
    };
    static auto single_answer_of() {
        if constexpr (!requires { typename D::post_response; }) return std::type_identity<json_value>();
        else if constexpr (array_body<D>) return std::type_identity<typename one_of<typename D::post_response>::type>();
        else return std::type_identity<typename D::post_response>();
    }
    using single_answer = typename decltype(single_answer_of())::type;

    template <class R>
    auto fetch_at(std::string path, query_params query) const {
        typed_detail::call c;
        c.path = std::move(path);
        c.query = std::move(query);
        return impl::fetch<R>(state_, std::move(c));
    }

    static boost::asio::awaitable<result<std::string>> svg_of(typed_detail::state_ptr s, std::string path, query_params query) {
        std::string text;
        typed_detail::call c;
        c.path = std::move(path);
        c.query = std::move(query);
        c.text = &text;
        auto r = co_await typed_detail::run(std::move(s), std::move(c), typed_detail::decode_fn());
        if (!r) co_return r.error();
        co_return text;
    }

    typed_detail::state_ptr state_;
};

/// One endpoint of the typed client. Each operation exists only where the release line has it
/// (a read-only endpoint has no create()). `try_` forms return result<T>; the others throw
/// api_error.
template <class Traits>
class endpoint : public Traits::template details<detail_endpoint> {
    using details_base = typename Traits::template details<detail_endpoint>;

public:
    using traits = Traits;
    using id_type = typename Traits::id_type;

private:
    static constexpr bool bulk_creates = [] {
        if constexpr (requires { Traits::bulk_create; }) return operation<typename Traits::create_request> && Traits::bulk_create;
        else return operation<typename Traits::create_request>;
    }();

public:

    explicit endpoint(const typed_detail::state_ptr& s) : details_base(s), state_(s) {}

    // --- reading ---
    // Every operation is a template whose type parameter defaults to the traits' type, so an
    // operation the release line lacks (a `void` type) is simply not there. A braced argument
    // (`list({.site = {"ber"}})`) takes the default.

    /// One page (`dcim_devices_list`): filters, limit/offset and the other list options.
    template <class P = typename Traits::params>
        requires operation<typename Traits::list_item>
    auto try_list(P params = P()) const {
        return impl::list_with<P, page<typename Traits::list_item>>(state_, std::string(Traits::list_path),
                                                                     std::move(params));
    }
    template <class P = typename Traits::params>
        requires operation<typename Traits::list_item>
    auto list(P params = P()) const {
        return impl::or_throw(try_list(std::move(params)));
    }

    /// The answer of a list endpoint that is not paginated (`dcim/connected-device`, `users/config`).
    template <class P = typename Traits::params, class R = typename Traits::list_response>
        requires operation<R>
    auto try_get_list(P params = P()) const {
        return impl::list_with<P, R>(state_, std::string(Traits::list_path), std::move(params));
    }
    template <class P = typename Traits::params, class R = typename Traits::list_response>
        requires operation<R>
    auto get_list(P params = P()) const {
        return impl::or_throw(try_get_list<P, R>(std::move(params)));
    }

    /// Every page, streamed (`dcim_devices_list` repeated by the scan's pagination mode).
    template <class P = typename Traits::params>
        requires operation<typename Traits::list_item>
    typed_stream<typename Traits::list_item> stream(P params = P(), list_options options = list_options()) const {
        auto records = typed_detail::scan(*state_, Traits::app, Traits::name, impl::query_of(params), std::move(options));
        return {state_, records.stream()};
    }

    /// The number of matching objects, without their rows.
    template <class P = typename Traits::params>
        requires operation<typename Traits::list_item>
    boost::asio::awaitable<result<std::int64_t>> try_count(P params = P()) const {
        return count_of(state_, std::move(params));
    }
    template <class P = typename Traits::params>
        requires operation<typename Traits::list_item>
    boost::asio::awaitable<std::int64_t> count(P params = P()) const {
        return impl::or_throw(try_count(std::move(params)));
    }

    /// One object by id; empty when there is none (404).
    template <class R = typename Traits::retrieve_response>
        requires exactly<R, typename Traits::retrieve_response>
    auto try_get(id_type id) const {
        typed_detail::call c;
        c.path = typed_detail::fill_path(Traits::detail_path, id);
        return impl::fetch_if_found<R>(state_, std::move(c));
    }
    template <class R = typename Traits::retrieve_response>
        requires exactly<R, typename Traits::retrieve_response>
    auto get(id_type id) const {
        return impl::or_throw(try_get<R>(std::move(id)));
    }

    // --- writing ---

    template <class Q = typename Traits::create_request>
        requires exactly<Q, typename Traits::create_request>
    auto try_create(Q request) const {
        return impl::send_body<typename Traits::create_response>(state_, http_method::post,
                                                                  std::string(Traits::list_path), std::move(request));
    }
    template <class Q = typename Traits::create_request>
        requires exactly<Q, typename Traits::create_request>
    auto create(Q request) const {
        return impl::or_throw(try_create<Q>(std::move(request)));
    }
    /// Bulk create: one request, all or none (NetBox 4.4+). V is deduced, never taken from a
    /// braced list, so `create({.name = …})` is always the single form.
    template <std::same_as<std::vector<typename Traits::create_request>> V>
        requires(bulk_creates)
    auto try_create(V requests) const {
        return impl::send_body<std::vector<typename Traits::create_response>>(
            state_, http_method::post, std::string(Traits::list_path), std::move(requests));
    }
    template <std::same_as<std::vector<typename Traits::create_request>> V>
        requires(bulk_creates)
    auto create(V requests) const {
        return impl::or_throw(try_create(std::move(requests)));
    }

    /// PUT: every writable field.
    template <class Q = typename Traits::update_request>
        requires exactly<Q, typename Traits::update_request>
    auto try_update(id_type id, Q request) const {
        return impl::send_body<typename Traits::update_response>(state_, http_method::put, object_path(id),
                                                                  std::move(request));
    }
    template <class Q = typename Traits::update_request>
        requires exactly<Q, typename Traits::update_request>
    auto update(id_type id, Q request) const {
        return impl::or_throw(try_update<Q>(std::move(id), std::move(request)));
    }

    /// PATCH: the fields that are set (a tri_state set to netbox::null clears one).
    template <class Q = typename Traits::patch_request>
        requires exactly<Q, typename Traits::patch_request>
    auto try_partial_update(id_type id, Q request) const {
        return impl::send_body<typename Traits::patch_response>(state_, http_method::patch, object_path(id),
                                                                 std::move(request));
    }
    template <class Q = typename Traits::patch_request>
        requires exactly<Q, typename Traits::patch_request>
    auto partial_update(id_type id, Q request) const {
        return impl::or_throw(try_partial_update<Q>(std::move(id), std::move(request)));
    }

    /// Bulk PUT and PATCH: items carry their `id`.
    template <class I = typename Traits::bulk_update_item>
        requires exactly<I, typename Traits::bulk_update_item>
    auto try_bulk_update(std::vector<I> items) const {
        return impl::send_body<std::vector<typename Traits::update_response>>(
            state_, http_method::put, std::string(Traits::list_path), std::move(items));
    }
    template <class I = typename Traits::bulk_update_item>
        requires exactly<I, typename Traits::bulk_update_item>
    auto bulk_update(std::vector<I> items) const {
        return impl::or_throw(try_bulk_update<I>(std::move(items)));
    }
    template <class I = typename Traits::bulk_patch_item>
        requires exactly<I, typename Traits::bulk_patch_item>
    auto try_bulk_partial_update(std::vector<I> items) const {
        return impl::send_body<std::vector<typename Traits::patch_response>>(
            state_, http_method::patch, std::string(Traits::list_path), std::move(items));
    }
    template <class I = typename Traits::bulk_patch_item>
        requires exactly<I, typename Traits::bulk_patch_item>
    auto bulk_partial_update(std::vector<I> items) const {
        return impl::or_throw(try_bulk_partial_update<I>(std::move(items)));
    }

    boost::asio::awaitable<result<void>> try_destroy(id_type id) const
        requires(Traits::destroy)
    {
        return impl::send_delete(state_, object_path(id), boost::json::value());
    }
    boost::asio::awaitable<void> destroy(id_type id) const
        requires(Traits::destroy)
    {
        return impl::or_throw(try_destroy(std::move(id)));
    }
    boost::asio::awaitable<result<void>> try_bulk_destroy(std::vector<id_type> ids) const
        requires(Traits::bulk_destroy)
    {
        boost::json::array body;
        for (const auto& id : ids) body.push_back(boost::json::object{{"id", id}});
        return impl::send_delete(state_, std::string(Traits::list_path), boost::json::value(std::move(body)));
    }
    boost::asio::awaitable<void> bulk_destroy(std::vector<id_type> ids) const
        requires(Traits::bulk_destroy)
    {
        return impl::or_throw(try_bulk_destroy(std::move(ids)));
    }

private:
    template <class P>
    static boost::asio::awaitable<result<std::int64_t>> count_of(typed_detail::state_ptr s, P params) {
        params.limit = 1;
        params.brief = true;
        auto p = co_await impl::list_with<P, page<json_value>>(
            std::move(s), std::string(Traits::list_path), std::move(params));
        if (!p) co_return p.error();
        co_return p->count;
    }

    /// The object's path; a singleton (extras/dashboard) is its list path.
    static std::string object_path(const id_type& id) {
        if constexpr (requires { Traits::singleton; }) {
            if (Traits::singleton) return std::string(Traits::list_path);
        }
        return typed_detail::fill_path(Traits::detail_path, id);
    }

    typed_detail::state_ptr state_;
};

}  // namespace netbox::typed
