#include <netbox/error.hpp>

#include <boost/throw_exception.hpp>

namespace netbox {
namespace {

class category final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "netbox"; }
    std::string message(int ev) const override {
        switch (static_cast<errc>(ev)) {
        case errc::invalid_argument: return "invalid argument";
        case errc::resolve_failed: return "host name could not be resolved";
        case errc::connect_failed: return "connection failed";
        case errc::tls_handshake_failed: return "TLS handshake failed";
        case errc::timeout: return "timed out";
        case errc::pool_timeout: return "no connection became free before the deadline";
        case errc::connection_closed: return "connection closed before a complete response";
        case errc::truncated_body: return "response body truncated";
        case errc::protocol_error: return "malformed HTTP response";
        case errc::body_too_large: return "response body exceeds the size limit";
        case errc::decompression_failed: return "compressed response body could not be decoded";
        case errc::unexpected_content_type: return "response is not JSON";
        case errc::json_parse_error: return "response body is not valid JSON";
        case errc::cancelled: return "operation cancelled";
        case errc::maybe_committed: return "request failed after it may have reached the server; not repeated";
        case errc::too_many_redirects: return "too many redirects";
        case errc::http_status: return "unexpected HTTP status";
        case errc::graphql_error: return "GraphQL query returned errors";
        case errc::unsupported: return "not supported";
        case errc::certificate_rejected: return "the server's TLS certificate was rejected";
        case errc::host_not_found: return "host not found";
        case errc::content_error: return "response body is not what the endpoint returns";
        case errc::allocation_failed: return "not enough free resources to allocate";
        case errc::invalid_filter: return "filter not accepted by the endpoint";
        case errc::ambiguous_result: return "more than one object matched";
        case errc::inconsistent_pagination: return "pages changed during the scan";
        case errc::validation_failed: return "the request breaks the schema's rules";
        case errc::version_mismatch: return "the server runs another NetBox release line";
        }
        return "unknown netbox error";
    }
};

/// Server text goes into log lines: control characters are escaped (no forged lines, no terminal
/// escapes) and the length is capped. The raw text stays in the error's fields.
std::string printable(std::string_view text) {
    constexpr std::size_t cap = 300;
    std::string out;
    for (char c : text.substr(0, cap)) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else if (c == '\t') out += "\\t";
        else if (u < 0x20 || u == 0x7f) {
            constexpr char hex[] = "0123456789abcdef";
            out += "\\x";
            out += hex[u >> 4];
            out += hex[u & 0xf];
        } else out += c;
    }
    if (text.size() > cap) out += "...";
    return out;
}

void append(std::string& out, std::string_view key, std::string_view value) {
    if (value.empty()) return;
    out += ' ';
    out += printable(key);
    out += '=';
    out += printable(value);
}

}  // namespace

const boost::system::error_category& netbox_category() noexcept {
    static const category instance;
    return instance;
}

std::string error::what() const {
    std::string out = message.empty() ? code.message() : message;
    if (!method.empty() || !url.empty()) {
        out += " [";
        out += method;
        if (!method.empty() && !url.empty()) out += ' ';
        out += url;
        out += ']';
    }
    if (status != 0) append(out, "status", std::to_string(status));
    append(out, "detail", detail);
    for (const auto& f : field_errors) {
        std::string joined;
        for (const auto& m : f.messages) {
            if (!joined.empty()) joined += "; ";
            joined += m;
        }
        append(out, f.field.empty() ? std::string_view("field") : std::string_view(f.field), joined);
    }
    append(out, "request_id", request_id);
    if (attempts > 1) append(out, "attempts", std::to_string(attempts));
    if (maybe_committed) out += " (may have been committed)";
    return out;
}

api_error::api_error(error e) : std::runtime_error(e.what()), info_(std::move(e)) {}

void throw_exception_from_error(const error& e, const boost::source_location& loc) {
    boost::throw_exception(api_error(e), loc);
}

}  // namespace netbox
