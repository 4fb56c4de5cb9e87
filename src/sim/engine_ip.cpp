#include "engine_ip.hpp"

#include <charconv>
#include <cstdio>

namespace netbox::sim::detail {
namespace {

ip_number host_mask(int bits, int length)
{
    const int host_bits = bits - length;
    return host_bits >= 128 ? ~ip_number{0} : (ip_number{1} << host_bits) - 1;
}

std::optional<ip_number> parse_v4(std::string_view text)
{
    ip_number value = 0;
    for (int part = 0; part < 4; ++part) {
        unsigned octet = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), octet);
        if (ec != std::errc{} || octet > 255 || end == text.data())
            return std::nullopt;
        value = (value << 8) | octet;
        text.remove_prefix(static_cast<std::size_t>(end - text.data()));
        if (part < 3) {
            if (!text.starts_with('.'))
                return std::nullopt;
            text.remove_prefix(1);
        }
    }
    return text.empty() ? std::optional(value) : std::nullopt;
}

std::optional<ip_number> parse_v6(std::string_view text)
{
    std::vector<unsigned> head;
    std::vector<unsigned> tail;
    bool compressed = false;
    if (text.starts_with("::")) {
        compressed = true;
        text.remove_prefix(2);
    }
    while (!text.empty()) {
        unsigned group = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), group, 16);
        if (ec != std::errc{} || group > 0xffff || end - text.data() > 4)
            return std::nullopt;
        (compressed ? tail : head).push_back(group);
        text.remove_prefix(static_cast<std::size_t>(end - text.data()));
        if (text.starts_with("::")) {
            if (compressed)
                return std::nullopt;
            compressed = true;
            text.remove_prefix(2);
        } else if (text.starts_with(':')) {
            text.remove_prefix(1);
        } else if (!text.empty()) {
            return std::nullopt;
        }
    }
    const std::size_t groups = head.size() + tail.size();
    if (groups > 8 || (!compressed && groups != 8))
        return std::nullopt;
    ip_number value = 0;
    for (const unsigned g : head)
        value = (value << 16) | g;
    for (std::size_t i = groups; i < 8; ++i)
        value <<= 16;
    for (const unsigned g : tail)
        value = (value << 16) | g;
    return value;
}

}  // namespace

ip_number ip_network::first() const noexcept
{
    return address & ~host_mask(bits(), length);
}

ip_number ip_network::last() const noexcept
{
    return first() | host_mask(bits(), length);
}

std::optional<ip_network> parse_network(std::string_view text)
{
    const std::size_t slash = text.find('/');
    const std::string_view host = text.substr(0, slash);
    ip_network n;
    n.family = host.find(':') != std::string_view::npos ? 6 : 4;
    const auto address = n.family == 4 ? parse_v4(host) : parse_v6(host);
    if (!address)
        return std::nullopt;
    n.address = *address;
    n.length = n.bits();
    if (slash != std::string_view::npos) {
        const std::string_view length = text.substr(slash + 1);
        const auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), n.length);
        if (ec != std::errc{} || end != length.data() + length.size() || n.length < 0 || n.length > n.bits())
            return std::nullopt;
    }
    return n;
}

std::string format_address(int family, ip_number address)
{
    char text[48];
    if (family == 4) {
        const auto v = static_cast<unsigned>(address);
        std::snprintf(text, sizeof text, "%u.%u.%u.%u", v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255);
        return text;
    }
    unsigned groups[8];
    for (int i = 7; i >= 0; --i, address >>= 16)
        groups[i] = static_cast<unsigned>(address & 0xffff);
    int best_start = -1;
    int best_length = 1;  // a single zero group is not compressed
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && groups[j] == 0)
            ++j;
        if (j - i > best_length) {
            best_start = i;
            best_length = j - i;
        }
        i = j > i ? j : i + 1;
    }
    std::string out;
    for (int i = 0; i < 8; ++i) {
        if (i == best_start) {
            out += "::";
            i += best_length - 1;
            continue;
        }
        if (!out.empty() && !out.ends_with(':'))
            out += ':';
        std::snprintf(text, sizeof text, "%x", groups[i]);
        out += text;
    }
    return out;
}

std::string format_network(int family, ip_number address, int length)
{
    return format_address(family, address) + "/" + std::to_string(length);
}

std::vector<ip_network> blocks_between(int family, ip_number first, ip_number last)
{
    const int bits = family == 4 ? 32 : 128;
    std::vector<ip_network> blocks;
    while (first <= last) {
        int length = bits;
        // grow the block while it stays aligned and inside the range
        while (length > 0) {
            const ip_number mask = host_mask(bits, length - 1);
            if ((first & mask) != 0 || (first | mask) > last)
                break;
            --length;
        }
        blocks.push_back({family, first, length});
        const ip_number end = first | host_mask(bits, length);
        if (end == (family == 4 ? ip_number{0xffffffffu} : ~ip_number{0}))
            break;
        first = end + 1;
    }
    return blocks;
}

}  // namespace netbox::sim::detail
