#include "client/url.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/pchars.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <boost/url/url.hpp>

#include <algorithm>
#include <cctype>

namespace netbox::detail {
namespace {

namespace urls = boost::urls;

std::uint16_t default_port(bool tls) { return tls ? 443 : 80; }

bool is_host_name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

/// The origin of an absolute URL. `what` names the URL in messages, which never repeat the URL:
/// it may carry credentials.
result<origin> origin_of(const urls::url_view_base& u, std::string_view what) {
    auto fail = [&](std::string_view problem) {
        return make_error(errc::invalid_argument, std::string(what) + ' ' + std::string(problem));
    };
    origin o;
    switch (u.scheme_id()) {
    case urls::scheme::http: break;
    case urls::scheme::https: o.tls = true; break;
    default: return fail("must use http or https, not '" + std::string(u.scheme()) + "'");
    }
    if (u.has_userinfo()) return fail("must not contain user info (credentials); use a token");

    o.host = u.host_address();
    std::ranges::transform(o.host, o.host.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const bool valid_host = u.host_type() == urls::host_type::ipv4 || u.host_type() == urls::host_type::ipv6 ||
                            (u.host_type() == urls::host_type::name && std::ranges::all_of(o.host, is_host_name_char));
    if (o.host.empty() || !valid_host) return fail("has no valid host");

    o.port = default_port(o.tls);
    if (u.has_port() && !u.port().empty()) {
        o.port = u.port_number();  // 0 when out of range
        if (o.port == 0) return fail("has a port out of range");
    }
    return o;
}

}  // namespace

std::string origin::to_string() const {
    std::string out = tls ? "https://" : "http://";
    out += host.find(':') == std::string::npos ? host : '[' + host + ']';
    if (port != default_port(tls)) out += ':' + std::to_string(port);
    return out;
}

result<base_url> parse_base_url(std::string_view url) {
    if (url.empty()) return make_error(errc::invalid_argument, "base URL is empty");
    const auto parsed = urls::parse_uri(url);
    if (!parsed) return make_error(errc::invalid_argument, "base URL is not a valid http(s)://host[:port][/prefix] URL");
    auto where = origin_of(*parsed, "base URL");
    if (!where) return where.error();
    if (parsed->has_query()) return make_error(errc::invalid_argument, "base URL must not contain a query ('?')");
    if (parsed->has_fragment()) return make_error(errc::invalid_argument, "base URL must not contain a fragment ('#')");

    std::string_view prefix = parsed->encoded_path();
    while (prefix.ends_with('/')) prefix.remove_suffix(1);
    base_url base{std::move(*where), std::string(prefix), {}};
    base.text = base.where.to_string() + base.prefix;
    return base;
}

result<void> check_request_path(std::string_view path) {
    if (!path.starts_with('/'))
        return make_error(errc::invalid_argument,
                          "request path must start with '/' and be relative to the base URL (e.g. /api/dcim/sites/)");
    if (path.starts_with("//")) return make_error(errc::invalid_argument, "request path must not start with '//'");
    if (path.find_first_of("?#") != std::string_view::npos)
        return make_error(errc::invalid_argument,
                          "request path must not contain '?' or '#'; pass query parameters separately");
    // NetBox answers a missing slash with a redirect, which loses the body of a write.
    if (path.starts_with("/api/") && !path.ends_with('/'))
        return make_error(errc::invalid_argument,
                          "NetBox API paths end with '/': " + std::string(path) + " needs a trailing slash");
    return {};
}

std::string build_target(const base_url& base, std::string_view path, const query_params& query) {
    static constexpr auto path_chars = urls::pchars + '/';
    std::string target = base.prefix + urls::encode(path, path_chars);
    char separator = '?';
    for (const auto& [key, value] : query) {
        // Only unreserved characters stay literal: '+' must not reach Django as a space.
        target += separator;
        target += urls::encode(key, urls::unreserved_chars);
        target += '=';
        target += urls::encode(value, urls::unreserved_chars);
        separator = '&';
    }
    return target;
}

result<resolved_location> resolve_location(const origin& current, std::string_view location,
                                           std::string_view current_target) {
    if (location.empty()) return make_error(errc::invalid_argument, "redirect has an empty Location");
    const auto reference = urls::parse_uri_reference(location);
    if (!reference) return make_error(errc::invalid_argument, "redirect Location is not a valid URI reference");
    const std::string base_text = current.to_string() + std::string(current_target);
    const auto base = urls::parse_uri(base_text);
    if (!base) return make_error(errc::invalid_argument, "request target cannot serve as a base URL");

    urls::url resolved;
    if (!urls::resolve(*base, *reference, resolved)) return make_error(errc::invalid_argument, "redirect Location cannot be resolved");
    auto where = origin_of(resolved, "redirect Location");
    if (!where) return where.error();

    std::string target = resolved.encoded_path().empty() ? "/" : std::string(resolved.encoded_path());
    if (resolved.has_query()) target += '?' + std::string(resolved.encoded_query());
    return resolved_location{std::move(*where), std::move(target)};
}

}  // namespace netbox::detail
