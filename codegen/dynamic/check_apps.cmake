# ctest codegen.dynamic_apps: runs netbox-dynamic-apps into WORK_DIR and fails unless its output is
# byte-identical to the committed header EXPECTED. To refresh the header after a model change:
#   build/dev/bin/netbox-dynamic-apps include/netbox/dynamic/apps.hpp
cmake_minimum_required(VERSION 3.25)
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
execute_process(COMMAND "${GENERATOR}" "${WORK_DIR}/apps.hpp" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "netbox-dynamic-apps failed (${rc})")
endif()
file(READ "${WORK_DIR}/apps.hpp" generated)
file(READ "${EXPECTED}" committed)
if(NOT generated STREQUAL committed)
  message(FATAL_ERROR "${EXPECTED} differs from what netbox-dynamic-apps writes; regenerate it with\n"
                      "  <build>/bin/netbox-dynamic-apps include/netbox/dynamic/apps.hpp")
endif()
