// netbox-cpp: choosing the typed client's release line at run time, from a version string such as
// a configuration value or the server's API-Version (docs/typed.md#versions):
//     auto r = netbox::visit_release_line("4.5.10", [&](auto version) {
//         netbox::typed_api<decltype(version)> nb(client);
//         ...
//     });
// Includes every release line's models: a program that pins one includes only that one.
#pragma once

#include <netbox/result.hpp>
#include <netbox/typed/runtime.hpp>
#include <netbox/v4_3/api.hpp>
#include <netbox/v4_4/api.hpp>
#include <netbox/v4_5/api.hpp>
#include <netbox/v4_6/api.hpp>

#include <string>
#include <string_view>
#include <type_traits>

namespace netbox {

/// The release lines of the typed models, oldest first.
inline constexpr std::string_view typed_release_lines[] = {"4.3", "4.4", "4.5", "4.6"};

/// "4.5" for "4.5" or "4.5.10"; errc::unsupported (naming the supported lines) for "4.2", "5.0" or
/// text that is no version.
inline result<std::string> typed_release_line(std::string_view version) {
    return typed_detail::release_line_of(version, typed_release_lines);
}

/// Calls `f` with the version tag (netbox::v4_5::version{}, …) of `version`'s release line and
/// returns what it returns; errc::unsupported when there is none.
template <class F>
auto visit_release_line(std::string_view version, F&& f) -> result<std::invoke_result_t<F&, v4_5::version>> {
    using R = std::invoke_result_t<F&, v4_5::version>;
    auto line = typed_release_line(version);
    if (!line) return line.error();
    auto call = [&](auto tag) -> result<R> {
        if constexpr (std::is_void_v<R>) {
            f(tag);
            return {};
        } else {
            return f(tag);
        }
    };
    if (*line == v4_3::version::release_line) return call(v4_3::version{});
    if (*line == v4_4::version::release_line) return call(v4_4::version{});
    if (*line == v4_5::version::release_line) return call(v4_5::version{});
    return call(v4_6::version{});
}

}  // namespace netbox
