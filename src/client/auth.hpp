// Token handling: the Authorization header value.
#pragma once

#include <netbox/options.hpp>

#include <string>
#include <string_view>

namespace netbox::detail {

/// v2 when asked for, or when automatic and the token looks like `nbt_<key>.<secret>`.
token_version effective_token_version(std::string_view token, token_version requested);

/// "Bearer nbt_<key>.<secret>" (v2) or "Token <key>" (v1); empty for an empty token.
std::string authorization_value(std::string_view token, token_version requested);

}  // namespace netbox::detail
