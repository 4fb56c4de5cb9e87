// netbox-cpp: the vocabulary types of the generated typed models (netbox::v4_x).
#pragma once

#include <netbox/types/choice.hpp>
#include <netbox/types/codec.hpp>
#include <netbox/types/filter.hpp>
#include <netbox/types/json_value.hpp>
#include <netbox/types/operation.hpp>
#include <netbox/types/page.hpp>
#include <netbox/types/ref.hpp>
#include <netbox/types/tri_state.hpp>
#include <netbox/types/upload.hpp>
