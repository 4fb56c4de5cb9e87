// netbox-codegen: C++ identifiers from schema names — snake_case, C++ keywords, sanitising.
#pragma once

#include <string>
#include <string_view>

namespace netbox::codegen {

/// A C++ keyword or alternative token (`class`, `default`, `and`), or a name the standard library
/// or C headers define as a macro somewhere we cannot rule out (`errno`, `assert`).
bool is_reserved_word(std::string_view s);

/// Schema name → snake_case: "DeviceWithConfigContext" → "device_with_config_context",
/// "IPAddress" → "ip_address", "L2VPNTermination" → "l2vpn_termination", "IPSecPolicy" →
/// "ipsec_policy" (NetBox's own spelling). Characters that cannot
/// appear in an identifier become `_`; runs of `_` collapse and trailing ones go
/// ("BriefCircuitGroupAssignmentSerializer_Request" → "brief_circuit_group_assignment_serializer_request").
std::string snake_case(std::string_view schema_name);

/// Any text (a property, a URL segment, an enum value) → a usable identifier: characters outside
/// [A-Za-z0-9_] become `_` and runs of `_` one, a leading digit gets a `_` prefix, reserved words
/// a trailing `_`.
std::string identifier(std::string_view text);

/// The namespace of a release line: "4.5" → "v4_5".
std::string version_namespace(std::string_view release_line);

/// A C++ string literal of `s`: quotes and backslashes escaped, control characters in octal.
std::string string_literal(std::string_view s);

}  // namespace netbox::codegen
