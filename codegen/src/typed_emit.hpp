// netbox-codegen, back end 2: the typed model of a release line as C++ — per app a header
// (include/netbox/v4_5/<app>.hpp) and a source of codecs (src/v4_5/<app>.cpp), common.hpp/.cpp for
// what several apps share, api.hpp (version tag, apps aggregate), operations.cpp (the operation
// table) and the test-only samples (tests/typed/generated/v4_5_samples.cpp).
#pragma once

#include "emit_table.hpp"
#include "typed_model.hpp"

#include <vector>

namespace netbox::codegen::typed {

/// The files of one release line; names are paths relative to the repository root.
std::vector<output_file> emit_typed(const version_model& m);

/// Counts for the generator's summary line.
struct typed_counts {
    std::size_t structs = 0, enums = 0, params = 0, operations = 0;
};
typed_counts count(const version_model& m);

}  // namespace netbox::codegen::typed
