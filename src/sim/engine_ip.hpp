// IPv4/IPv6 arithmetic for the available-* endpoints: addresses as 128-bit numbers, networks as
// (address, length), and the free blocks of a network.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netbox::sim::detail {

__extension__ typedef unsigned __int128 ip_number;

struct ip_network {
    int family = 4;        ///< 4 or 6
    ip_number address = 0; ///< as written (may have host bits: "10.0.0.5/24")
    int length = 0;

    int bits() const noexcept { return family == 4 ? 32 : 128; }
    ip_number first() const noexcept;  ///< network address
    ip_number last() const noexcept;   ///< broadcast / last address
};

/// "10.0.0.0/24", "2001:db8::/48", "10.0.0.1" (a host: /32 or /128).
std::optional<ip_network> parse_network(std::string_view text);
/// An address in its canonical text form (IPv6 with the longest zero run as "::").
std::string format_address(int family, ip_number address);
std::string format_network(int family, ip_number address, int length);

/// The largest aligned blocks covering [first, last] (both inclusive), in order.
std::vector<ip_network> blocks_between(int family, ip_number first, ip_number last);

}  // namespace netbox::sim::detail
