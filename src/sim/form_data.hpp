// multipart/form-data request bodies, as NetBox accepts them on every write endpoint (image
// attachments, device-type images, ...). The engine validates the fields like a JSON body.
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string_view>

namespace netbox::sim {

/// True when `content_type` is multipart/form-data (parameters aside, case-insensitive).
bool is_form_data(std::string_view content_type);

/// The form as a JSON object, the way Django REST framework hands it to a serializer: a text field
/// becomes a string, a file part its file name (the simulator keeps no file content), and a
/// repeated name an array of its values. nullopt when the content type names no boundary or the
/// body does not follow it.
std::optional<boost::json::object> parse_form_data(std::string_view content_type, std::string_view body);

}  // namespace netbox::sim
