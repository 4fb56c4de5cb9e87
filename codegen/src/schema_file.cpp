#include "schema_file.hpp"

#include <boost/json/parse.hpp>
#include <openssl/evp.h>

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string_view>
#include <system_error>

namespace netbox::codegen {
namespace {

std::string read_bytes(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot open " + path.string());
    std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad())
        throw std::runtime_error("cannot read " + path.string());
    return bytes;
}

std::string sha256_hex(std::string_view bytes)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("sha256 failed");
    constexpr std::string_view hex_digits = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < size; ++i) {
        hex += hex_digits[digest[i] >> 4];
        hex += hex_digits[digest[i] & 0xf];
    }
    return hex;
}

}  // namespace

schema_file load_schema_file(const std::filesystem::path& path)
{
    const std::string bytes = read_bytes(path);
    std::error_code ec;
    boost::json::value document = boost::json::parse(bytes, ec);
    if (ec)
        throw std::runtime_error(path.string() + " is not JSON: " + ec.message());
    return {path.filename().string(), sha256_hex(bytes), std::move(document)};
}

}  // namespace netbox::codegen
