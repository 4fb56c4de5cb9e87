# ctest "consumer.find_package": installs the current build tree into a scratch prefix, then
# configures, builds and runs tests/consumer/project against that prefix, the way a user's
# project would consume netbox-cpp through find_package(netbox_cpp CONFIG).
#
# Inputs (-D): NETBOX_SOURCE_DIR, NETBOX_BINARY_DIR, WORK_DIR, GENERATOR.
cmake_minimum_required(VERSION 3.25)

foreach(var IN ITEMS NETBOX_SOURCE_DIR NETBOX_BINARY_DIR WORK_DIR GENERATOR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "consumer test: -D${var}=... is required")
  endif()
endforeach()

# Settings of the build tree that the consumer has to share: compiler, build type, sanitizers.
function(read_cache_entry name out)
  file(STRINGS "${NETBOX_BINARY_DIR}/CMakeCache.txt" line REGEX "^${name}:[A-Za-z_]+=" LIMIT_COUNT 1)
  string(REGEX REPLACE "^${name}:[A-Za-z_]+=" "" value "${line}")
  set(${out} "${value}" PARENT_SCOPE)
endfunction()
if(NOT EXISTS "${NETBOX_BINARY_DIR}/CMakeCache.txt")
  message(FATAL_ERROR "consumer test: ${NETBOX_BINARY_DIR} is not a configured build tree")
endif()
read_cache_entry(CMAKE_CXX_COMPILER cxx_compiler)
read_cache_entry(CMAKE_BUILD_TYPE build_type)
read_cache_entry(CMAKE_MAKE_PROGRAM make_program)
read_cache_entry(NETBOX_SANITIZE sanitize)
if(build_type STREQUAL "")
  set(build_type Release)
endif()

set(prefix "${WORK_DIR}/prefix")
set(consumer_build "${WORK_DIR}/build")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

# Runs one step; on failure prints its output and stops the test.
function(run_step what)
  execute_process(COMMAND ${ARGN}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out TIMEOUT 540)
  if(NOT rc EQUAL 0)
    message("${out}")
    message(FATAL_ERROR "consumer test: ${what} failed (${rc})")
  endif()
  message(STATUS "consumer test: ${what}: ok")
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

# 1. Install the build tree.
run_step("cmake --install"
  "${CMAKE_COMMAND}" --install "${NETBOX_BINARY_DIR}" --prefix "${prefix}" --config "${build_type}")
if(NOT EXISTS "${prefix}/include/netbox/client.hpp")
  message(FATAL_ERROR "consumer test: the install did not provide include/netbox/client.hpp")
endif()

# 2. Configure the consumer against the prefix, with the same generator and compiler.
set(configure_args
  -S "${NETBOX_SOURCE_DIR}/tests/consumer/project" -B "${consumer_build}"
  -G "${GENERATOR}"
  "-DCMAKE_PREFIX_PATH=${prefix}"
  "-DCMAKE_BUILD_TYPE=${build_type}")
if(cxx_compiler)
  list(APPEND configure_args "-DCMAKE_CXX_COMPILER=${cxx_compiler}")
endif()
if(make_program)
  list(APPEND configure_args "-DCMAKE_MAKE_PROGRAM=${make_program}")
endif()
if(sanitize)
  # The installed static library carries sanitizer instrumentation; the program must link the runtime.
  list(APPEND configure_args
    "-DCMAKE_CXX_FLAGS=-fsanitize=${sanitize} -fno-omit-frame-pointer"
    "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=${sanitize}")
endif()
find_program(consumer_ccache ccache)
if(consumer_ccache)
  list(APPEND configure_args "-DCMAKE_CXX_COMPILER_LAUNCHER=${consumer_ccache}")
endif()
run_step("configure the consumer project" "${CMAKE_COMMAND}" ${configure_args})

# 3. Build it.
run_step("build the consumer project" "${CMAKE_COMMAND}" --build "${consumer_build}" --config "${build_type}")

# 4. Run it (the project puts the program in bin/ for every generator).
set(program "${consumer_build}/bin/netbox_consumer${CMAKE_EXECUTABLE_SUFFIX}")
if(NOT EXISTS "${program}")
  message(FATAL_ERROR "consumer test: ${program} was not built")
endif()
execute_process(COMMAND "${program}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out TIMEOUT 60)
message("${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "consumer test: the consumer program failed (${rc})")
endif()
message(STATUS "consumer test: passed")
