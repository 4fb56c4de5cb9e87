// netbox-cpp: the non-throwing result type.
#pragma once

#include <netbox/error.hpp>

#include <boost/system/result.hpp>

namespace netbox {

/// A value or a `netbox::error`. `.value()` throws `netbox::api_error`; `.has_error()` and `.error()`
/// inspect without throwing.
template <class T>
using result = boost::system::result<T, error>;

}  // namespace netbox
