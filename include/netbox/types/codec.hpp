// netbox-cpp: the state generated codecs run with. Every generated struct T of netbox::v4_x has,
// found by argument-dependent lookup:
//     void decode(const boost::json::value& in, T& out, netbox::codec::decoder& d);   // JSON → T
//     void encode(const T& in, boost::json::value& out);                               // T → JSON
// and every request struct (and list params struct P) also
//     void validate(const T& in, netbox::codec::validator& v);
//     void encode_query(const P& in, netbox::codec::query_writer& q);                  // P → query
// This header needs only boost/json/fwd.hpp; the functions are defined in the generated sources.
#pragma once

#include <boost/json/fwd.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netbox::codec {

/// One step of a JSON pointer: an object key or an array index.
struct path_step {
    std::string_view key;  ///< empty for an index (keys are the generated, static field names)
    std::size_t index = 0;
};

/// A stack of steps, written out as a JSON pointer ("/results/3/device_type/id").
class json_path {
public:
    json_path() { steps_.reserve(16); }
    void push(std::string_view key) { steps_.push_back({key, 0}); }
    void push(std::size_t index) { steps_.push_back({{}, index}); }
    void pop() noexcept { steps_.pop_back(); }
    std::string pointer() const;
    /// `pointer()` with `last` appended.
    std::string pointer(std::string_view last) const;

private:
    std::vector<path_step> steps_;
};

enum class decode_mode : unsigned char {
    lenient,  ///< unknown keys ignored; known schema defects (a null the schema forbids) tolerated and reported
    strict,   ///< both are errors
};

/// Something a lenient decode let through: a JSON pointer and what was wrong there.
struct decode_note {
    std::string path;
    std::string what;
    friend bool operator==(const decode_note&, const decode_note&) = default;
};

/// Thrown by decoders; carries the JSON pointer of the offending value.
class decode_error : public std::runtime_error {
public:
    decode_error(std::string path, const std::string& what)
        : std::runtime_error((path.empty() ? std::string("/") : path) + ": " + what), path_(std::move(path)),
          reason_(what) {}
    const std::string& path() const noexcept { return path_; }
    /// what() without the path.
    const std::string& reason() const noexcept { return reason_; }

private:
    std::string path_;
    std::string reason_;
};

class decoder {
public:
    explicit decoder(decode_mode mode = decode_mode::lenient) noexcept : mode_(mode) {}

    decode_mode mode() const noexcept { return mode_; }
    json_path& path() noexcept { return path_; }
    /// What lenient decoding let through, in document order.
    const std::vector<decode_note>& notes() const noexcept { return notes_; }
    std::vector<decode_note> take_notes() noexcept { return std::move(notes_); }

    /// Throws decode_error at the current path (with `key` appended when given).
    [[noreturn]] void fail(const std::string& what, std::string_view key = {}) const;
    /// A schema defect: an error when strict, a note when lenient.
    void tolerate(const std::string& what, std::string_view key = {});

    /// Where the last member was found in the object being decoded: NetBox answers list members
    /// in schema order, the order generated decoders read them in, so the next one is usually next.
    struct lookup_hint {
        const void* object = nullptr;
        std::size_t index = 0;
    };
    lookup_hint& hint() noexcept { return hint_; }

private:
    decode_mode mode_;
    json_path path_;
    std::vector<decode_note> notes_;
    lookup_hint hint_;
};

/// One rule a request broke: a JSON pointer into the body (or a query parameter name) and why.
struct violation {
    std::string path;
    std::string what;
    friend bool operator==(const violation&, const violation&) = default;
};

/// Collects every violation of a request (it does not stop at the first).
class validator {
public:
    json_path& path() noexcept { return path_; }
    void add(const std::string& what, std::string_view key = {});
    const std::vector<violation>& violations() const noexcept { return violations_; }
    bool ok() const noexcept { return violations_.empty(); }

private:
    json_path path_;
    std::vector<violation> violations_;
};

/// Receives the query parameters of a list params struct, in order (`site=a&site=b`).
class query_writer {
public:
    void add(std::string_view key, std::string value) { params_.emplace_back(std::string(key), std::move(value)); }
    std::vector<std::pair<std::string, std::string>>& params() noexcept { return params_; }

private:
    std::vector<std::pair<std::string, std::string>> params_;
};

}  // namespace netbox::codec
