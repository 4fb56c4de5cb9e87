#include "transport/compression.hpp"

#include <boost/assert.hpp>

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>
#include <new>
#include <stdexcept>
#include <vector>

namespace netbox::detail {
namespace {

// zlib window bits: 15 = zlib wrapper, -15 = raw deflate, 16 + 15 = gzip wrapper.
constexpr int zlib_window = 15;
constexpr int raw_window = -15;
constexpr int gzip_window = 16 + 15;

std::string lower_trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    std::string out(s);
    std::ranges::transform(out, out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::vector<std::string> split_codings(std::string_view list) {
    std::vector<std::string> codings;
    while (!list.empty()) {
        const auto comma = list.find(',');
        codings.push_back(lower_trimmed(list.substr(0, comma)));
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    }
    return codings;
}

/// RFC 1950 header: compression method 8 and a check value making the first two bytes a multiple
/// of 31. Servers answering "deflate" send either this wrapper or a raw stream without it.
bool has_zlib_header(std::string_view data) {
    if (data.size() < 2) return false;
    const auto cmf = static_cast<unsigned char>(data[0]);
    const auto flg = static_cast<unsigned char>(data[1]);
    return (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && (cmf * 256 + flg) % 31 == 0;
}

class inflater {
public:
    explicit inflater(int window_bits) { ok_ = inflateInit2(&zs_, window_bits) == Z_OK; }
    ~inflater() {
        if (ok_) inflateEnd(&zs_);
    }
    inflater(const inflater&) = delete;
    inflater& operator=(const inflater&) = delete;

    /// Inflates all of `in`; fails as soon as the output would pass `limit`. `multi_member`
    /// accepts concatenated streams (gzip, RFC 1952 section 2.2).
    result<std::string> run(std::string_view in, std::size_t limit, bool multi_member) {
        if (!ok_) return make_error(errc::decompression_failed, "cannot initialise zlib");
        std::string out;
        std::array<unsigned char, 16 * 1024> chunk;
        zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
        std::size_t unfed = in.size();
        for (;;) {
            feed(unfed);
            zs_.next_out = chunk.data();
            zs_.avail_out = static_cast<uInt>(chunk.size());
            const int rc = inflate(&zs_, Z_NO_FLUSH);
            const std::size_t produced = chunk.size() - zs_.avail_out;
            if (produced > limit - out.size())
                return make_error(errc::body_too_large,
                               "decompressed body exceeds the limit of " + std::to_string(limit) + " bytes");
            out.append(reinterpret_cast<const char*>(chunk.data()), produced);

            if (rc == Z_STREAM_END) {
                if (zs_.avail_in == 0 && unfed == 0) return out;
                if (!multi_member)
                    return make_error(errc::decompression_failed, "data after the end of the deflate stream");
                inflateReset(&zs_);
            } else if (rc == Z_BUF_ERROR && zs_.avail_in == 0 && unfed == 0) {
                return make_error(errc::decompression_failed, "compressed body is truncated");
            } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
                return make_error(errc::decompression_failed,
                               std::string("compressed body is corrupt: ") + (zs_.msg ? zs_.msg : "zlib error"));
            }
        }
    }

private:
    /// zlib counts in uInt: hand the input over in pieces it can hold.
    void feed(std::size_t& unfed) {
        if (zs_.avail_in != 0 || unfed == 0) return;
        const auto n = std::min<std::size_t>(unfed, std::numeric_limits<uInt>::max());
        zs_.avail_in = static_cast<uInt>(n);
        unfed -= n;
    }

    z_stream zs_{};
    bool ok_ = false;
};

result<std::string> decode_one(std::string_view coding, std::string body, std::size_t limit) {
    if (coding.empty() || coding == "identity") return body;
    if (coding == "gzip" || coding == "x-gzip") return inflater(gzip_window).run(body, limit, true);
    if (coding == "deflate")
        return inflater(has_zlib_header(body) ? zlib_window : raw_window).run(body, limit, false);
    return make_error(errc::decompression_failed, "unsupported Content-Encoding: " + std::string(coding));
}

std::string compress(std::string_view data, int window_bits) {
    if (data.size() > std::numeric_limits<uInt>::max()) throw std::length_error("gzip/deflate input too large");
    z_stream zs{};
    if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::bad_alloc();
    std::string out(deflateBound(&zs, static_cast<uLong>(data.size())), '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    // With deflateBound bytes of room, one Z_FINISH call always completes the stream.
    [[maybe_unused]] const int rc = deflate(&zs, Z_FINISH);
    BOOST_ASSERT(rc == Z_STREAM_END);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

}  // namespace

result<std::string> decode_content(std::string_view content_encoding, std::string body, std::size_t limit) {
    // Nothing to decode: HEAD answers and 204s may still name a coding.
    if (body.empty()) return body;
    const auto codings = split_codings(content_encoding);
    // Codings are listed in the order they were applied; undo them from the last.
    for (auto it = codings.rbegin(); it != codings.rend(); ++it) {
        auto decoded = decode_one(*it, std::move(body), limit);
        if (!decoded) return decoded;
        body = std::move(*decoded);
    }
    if (body.size() > limit)
        return make_error(errc::body_too_large, "body exceeds the limit of " + std::to_string(limit) + " bytes");
    return body;
}

std::string gzip_compress(std::string_view data) { return compress(data, gzip_window); }

std::string deflate_compress(std::string_view data) { return compress(data, zlib_window); }

}  // namespace netbox::detail
