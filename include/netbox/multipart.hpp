// netbox-cpp: multipart/form-data bodies (image attachments and other uploads).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netbox {

/// One file part. Build it with one of the three factories.
struct file_part {
    std::string field;         ///< form field name ("image")
    std::string filename;      ///< file name sent to the server
    std::string content_type;  ///< e.g. "image/png"; guessed from the file name when empty
    std::string data;          ///< the bytes (read from disk when made with from_path)

    /// Reads the file now; throws api_error(errc::invalid_argument) when it cannot be read.
    static file_part from_path(std::string field, const std::filesystem::path& path, std::string content_type = {});
    static file_part from_bytes(std::string field, std::string filename, std::string data);
    static file_part from_bytes(std::string field, std::string filename, std::string data, std::string content_type);
};

/// A multipart/form-data body: ordinary text fields plus file parts, in the order given.
struct multipart_form {
    std::vector<std::pair<std::string, std::string>> fields;
    std::vector<file_part> files;

    multipart_form& add_field(std::string name, std::string value);
    multipart_form& add_file(file_part part);
};

/// The encoded body and its content type (with the boundary). `boundary` empty = a random one that
/// does not occur in the content. A given boundary must be 1 to 70 characters of [A-Za-z0-9'+_.-]
/// and must not occur in the content; otherwise api_error(errc::invalid_argument) is thrown.
/// Field and file names are escaped as HTML forms do (`"` %22, CR %0D, LF %0A); values are not.
struct encoded_multipart {
    std::string content_type;
    std::string body;
};
encoded_multipart encode_multipart(const multipart_form& form, std::string boundary = {});

/// Content type for a file name by extension (png, jpg, jpeg, gif, svg, webp, pdf, txt, json); else
/// application/octet-stream.
std::string guess_content_type(std::string_view filename);

}  // namespace netbox
