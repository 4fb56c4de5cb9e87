#include <netbox/multipart.hpp>

#include <netbox/error.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <iterator>
#include <random>
#include <utility>

namespace netbox {
namespace {

[[noreturn]] void invalid_argument(std::string message) {
    throw api_error(make_error(errc::invalid_argument, std::move(message)));
}

/// Field names and file names go inside a quoted string; the HTML form encoding algorithm
/// escapes the three characters that would end it or break the header line.
std::string escape_name(std::string_view name) {
    std::string out;
    out.reserve(name.size());
    for (char c : name) {
        switch (c) {
        case '"': out += "%22"; break;
        case '\r': out += "%0D"; break;
        case '\n': out += "%0A"; break;
        default: out += c;
        }
    }
    return out;
}

/// Boundary characters that RFC 2046 allows and that need no quoting in the Content-Type header.
bool is_boundary_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '\'' || c == '+' || c == '_' || c == '-' || c == '.';
}

bool occurs_in(const multipart_form& form, std::string_view boundary) {
    auto contains = [&](std::string_view s) { return s.find(boundary) != std::string_view::npos; };
    return std::ranges::any_of(form.fields, [&](const auto& f) { return contains(f.first) || contains(f.second); }) ||
           std::ranges::any_of(form.files, [&](const file_part& f) {
               return contains(f.field) || contains(f.filename) || contains(f.content_type) || contains(f.data);
           });
}

std::string random_boundary() {
    static constexpr std::string_view alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    thread_local std::mt19937_64 engine{std::random_device{}()};
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    std::string b = "netbox-cpp-";
    for (int i = 0; i < 32; ++i) b += alphabet[pick(engine)];
    return b;
}

std::string choose_boundary(const multipart_form& form, std::string boundary) {
    if (boundary.empty()) {
        do boundary = random_boundary();
        while (occurs_in(form, boundary));
        return boundary;
    }
    if (boundary.size() > 70 || !std::ranges::all_of(boundary, is_boundary_char))
        invalid_argument("multipart boundary must be 1 to 70 characters from [A-Za-z0-9'+_.-]");
    if (occurs_in(form, boundary)) invalid_argument("multipart boundary occurs in the form content");
    return boundary;
}

std::string lowercase(std::string_view s) {
    std::string out(s);
    std::ranges::transform(out, out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

}  // namespace

file_part file_part::from_path(std::string field, const std::filesystem::path& path, std::string content_type) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        invalid_argument("cannot read " + path.string() + ": " + (ec ? ec.message() : "not a regular file"));
    std::ifstream in(path, std::ios::binary);
    std::string data{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (!in.is_open() || in.bad()) invalid_argument("cannot read " + path.string());
    auto filename = path.filename().string();
    if (content_type.empty()) content_type = guess_content_type(filename);
    return from_bytes(std::move(field), std::move(filename), std::move(data), std::move(content_type));
}

file_part file_part::from_bytes(std::string field, std::string filename, std::string data) {
    return from_bytes(std::move(field), std::move(filename), std::move(data), std::string{});
}

file_part file_part::from_bytes(std::string field, std::string filename, std::string data, std::string content_type) {
    if (content_type.empty()) content_type = guess_content_type(filename);
    return {std::move(field), std::move(filename), std::move(content_type), std::move(data)};
}

multipart_form& multipart_form::add_field(std::string name, std::string value) {
    fields.emplace_back(std::move(name), std::move(value));
    return *this;
}

multipart_form& multipart_form::add_file(file_part part) {
    files.push_back(std::move(part));
    return *this;
}

encoded_multipart encode_multipart(const multipart_form& form, std::string boundary) {
    boundary = choose_boundary(form, std::move(boundary));
    const std::string delimiter = "--" + boundary + "\r\n";

    std::string body;
    for (const auto& [name, value] : form.fields) {
        body += delimiter;
        body += "Content-Disposition: form-data; name=\"" + escape_name(name) + "\"\r\n\r\n";
        body += value;
        body += "\r\n";
    }
    for (const auto& file : form.files) {
        const auto& type = file.content_type.empty() ? guess_content_type(file.filename) : file.content_type;
        body += delimiter;
        body += "Content-Disposition: form-data; name=\"" + escape_name(file.field) + "\"; filename=\"" +
                escape_name(file.filename) + "\"\r\n";
        body += "Content-Type: " + type + "\r\n\r\n";
        body += file.data;
        body += "\r\n";
    }
    body += "--" + boundary + "--\r\n";
    return {"multipart/form-data; boundary=" + boundary, std::move(body)};
}

std::string guess_content_type(std::string_view filename) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> types{{
        {"png", "image/png"},
        {"jpg", "image/jpeg"},
        {"jpeg", "image/jpeg"},
        {"gif", "image/gif"},
        {"svg", "image/svg+xml"},
        {"webp", "image/webp"},
        {"pdf", "application/pdf"},
        {"txt", "text/plain"},
        {"json", "application/json"},
    }};
    const auto dot = filename.rfind('.');
    if (dot != std::string_view::npos) {
        const auto ext = lowercase(filename.substr(dot + 1));
        for (const auto& [known, type] : types)
            if (ext == known) return std::string(type);
    }
    return "application/octet-stream";
}

}  // namespace netbox
