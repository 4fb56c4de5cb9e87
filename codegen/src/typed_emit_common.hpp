// netbox-codegen: how the typed back end spells the model's types and names (internal to the
// typed_emit*.cpp files).
#pragma once

#include "typed_model.hpp"

#include <string>
#include <string_view>

namespace netbox::codegen::typed {

/// "netbox::v4_5" or "netbox::v4_5::dcim".
std::string namespace_of(const version_model& m, const std::string& ns);
/// "::netbox::v4_5::dcim::device", fully qualified so no member name can hide it.
std::string qualified(const version_model& m, const std::string& ns, const std::string& name);

const structure& struct_of(const version_model& m, const std::string& schema);
const enumeration& enum_of(const version_model& m, const cpp_type& choice);

/// Has the struct a member that goes through JSON (anything but a file)?
bool has_json_members(const structure& s);

/// The C++ type of `t` (unwrapped) and of a member (wrapped).
std::string type_text(const version_model& m, const cpp_type& t);
std::string member_type(const version_model& m, const member& mb);

/// The first line of every generated file.
std::string banner(const version_model& m, std::string_view what);

/// Opens and closes namespace blocks so consecutive items of one namespace share a block.
class namespace_blocks {
public:
    explicit namespace_blocks(std::string& out) : out_(out) {}
    ~namespace_blocks() { close(); }
    void enter(const std::string& full_name);
    void close();

private:
    std::string& out_;
    std::string current_;
    bool open_ = false;
};

}  // namespace netbox::codegen::typed
