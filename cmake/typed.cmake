# The generated typed code (docs/generator.md, "The typed back end"): one library per NetBox release
# line, netbox_v4_5 (alias netbox::v4_5) from src/v4_5/*.cpp, and the round trips of its samples.
# Included once from the top-level CMakeLists.txt, after the netbox library and the tests.
set(NETBOX_API_VERSIONS "4.3;4.4;4.5;4.6" CACHE STRING
    "NetBox release lines whose typed code (netbox::v4_x) is built")

include(GNUInstallDirs)
if(NETBOX_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()

# The typed code of one release line from its generated sources: `root` holds include/netbox/<id>/,
# src/<id>/ and tests/typed/generated/<id>_samples.cpp; `schema` is the OpenAPI schema they came
# from, which the samples' contract test checks requests against (it may be absent).
function(netbox_typed_library id root schema)
  file(GLOB sources CONFIGURE_DEPENDS ${root}/src/${id}/*.cpp)
  if(NOT sources)
    message(FATAL_ERROR "no generated sources in ${root}/src/${id}/ (see docs/generator.md)")
  endif()
  add_library(netbox_${id} ${sources})
  target_link_libraries(netbox_${id} PUBLIC netbox::netbox)
  # The generated sources include "types/codec_impl.hpp"; the headers only <netbox/types.hpp>.
  target_include_directories(netbox_${id} PUBLIC $<BUILD_INTERFACE:${root}/include> PRIVATE ${PROJECT_SOURCE_DIR}/src)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    # Straight-line codecs: debug information costs compile time and helps little.
    target_compile_options(netbox_${id} PRIVATE -Wall -Wextra -Wpedantic -g0)
  endif()
  if(NETBOX_BUILD_TESTS)
    add_executable(netbox_${id}_samples ${root}/tests/typed/generated/${id}_samples.cpp
                   ${PROJECT_SOURCE_DIR}/tests/typed/generated/samples_test.cpp)
    target_include_directories(netbox_${id}_samples PRIVATE ${PROJECT_SOURCE_DIR}/tests/typed/generated)
    target_compile_definitions(netbox_${id}_samples PRIVATE NETBOX_SAMPLES_NAMESPACE=${id}
      NETBOX_SHARED_DIR="${NETBOX_SHARED_DIR}"
      NETBOX_CONTRACT_SCHEMA="${schema}"
      NETBOX_CONTRACT_SCRIPT="${PROJECT_SOURCE_DIR}/tests/typed/contract/validate_requests.py"
      NETBOX_CONTRACT_CASES="${CMAKE_CURRENT_BINARY_DIR}/typed-contract/${id}-cases.jsonl")
    target_link_libraries(netbox_${id}_samples PRIVATE netbox_${id} GTest::gtest_main)
    if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
      target_compile_options(netbox_${id}_samples PRIVATE -Wall -Wextra -Wpedantic -g0)
    endif()
  endif()
endfunction()

foreach(version IN LISTS NETBOX_API_VERSIONS)
  string(REPLACE "." "_" id "v${version}")
  if(NOT EXISTS ${PROJECT_SOURCE_DIR}/src/${id}/operations.cpp)
    message(WARNING "NETBOX_API_VERSIONS lists ${version}, but src/${id}/ holds no generated code: skipped")
    continue()
  endif()
  netbox_typed_library(${id} ${PROJECT_SOURCE_DIR} ${NETBOX_SHARED_DIR}/netbox-openapi/netbox-${version}.json)
  add_library(netbox::${id} ALIAS netbox_${id})
  set_target_properties(netbox_${id} PROPERTIES EXPORT_NAME ${id} OUTPUT_NAME netbox-cpp-${id})
  install(TARGETS netbox_${id} EXPORT netbox_cpp_targets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
  if(NETBOX_BUILD_TESTS)
    add_test(NAME typed.generated.${id} COMMAND netbox_${id}_samples --gtest_filter=-contract_validation.*)
    set_tests_properties(typed.generated.${id} PROPERTIES TIMEOUT 120)
    # The contract: every request of the samples through an independent validator of the schema
    # (python3 with openapi-schema-validator). Skipped with a message when the schema or the
    # validator is missing; a missing schema fails when CI=true.
    add_test(NAME typed.generated.${id}.contract COMMAND netbox_${id}_samples --gtest_filter=contract_validation.*)
    set_tests_properties(typed.generated.${id}.contract PROPERTIES TIMEOUT 240
      SKIP_REGULAR_EXPRESSION "\\[  SKIPPED \\]" ENVIRONMENT "NETBOX_TEST_CI=$ENV{CI}")
  endif()
endforeach()

# The generator's golden output for the synthetic schema compiles and round-trips too.
if(NETBOX_BUILD_TESTS AND EXISTS ${PROJECT_SOURCE_DIR}/codegen/tests/golden/typed/src/v9_8/operations.cpp)
  netbox_typed_library(v9_8 ${PROJECT_SOURCE_DIR}/codegen/tests/golden/typed
                       ${PROJECT_SOURCE_DIR}/codegen/tests/synthetic-schema.json)
  # What the generated code does, checked on that small output.
  target_sources(netbox_v9_8_samples PRIVATE ${PROJECT_SOURCE_DIR}/tests/typed/generated/golden_behaviour_test.cpp)
  add_test(NAME codegen.golden_typed COMMAND netbox_v9_8_samples)
  set_tests_properties(codegen.golden_typed PROPERTIES TIMEOUT 60)
endif()
