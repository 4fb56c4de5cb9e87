#include <netbox/error.hpp>
#include <netbox/multipart.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace {

using netbox::encode_multipart;
using netbox::file_part;
using netbox::guess_content_type;
using netbox::multipart_form;

std::string boundary_of(const netbox::encoded_multipart& m) {
    const std::string_view prefix = "multipart/form-data; boundary=";
    EXPECT_TRUE(m.content_type.starts_with(prefix)) << m.content_type;
    return m.content_type.substr(prefix.size());
}

std::size_t count(std::string_view haystack, std::string_view needle) {
    std::size_t n = 0;
    for (auto pos = haystack.find(needle); pos != std::string_view::npos; pos = haystack.find(needle, pos + 1)) ++n;
    return n;
}

template <class F>
void expect_invalid_argument(F&& f) {
    try {
        f();
        ADD_FAILURE() << "no exception";
    } catch (const netbox::api_error& e) {
        EXPECT_EQ(e.code(), netbox::errc::invalid_argument);
        EXPECT_FALSE(e.info().message.empty());
    }
}

/// A file in the test's temporary directory, removed afterwards.
class temp_file {
public:
    temp_file(std::string name, std::string_view content)
        : path_(std::filesystem::path(testing::TempDir()) / std::move(name)) {
        std::ofstream(path_, std::ios::binary) << content;
    }
    ~temp_file() { std::filesystem::remove(path_); }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

TEST(Multipart, EncodesFieldsThenFilesWithCrlf) {
    multipart_form form;
    form.add_field("object_type", "dcim.site").add_field("object_id", "7");
    form.add_file(file_part::from_bytes("image", "rack.png", std::string("\x89PNG\r\n\0x", 8)));

    const auto m = encode_multipart(form, "b0und4ry");
    EXPECT_EQ(m.content_type, "multipart/form-data; boundary=b0und4ry");
    const std::string expected = "--b0und4ry\r\n"
                                 "Content-Disposition: form-data; name=\"object_type\"\r\n"
                                 "\r\n"
                                 "dcim.site\r\n"
                                 "--b0und4ry\r\n"
                                 "Content-Disposition: form-data; name=\"object_id\"\r\n"
                                 "\r\n"
                                 "7\r\n"
                                 "--b0und4ry\r\n"
                                 "Content-Disposition: form-data; name=\"image\"; filename=\"rack.png\"\r\n"
                                 "Content-Type: image/png\r\n"
                                 "\r\n" +
                                 std::string("\x89PNG\r\n\0x", 8) +
                                 "\r\n"
                                 "--b0und4ry--\r\n";
    EXPECT_EQ(m.body, expected);
}

TEST(Multipart, EmptyFormIsOnlyTheCloseDelimiter) {
    EXPECT_EQ(encode_multipart({}, "x").body, "--x--\r\n");
}

TEST(Multipart, NamesAreEscapedLikeHtmlForms) {
    multipart_form form;
    form.add_field("a\"b\r\nc", "value \"stays\"\r\n");
    form.add_file(file_part::from_bytes("f\"", "evil\".txt\r\nX-Injected: 1", "data"));
    const auto body = encode_multipart(form, "B").body;
    EXPECT_NE(body.find("name=\"a%22b%0D%0Ac\"\r\n"), std::string::npos) << body;
    EXPECT_NE(body.find("name=\"f%22\"; filename=\"evil%22.txt%0D%0AX-Injected: 1\"\r\n"), std::string::npos)
        << body;
    EXPECT_NE(body.find("\r\nvalue \"stays\"\r\n\r\n"), std::string::npos) << "values are not escaped";
    EXPECT_EQ(body.find("\r\nX-Injected"), std::string::npos);
}

TEST(Multipart, NonAsciiFileNamesAreSentAsUtf8) {
    multipart_form form;
    form.add_file(file_part::from_bytes("image", "Zürich.png", "x"));
    EXPECT_NE(encode_multipart(form, "B").body.find("filename=\"Zürich.png\""), std::string::npos);
}

TEST(Multipart, RandomBoundaryFramesEveryPart) {
    multipart_form form;
    form.add_field("name", "one").add_field("name", "two");
    form.add_file(file_part::from_bytes("image", "a.gif", "GIF89a"));
    const auto m = encode_multipart(form);
    const auto boundary = boundary_of(m);
    ASSERT_GE(boundary.size(), 16u);
    ASSERT_LE(boundary.size(), 70u);
    EXPECT_TRUE(m.body.starts_with("--" + boundary + "\r\n"));
    EXPECT_TRUE(m.body.ends_with("\r\n--" + boundary + "--\r\n"));
    EXPECT_EQ(count(m.body, "--" + boundary), 4u);
}

TEST(Multipart, RandomBoundaryDiffersAndAvoidsTheContent) {
    multipart_form form;
    form.add_field("f", "v");
    const auto first = boundary_of(encode_multipart(form));

    // Content that contains the previous boundary: the next one must differ from it.
    form.add_file(file_part::from_bytes("file", "x.txt", "--" + first + "--\r\n"));
    const auto m = encode_multipart(form);
    const auto second = boundary_of(m);
    EXPECT_NE(first, second);
    EXPECT_EQ(count(m.body, second), 3u);  // two delimiters and the close delimiter, nothing else
}

TEST(Multipart, RejectsUnusableCallerBoundary) {
    multipart_form form;
    form.add_field("note", "contains XYZ inside");
    expect_invalid_argument([&] { encode_multipart(form, "XYZ"); });
    expect_invalid_argument([&] { encode_multipart(form, "has space"); });
    expect_invalid_argument([&] { encode_multipart(form, "semi;colon"); });
    expect_invalid_argument([&] { encode_multipart(form, std::string(71, 'a')); });
    EXPECT_NO_THROW(encode_multipart(form, std::string(70, 'a')));
}

TEST(Multipart, FromBytesGuessesOrKeepsTheContentType) {
    EXPECT_EQ(file_part::from_bytes("image", "photo.JPG", "x").content_type, "image/jpeg");
    const auto explicit_type = file_part::from_bytes("image", "photo.jpg", "x", "image/x-custom");
    EXPECT_EQ(explicit_type.content_type, "image/x-custom");
    EXPECT_EQ(explicit_type.field, "image");
    EXPECT_EQ(explicit_type.filename, "photo.jpg");
    EXPECT_EQ(explicit_type.data, "x");
    EXPECT_EQ(file_part::from_bytes("image", "photo.svg", "x", "").content_type, "image/svg+xml");
}

TEST(Multipart, PartWithoutContentTypeIsGuessedWhenEncoding) {
    multipart_form form;
    form.add_file(file_part{.field = "doc", .filename = "manual.pdf", .content_type = {}, .data = "%PDF"});
    EXPECT_NE(encode_multipart(form, "B").body.find("Content-Type: application/pdf\r\n"), std::string::npos);
}

TEST(Multipart, FromPathReadsTheFile) {
    const std::string content("binary\0\xff\r\n data", 15);
    temp_file file("netbox_multipart_test.webp", content);
    const auto part = file_part::from_path("image", file.path());
    EXPECT_EQ(part.field, "image");
    EXPECT_EQ(part.filename, "netbox_multipart_test.webp");
    EXPECT_EQ(part.content_type, "image/webp");
    EXPECT_EQ(part.data, content);

    EXPECT_EQ(file_part::from_path("image", file.path(), "image/png").content_type, "image/png");
}

TEST(Multipart, FromPathFailsWithInvalidArgument) {
    const auto dir = std::filesystem::path(testing::TempDir());
    expect_invalid_argument([&] { file_part::from_path("image", dir / "netbox_no_such_file.png"); });
    expect_invalid_argument([&] { file_part::from_path("image", dir); });
}

TEST(Multipart, GuessContentType) {
    const std::pair<std::string_view, std::string_view> cases[] = {
        {"a.png", "image/png"},          {"a.PNG", "image/png"},           {"a.jpg", "image/jpeg"},
        {"a.jpeg", "image/jpeg"},        {"a.gif", "image/gif"},           {"a.svg", "image/svg+xml"},
        {"a.webp", "image/webp"},        {"a.pdf", "application/pdf"},     {"a.txt", "text/plain"},
        {"a.json", "application/json"},  {"a.tar.gz", "application/octet-stream"},
        {"png", "application/octet-stream"}, {"", "application/octet-stream"},
        {"a.", "application/octet-stream"},  {"a.pngx", "application/octet-stream"},
    };
    for (auto [name, type] : cases) EXPECT_EQ(guess_content_type(name), type) << name;
}

}  // namespace
