#include "client/auth.hpp"

namespace netbox::detail {
namespace {

constexpr std::string_view v2_prefix = "nbt_";

/// The secret of a `nbt_<key>.<secret>` token; empty for anything else.
std::string_view v2_secret(std::string_view token) {
    if (!token.starts_with(v2_prefix)) return {};
    const auto dot = token.find('.', v2_prefix.size());
    return dot == std::string_view::npos ? std::string_view{} : token.substr(dot + 1);
}

void replace_all(std::string& text, std::string_view what, std::string_view with) {
    for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + with.size()))
        text.replace(pos, what.size(), with);
}

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

std::string redact(std::string text, std::string_view token) {
    constexpr std::string_view mask = "<redacted>";
    if (token.empty()) return text;
    replace_all(text, token, mask);
    // The key of a v2 token only names it; the secret must not leak even on its own.
    if (const auto secret = v2_secret(token); !secret.empty()) replace_all(text, secret, mask);
    return text;
}

}  // namespace netbox::detail
