#include "transport/compression.hpp"

#include <gtest/gtest.h>

namespace {

using netbox::errc;
using netbox::detail::decode_content;
using netbox::detail::deflate_compress;
using netbox::detail::gzip_compress;

constexpr std::size_t no_limit = std::size_t(1) << 30;

/// Text with some structure plus every byte value, longer than one inflate chunk.
std::string sample() {
    std::string s;
    for (int i = 0; s.size() < 100'000; ++i) {
        s += R"({"id": )" + std::to_string(i) + R"(, "name": "device-)" + std::to_string(i * 7919 % 1000) + "\"}\n";
        s += static_cast<char>(i % 256);
    }
    return s;
}

/// A zlib stream is a 2-byte header, the raw deflate data and a 4-byte Adler-32 trailer.
std::string raw_deflate(std::string_view data) {
    auto wrapped = deflate_compress(data);
    return wrapped.substr(2, wrapped.size() - 6);
}

TEST(Compression, CompressorsWriteTheirFormatHeaders) {
    const auto gz = gzip_compress("x");
    ASSERT_GE(gz.size(), 2u);
    EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);
    EXPECT_EQ(static_cast<unsigned char>(gz[1]), 0x8b);
    const auto z = deflate_compress("x");
    ASSERT_GE(z.size(), 2u);
    EXPECT_EQ(static_cast<unsigned char>(z[0]) & 0x0f, 8);
}

TEST(Compression, GzipRoundTrip) {
    const auto data = sample();
    for (std::string_view name : {"gzip", "x-gzip", "GZip", " gzip "}) {
        auto out = decode_content(name, gzip_compress(data), no_limit);
        ASSERT_TRUE(out) << name << ": " << out.error().what();
        EXPECT_EQ(*out, data);
    }
}

TEST(Compression, DeflateWithZlibWrapper) {
    const auto data = sample();
    auto out = decode_content("deflate", deflate_compress(data), no_limit);
    ASSERT_TRUE(out) << out.error().what();
    EXPECT_EQ(*out, data);
}

TEST(Compression, RawDeflate) {
    const auto data = sample();
    auto out = decode_content("Deflate", raw_deflate(data), no_limit);
    ASSERT_TRUE(out) << out.error().what();
    EXPECT_EQ(*out, data);
}

TEST(Compression, IdentityAndEmptyPassThrough) {
    const std::string data = "plain \x1f\x8b text";
    for (std::string_view name : {"", "identity", "IDENTITY"}) {
        auto out = decode_content(name, data, no_limit);
        ASSERT_TRUE(out) << name;
        EXPECT_EQ(*out, data);
    }
}

TEST(Compression, EmptyBodyNeedsNoDecoding) {
    for (std::string_view name : {"gzip", "deflate", "br"}) {
        auto out = decode_content(name, "", 0);
        ASSERT_TRUE(out) << name;
        EXPECT_TRUE(out->empty());
    }
}

TEST(Compression, ListIsDecodedRightToLeft) {
    const std::string data = "layered body";
    auto out = decode_content("deflate, gzip", gzip_compress(deflate_compress(data)), no_limit);
    ASSERT_TRUE(out) << out.error().what();
    EXPECT_EQ(*out, data);

    auto with_identity = decode_content("gzip,identity", gzip_compress(data), no_limit);
    ASSERT_TRUE(with_identity);
    EXPECT_EQ(*with_identity, data);

    // The wrong order fails instead of returning garbage.
    EXPECT_FALSE(decode_content("gzip, deflate", gzip_compress(deflate_compress(data)), no_limit));
}

TEST(Compression, ConcatenatedGzipMembersAreAllDecoded) {
    auto out = decode_content("gzip", gzip_compress("first,") + gzip_compress("second"), no_limit);
    ASSERT_TRUE(out) << out.error().what();
    EXPECT_EQ(*out, "first,second");
}

TEST(Compression, DataAfterDeflateStreamIsAnError) {
    auto out = decode_content("deflate", deflate_compress("abc") + "junk", no_limit);
    ASSERT_FALSE(out);
    EXPECT_EQ(out.error().code, errc::decompression_failed);
}

TEST(Compression, UnknownCodingIsReported) {
    auto out = decode_content("br", "whatever", no_limit);
    ASSERT_FALSE(out);
    EXPECT_EQ(out.error().code, errc::decompression_failed);
    EXPECT_NE(out.error().message.find("br"), std::string::npos);
}

TEST(Compression, TruncatedStreamIsReported) {
    for (auto [name, body] : {std::pair{"gzip", gzip_compress(sample())}, {"deflate", deflate_compress(sample())}}) {
        body.resize(body.size() / 2);
        auto out = decode_content(name, body, no_limit);
        ASSERT_FALSE(out) << name;
        EXPECT_EQ(out.error().code, errc::decompression_failed);
        EXPECT_NE(out.error().message.find("truncated"), std::string::npos) << out.error().message;
    }
}

TEST(Compression, CorruptStreamIsReported) {
    auto body = gzip_compress(sample());
    body[body.size() - 6] ^= 0x55;  // inside the CRC-32 trailer
    auto bad_crc = decode_content("gzip", body, no_limit);
    ASSERT_FALSE(bad_crc);
    EXPECT_EQ(bad_crc.error().code, errc::decompression_failed);
    EXPECT_NE(bad_crc.error().message.find("corrupt"), std::string::npos);

    auto not_compressed = decode_content("gzip", "this is not gzip", no_limit);
    ASSERT_FALSE(not_compressed);
    EXPECT_EQ(not_compressed.error().code, errc::decompression_failed);
}

TEST(Compression, LimitIsInclusive) {
    const auto data = sample();
    for (std::string_view name : {"gzip", "deflate", "identity"}) {
        const auto body = name == "gzip" ? gzip_compress(data) : name == "deflate" ? deflate_compress(data) : data;
        auto exact = decode_content(name, body, data.size());
        ASSERT_TRUE(exact) << name;
        EXPECT_EQ(*exact, data);

        auto over = decode_content(name, body, data.size() - 1);
        ASSERT_FALSE(over) << name;
        EXPECT_EQ(over.error().code, errc::body_too_large);
    }
}

TEST(Compression, LimitStopsInflationEarly) {
    // 4096 members of 1 MiB of zeros: 4 GiB decoded from a few MiB. Decoding all of it before
    // checking would exhaust memory; stopping at the limit is quick.
    const auto member = gzip_compress(std::string(1 << 20, '\0'));
    std::string bomb;
    for (int i = 0; i < 4096; ++i) bomb += member;
    auto out = decode_content("gzip", std::move(bomb), 2 << 20);
    ASSERT_FALSE(out);
    EXPECT_EQ(out.error().code, errc::body_too_large);
}

TEST(Compression, LimitAppliesToEveryLayer) {
    const std::string data(1000, 'a');
    auto out = decode_content("gzip, gzip", gzip_compress(gzip_compress(data)), 999);
    ASSERT_FALSE(out);
    EXPECT_EQ(out.error().code, errc::body_too_large);
}

}  // namespace
