# ctest codegen.golden and codegen.drift: runs netbox-codegen over SCHEMAS into WORK_DIR and checks
# that every file it writes is byte-identical to the committed one in EXPECTED_DIR, and that
# EXPECTED_DIR holds no generated file that no schema produces any more.
#
# Inputs (-D):
#   GENERATOR     the netbox-codegen executable
#   SCHEMAS       a schema file, or a directory whose netbox-*.json files are all read
#   EXPECTED_DIR  where the committed output lives
#   WORK_DIR      scratch output directory (emptied first)
#   MANIFEST      optional: schemas/manifest.json, whose sha256 of each file in SCHEMAS is verified
#   TYPED_ROOT    optional: where the committed typed code lives (include/netbox/v*/, src/v*/,
#                 tests/typed/generated/v*_samples.cpp under it); the generator's --typed output is
#                 compared with it file by file
#
# A missing SCHEMAS prints "SKIPPED: …" (the test's SKIP_REGULAR_EXPRESSION), or fails when the
# environment variable NETBOX_TEST_CI is true.
cmake_minimum_required(VERSION 3.25)

foreach(var IN ITEMS GENERATOR SCHEMAS EXPECTED_DIR WORK_DIR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "check_generated: -D${var}=... is required")
  endif()
endforeach()

if(NOT EXISTS "${SCHEMAS}")
  set(reason "${SCHEMAS} does not exist (schemas come from the CMake cache variable NETBOX_SHARED_DIR)")
  if("$ENV{NETBOX_TEST_CI}" MATCHES "^(1|true|TRUE|True)$")
    message(FATAL_ERROR "${reason} (NETBOX_TEST_CI is set, so this is an error)")
  endif()
  message("SKIPPED: ${reason}")
  return()
endif()

if(IS_DIRECTORY "${SCHEMAS}")
  file(GLOB schema_files "${SCHEMAS}/netbox-*.json")
else()
  set(schema_files "${SCHEMAS}")
endif()
if(NOT schema_files)
  message(FATAL_ERROR "no netbox-*.json schema in ${SCHEMAS}")
endif()

set(problems "")

# The manifest's digests against the files.
if(DEFINED MANIFEST)
  file(READ "${MANIFEST}" manifest)
  string(JSON count LENGTH "${manifest}" schemas)
  math(EXPR last "${count} - 1")
  set(listed "")
  foreach(i RANGE ${last})
    string(JSON name GET "${manifest}" schemas ${i} file)
    string(JSON expected GET "${manifest}" schemas ${i} sha256)
    list(APPEND listed "${name}")
    if(NOT EXISTS "${SCHEMAS}/${name}")
      list(APPEND problems "${name} is listed in ${MANIFEST} but missing from ${SCHEMAS}")
      continue()
    endif()
    file(SHA256 "${SCHEMAS}/${name}" actual)
    if(NOT actual STREQUAL expected)
      list(APPEND problems "${SCHEMAS}/${name} has sha256 ${actual}, ${MANIFEST} says ${expected}")
    endif()
  endforeach()
  foreach(path IN LISTS schema_files)
    get_filename_component(name "${path}" NAME)
    if(NOT name IN_LIST listed)
      list(APPEND problems "${name} is not listed in ${MANIFEST}")
    endif()
  endforeach()
endif()

# Regenerate and compare.
file(REMOVE_RECURSE "${WORK_DIR}")
set(typed_arguments "")
if(DEFINED TYPED_ROOT)
  set(typed_arguments --typed "${WORK_DIR}/typed")
endif()
execute_process(COMMAND "${GENERATOR}" --output "${WORK_DIR}" ${typed_arguments} ${schema_files} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "netbox-codegen failed (${status})")
endif()

file(GLOB generated RELATIVE "${WORK_DIR}" "${WORK_DIR}/*.cpp")
file(GLOB committed RELATIVE "${EXPECTED_DIR}" "${EXPECTED_DIR}/api_model_v*.cpp" "${EXPECTED_DIR}/api_model_index.cpp")
foreach(name IN LISTS generated)
  if(NOT EXISTS "${EXPECTED_DIR}/${name}")
    list(APPEND problems "${EXPECTED_DIR}/${name} is missing")
    continue()
  endif()
  execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${EXPECTED_DIR}/${name}" "${WORK_DIR}/${name}"
                  RESULT_VARIABLE differs)
  if(differs)
    list(APPEND problems "${EXPECTED_DIR}/${name} differs from the generator's output ${WORK_DIR}/${name}")
  endif()
endforeach()
foreach(name IN LISTS committed)
  if(NOT name IN_LIST generated)
    list(APPEND problems "${EXPECTED_DIR}/${name} is generated from no schema in ${SCHEMAS}: remove it")
  endif()
endforeach()

# The typed code, the same way: every generated file committed and equal, no committed leftovers.
if(DEFINED TYPED_ROOT)
  file(GLOB_RECURSE typed_generated RELATIVE "${WORK_DIR}/typed" "${WORK_DIR}/typed/*")
  file(GLOB typed_committed RELATIVE "${TYPED_ROOT}"
       "${TYPED_ROOT}/include/netbox/v*_*/*.hpp" "${TYPED_ROOT}/src/v*_*/*.cpp"
       "${TYPED_ROOT}/tests/typed/generated/v*_samples.cpp")
  foreach(name IN LISTS typed_generated)
    if(NOT EXISTS "${TYPED_ROOT}/${name}")
      list(APPEND problems "${TYPED_ROOT}/${name} is missing")
      continue()
    endif()
    execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${TYPED_ROOT}/${name}" "${WORK_DIR}/typed/${name}"
                    RESULT_VARIABLE differs)
    if(differs)
      list(APPEND problems "${TYPED_ROOT}/${name} differs from the generator's output ${WORK_DIR}/typed/${name}")
    endif()
  endforeach()
  foreach(name IN LISTS typed_committed)
    if(NOT name IN_LIST typed_generated)
      list(APPEND problems "${TYPED_ROOT}/${name} is generated from no schema in ${SCHEMAS}: remove it")
    endif()
  endforeach()
  list(LENGTH typed_generated typed_count)
endif()

if(problems)
  list(JOIN problems "\n  " text)
  message(FATAL_ERROR "the generated model does not match its schemas:\n  ${text}\n"
          "Regenerate them as docs/generator.md describes, review the diff and commit it.")
endif()
list(LENGTH generated checked)
message("${checked} generated tables match ${EXPECTED_DIR}")
if(DEFINED TYPED_ROOT)
  message("${typed_count} generated typed files match ${TYPED_ROOT}")
endif()
