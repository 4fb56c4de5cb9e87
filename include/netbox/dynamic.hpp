// netbox-cpp: the dynamic facade, pynetbox's API as C++20 coroutines (docs/dynamic.md).
#pragma once

#include <netbox/dynamic/api.hpp>
#include <netbox/dynamic/app.hpp>
#include <netbox/dynamic/blocking.hpp>
#include <netbox/dynamic/endpoint.hpp>
#include <netbox/dynamic/options.hpp>
#include <netbox/dynamic/record.hpp>
