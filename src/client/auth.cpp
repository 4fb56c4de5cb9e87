#include "client/auth.hpp"

namespace netbox::detail {
namespace {

constexpr std::string_view v2_prefix = "nbt_";

}  // namespace

token_version effective_token_version(std::string_view token, token_version requested) {
    if (requested != token_version::automatic) return requested;
    const bool v2_shape = token.starts_with(v2_prefix) && token.find('.', v2_prefix.size()) != std::string_view::npos;
    return v2_shape ? token_version::v2 : token_version::v1;
}

std::string authorization_value(std::string_view token, token_version requested) {
    if (token.empty()) return {};
    const bool v2 = effective_token_version(token, requested) == token_version::v2;
    return (v2 ? "Bearer " : "Token ") + std::string(token);
}

}  // namespace netbox::detail
