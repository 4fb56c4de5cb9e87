// The simulator's reading of multipart/form-data bodies, the client's encoder on the other side.
#include "sim/form_data.hpp"

#include <netbox/multipart.hpp>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <string>

namespace {

namespace json = boost::json;
using netbox::sim::is_form_data;
using netbox::sim::parse_form_data;

TEST(sim_form_data, recognises_the_media_type)
{
    EXPECT_TRUE(is_form_data("multipart/form-data; boundary=x"));
    EXPECT_TRUE(is_form_data("Multipart/Form-Data ;boundary=\"x\""));
    EXPECT_FALSE(is_form_data("application/json"));
    EXPECT_FALSE(is_form_data(""));
}

TEST(sim_form_data, reads_what_the_client_encodes)
{
    netbox::multipart_form form;
    form.add_field("object_type", "dcim.device")
        .add_field("object_id", "7")
        .add_field("tags", "1")
        .add_field("tags", "2")
        .add_file(netbox::file_part::from_bytes("image", "front; panel.png", std::string("\x89PNG\r\n--\r\n", 10)));
    const netbox::encoded_multipart encoded = netbox::encode_multipart(form);

    const auto parsed = parse_form_data(encoded.content_type, encoded.body);
    ASSERT_TRUE(parsed);
    const json::object expected{{"object_type", "dcim.device"},
                                {"object_id", "7"},
                                {"tags", json::array{"1", "2"}},
                                {"image", "front; panel.png"}};
    EXPECT_EQ(*parsed, expected);
}

TEST(sim_form_data, ignores_a_preamble_and_takes_a_quoted_boundary)
{
    const std::string body = "preamble\r\n--b\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nrack 1\r\n--b--\r\n";
    const auto parsed = parse_form_data("multipart/form-data; boundary=\"b\"", body);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, (json::object{{"name", "rack 1"}}));
}

TEST(sim_form_data, refuses_what_does_not_follow_the_boundary)
{
    const std::string part = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n";
    EXPECT_FALSE(parse_form_data("multipart/form-data", part + "--b--\r\n")) << "no boundary";
    EXPECT_FALSE(parse_form_data("multipart/form-data; boundary=c", part + "--b--\r\n")) << "another boundary";
    EXPECT_FALSE(parse_form_data("multipart/form-data; boundary=b", part)) << "no closing delimiter";
    EXPECT_FALSE(parse_form_data("multipart/form-data; boundary=b", "--b\r\nX-Other: 1\r\n\r\n1\r\n--b--\r\n"))
        << "a part without Content-Disposition";
}

}  // namespace
