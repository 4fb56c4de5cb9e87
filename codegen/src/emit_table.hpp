// netbox-codegen, back end 1: the model as the constant tables of include/netbox/model/api_model.hpp,
// one C++ source per release line (src/model/api_model_v4_5.cpp) plus an index of the release lines.
#pragma once

#include "model.hpp"

#include <span>
#include <string>

namespace netbox::codegen {

struct output_file {
    std::string name;  ///< file name, without directories
    std::string text;
};

/// api_model_v<major>_<minor>.cpp: defines `netbox::model::generated::v<major>_<minor>`.
output_file emit_table(const api& model);

/// api_model_index.cpp: defines `netbox::model::all_apis()` over `models`, in the order given.
output_file emit_index(std::span<const api> models);

}  // namespace netbox::codegen
