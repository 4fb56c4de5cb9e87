// netbox-cpp: upload, a file field of a write request (image attachments, device type images,
// script modules). A request holding one is sent as multipart/form-data.
#pragma once

#include <string>

namespace netbox {

struct upload {
    std::string filename;      ///< "front.png"
    std::string content;       ///< the bytes
    std::string content_type;  ///< empty: application/octet-stream

    friend bool operator==(const upload&, const upload&) = default;
};

}  // namespace netbox
