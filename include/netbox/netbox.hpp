// netbox-cpp: everything of the low-level client in one include.
#pragma once

#include <netbox/blocking_client.hpp>
#include <netbox/client.hpp>
#include <netbox/error.hpp>
#include <netbox/http.hpp>
#include <netbox/multipart.hpp>
#include <netbox/options.hpp>
#include <netbox/result.hpp>
