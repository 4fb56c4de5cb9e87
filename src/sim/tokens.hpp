// API tokens as NetBox checks and provisions them. Before 4.5: DRF's `Token <key>` only, any other
// keyword is ignored. From 4.5: `Token` or `Bearer` alike, a v2 token told apart from a v1
// plaintext by its `nbt_` prefix, not by the keyword. Refusals carry NetBox's exact words.
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace netbox::sim {

struct auth_result {
    enum class outcome { anonymous, authenticated, refused };
    outcome result = outcome::anonymous;
    std::string detail;         ///< refused: the text of NetBox's 403
    bool write_enabled = true;  ///< authenticated: the token may write
};

struct provision_answer {
    int status = 201;
    boost::json::value body;
};

class token_store {
public:
    /// `v2_tokens`: NetBox 4.5 or later. `tokens`: the accepted tokens, v1 plaintexts or, with
    /// v2_tokens, `nbt_<key>.<secret>`. `seed` makes provisioned tokens reproducible.
    token_store(bool v2_tokens, const std::vector<std::string>& tokens, std::uint64_t seed);

    /// Checks an `Authorization` header value ("" when there is none).
    auth_result authenticate(std::string_view authorization) const;

    /// POST /api/users/tokens/provision/: checks the user name and password in `body` against
    /// the given ones, then makes a token that is accepted from then on.
    provision_answer provision(const boost::json::value& body, std::string_view username,
                               std::string_view password, std::string_view base_url);

private:
    struct token {
        std::int64_t id = 0;
        int version = 1;
        std::string key;     ///< v2 only
        std::string secret;  ///< the v1 plaintext, or the v2 secret
        bool write_enabled = true;
    };

    const token* find(int version, std::string_view key, std::string_view secret) const;
    std::string random_text(std::size_t length, std::string_view alphabet);
    boost::json::object describe(const token& t, std::string_view description, std::string_view username,
                                 std::string_view base_url) const;

    bool v2_tokens_;
    std::vector<token> tokens_;
    std::mt19937_64 random_;
};

}  // namespace netbox::sim
