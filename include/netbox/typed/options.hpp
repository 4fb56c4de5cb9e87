// netbox-cpp: options of the typed client (docs/typed.md).
#pragma once

#include <netbox/dynamic/app.hpp>
#include <netbox/types/codec.hpp>

#include <functional>
#include <string>

namespace netbox {

/// What the typed client does when the server's API-Version is not its release line.
enum class version_policy {
    error,   ///< every call fails with errc::version_mismatch (the default)
    warn,    ///< a typed_event::version_mismatch is reported, calls go on
    ignore,  ///< nothing
};

/// Something the typed client reports besides its results.
struct typed_event {
    enum class kind {
        tolerated_defect,  ///< a lenient decode let a schema defect through (path, message)
        version_mismatch,  ///< the server runs another release line (message names both)
    };
    kind what = kind::tolerated_defect;
    std::string operation;  ///< "GET /api/dcim/devices/"
    std::string path;       ///< JSON pointer into the answer (tolerated_defect)
    std::string message;
};

struct typed_options {
    version_policy on_version_mismatch = version_policy::error;
    /// Lenient: unknown keys ignored, known schema defects tolerated and reported; strict: both fail.
    codec::decode_mode decoding = codec::decode_mode::lenient;
    /// Check requests against the schema's rules before sending them (errc::validation_failed).
    bool validate_requests = true;
    std::function<void(const typed_event&)> observer;
    /// Streaming pagination (page size, concurrency, pagination mode, URL length): the dynamic
    /// facade's, whose scans the typed streams use.
    api_options scans;
};

}  // namespace netbox
