// netbox-codegen: the parts of the typed back end's output, one writer each (internal).
#pragma once

#include "typed_model.hpp"

#include <cstdint>
#include <string>

namespace netbox::codegen::typed {

/// src/<ns>/<unit>.cpp: decode/encode/validate of the unit's structs, encode_query/validate of its
/// params.
std::string codec_source(const version_model& m, const std::string& unit);

/// tests/typed/generated/<ns>_samples.cpp: a sample of every struct and params struct, the
/// registry of their round trips, the contract cases and the response samples.
std::string samples_source(const version_model& m);

/// The part of the samples file after the fill functions: `contract_cases()`, `contract_skips()`
/// and `response_samples()` of the version's `testing` namespace (typed_emit_contract.cpp).
std::string contract_source(const version_model& m);

/// The sample function of a struct, page or params struct: "fill_dcim_device" (prefix "fill_"),
/// the version's own namespace spelled "common".
std::string fill_name(const std::string& prefix, const std::string& ns, const std::string& name);

/// The lookup a params sample sets for a family with lookup mask `mask` (its lowest): "exact",
/// "n", …, "empty".
std::string sample_lookup(std::uint32_t mask);

/// The value type of a filter family's filter_of<T>.
std::string filter_value_type(model::filter_kind kind);

}  // namespace netbox::codegen::typed
