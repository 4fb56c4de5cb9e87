// netbox-cpp tests: what the generated samples (tests/typed/generated/v4_x_samples.cpp) are made
// of. Each release line's samples register one sample_case per generated struct (a round trip
// through JSON in strict mode) and per list params struct (the query it writes), a contract_case
// per request the typed client would send for each operation (checked against the schema by
// tests/typed/contract/validate_requests.py), and a response_sample per operation's answer.
// Hand-written.
#pragma once

#include <netbox/types.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netbox::typed_testing {

struct sample_case {
    std::string_view type;                 ///< "dcim::device"
    bool (*check)(std::string& error);     ///< false with a reason when the type fails its check
};

/// The JSON sample of json_value members: {"k": 1}.
inline json_value sample_json() {
    boost::json::value v;
    v.emplace_object()["k"] = 1;
    return json_value(std::move(v));
}

/// The sample of a JSON member whose schema says more than "any value" (generated from it).
inline json_value json_of(std::string_view text) { return json_value(boost::json::parse(text)); }

/// T → JSON → T (strict) gives T back, and validate() (where T has one) runs through.
template <class T, void (*Fill)(T&, int)>
bool round_trip(std::string& error) {
    T sample{};
    Fill(sample, 0);
    boost::json::value encoded;
    encode(sample, encoded);
    T decoded{};
    codec::decoder d(codec::decode_mode::strict);
    try {
        decode(encoded, decoded, d);
    } catch (const std::exception& e) {
        error = std::string("strict decode failed: ") + e.what() + " in " + boost::json::serialize(encoded);
        return false;
    }
    if (!(decoded == sample)) {
        error = "differs after the round trip through " + boost::json::serialize(encoded);
        return false;
    }
    // Request structs: their rules run (the samples need not satisfy them; a rule that cannot be
    // checked, such as a pattern that is no regular expression, throws).
    if constexpr (requires(codec::validator& v) { validate(sample, v); }) {
        codec::validator v;
        try {
            validate(sample, v);
        } catch (const std::exception& e) {
            error = std::string("validate threw: ") + e.what();
            return false;
        }
    }
    return true;
}

/// The list options every params struct has, set.
template <class P>
void fill_options(P& p) {
    p.brief = true;
    p.fields = {"id"};
    p.omit = {"description"};
    p.exclude = {"config_context"};
    p.limit = 7;
    p.offset = 7;
    p.ordering = {"name"};
    p.extra = {{"plugin_filter", "s"}};
}

/// Every filter member holds one term (set by Fill), so the query has one parameter per filter
/// member on top of what the options alone write; and validation accepts it.
template <class P, void (*Fill)(P&), std::size_t Filters>
bool query_check(std::string& error) {
    P sample{};
    Fill(sample);
    fill_options(sample);
    codec::query_writer all;
    encode_query(sample, all);
    P options_only{};
    fill_options(options_only);
    codec::query_writer options;
    encode_query(options_only, options);
    if (all.params().size() != Filters + options.params().size()) {
        error = "wrote " + std::to_string(all.params().size()) + " query parameters, expected " +
                std::to_string(Filters) + " filters + " + std::to_string(options.params().size()) + " options";
        return false;
    }
    codec::validator v;
    validate(sample, v);
    if (!v.ok()) {
        error = "refused its own sample: " + v.violations().front().path + ": " + v.violations().front().what;
        return false;
    }
    return true;
}

// --- contract cases and response samples ------------------------------------------------------------

/// One request as the typed client would send it, and whether the schema must accept it.
struct contract_case {
    std::string_view operation_id;
    std::string_view method;
    std::string path;                                          ///< `{id}` filled
    std::vector<std::pair<std::string, std::string>> query;    ///< as encode_query writes it
    std::optional<boost::json::value> body;                    ///< none: no body
    bool expect_valid = true;                                  ///< false: a known-bad request
    std::string label;
};

/// An operation that gets no contract case, and why (a request NetBox takes but its schema refuses).
struct contract_skip {
    std::string_view operation_id;
    std::string_view reason;
};

/// An answer of an operation, which its operation_info::decode_response must read (strict).
struct response_sample {
    std::string_view operation_id;
    boost::json::value answer;
};

/// T filled by its generated sample function.
template <class T, void (*Fill)(T&, int)>
T sample_of() {
    T sample{};
    Fill(sample, 0);
    return sample;
}

template <class T>
boost::json::value encoded(const T& in) {
    boost::json::value out;
    encode(in, out);
    return out;
}

/// [item]
inline boost::json::value listed(boost::json::value item) {
    boost::json::array a;
    a.push_back(std::move(item));
    return a;
}


/// [{"id": id}]: the body of a bulk DELETE.
inline boost::json::value id_list(std::int64_t id) {
    boost::json::object o;
    o["id"] = id;
    return listed(std::move(o));
}

/// The query parameters of P filled by its sample function.
template <class P, void (*Fill)(P&)>
std::vector<std::pair<std::string, std::string>> query_of() {
    P sample{};
    Fill(sample);
    codec::query_writer q;
    encode_query(sample, q);
    return std::move(q.params());
}

}  // namespace netbox::typed_testing
