// Token handling: the Authorization header value, and redaction.
#pragma once

#include <netbox/options.hpp>

#include <string>
#include <string_view>

namespace netbox::detail {

/// v2 when asked for, or when automatic and the token looks like `nbt_<key>.<secret>`.
token_version effective_token_version(std::string_view token, token_version requested);

/// "Bearer nbt_<key>.<secret>" (v2) or "Token <key>" (v1); empty for an empty token.
std::string authorization_value(std::string_view token, token_version requested);

/// Replaces every occurrence of `token` (and, for v2, its secret part) in `text` with "<redacted>".
std::string redact(std::string text, std::string_view token);

}  // namespace netbox::detail
