#include "client/auth.hpp"

#include <gtest/gtest.h>

namespace {

using netbox::token_version;
using netbox::detail::authorization_value;
using netbox::detail::effective_token_version;

constexpr std::string_view v2_token = "nbt_AbCdEf123456.s3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3t1234";
constexpr std::string_view v2_secret = "s3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3t1234";
constexpr std::string_view v1_token = "0123456789abcdef0123456789abcdef01234567";

TEST(Auth, AutomaticDetectsV2ByPrefixAndDot) {
    EXPECT_EQ(effective_token_version(v2_token, token_version::automatic), token_version::v2);
    EXPECT_EQ(effective_token_version(v1_token, token_version::automatic), token_version::v1);
    EXPECT_EQ(effective_token_version("nbt_nodot", token_version::automatic), token_version::v1);
    EXPECT_EQ(effective_token_version("abc.def", token_version::automatic), token_version::v1);
    EXPECT_EQ(effective_token_version("NBT_key.secret", token_version::automatic), token_version::v1);
    EXPECT_EQ(effective_token_version("xnbt_key.secret", token_version::automatic), token_version::v1);
}

TEST(Auth, ExplicitVersionWins) {
    EXPECT_EQ(effective_token_version(v2_token, token_version::v1), token_version::v1);
    EXPECT_EQ(effective_token_version(v1_token, token_version::v2), token_version::v2);
}

TEST(Auth, AuthorizationValue) {
    EXPECT_EQ(authorization_value(v2_token, token_version::automatic), "Bearer " + std::string(v2_token));
    EXPECT_EQ(authorization_value(v1_token, token_version::automatic), "Token " + std::string(v1_token));
    EXPECT_EQ(authorization_value(v2_token, token_version::v1), "Token " + std::string(v2_token));
    EXPECT_EQ(authorization_value(v1_token, token_version::v2), "Bearer " + std::string(v1_token));
}

TEST(Auth, EmptyTokenGivesNoHeader) {
    for (auto v : {token_version::automatic, token_version::v1, token_version::v2})
        EXPECT_EQ(authorization_value("", v), "");
}

}  // namespace
