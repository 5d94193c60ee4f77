# Warnings for our own targets only; third-party headers come in as SYSTEM includes.
function(fcs_target_warnings target)
    target_compile_options(${target} PRIVATE
        -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
    if(FCS_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()

# Where tests and benchmarks find the third-party models and sample photos.
# The environment (FEATURECAM_MODEL_PATH / FEATURECAM_DATA_PATH) wins at run time.
set(FCS_TEST_MODELS_DIR "${PROJECT_SOURCE_DIR}/../shared/models" CACHE PATH "Models folder used by tests")
set(FCS_TEST_DATA_DIR "${PROJECT_SOURCE_DIR}/../shared/data" CACHE PATH "Sample data folder used by tests")

# Sanitizer and other slow builds stretch every test's time limit by this factor.
set(FCS_TEST_TIMEOUT_SCALE 1 CACHE STRING "Multiplies each test's timeout (scripts/sanitize.sh: 4)")

# The scripted tests (not Qt Test programs, which set it themselves: tests/support/TestHome.cpp)
# keep settings and caches in the build tree, never in the user's.
set(FCS_TEST_HOME_ENVIRONMENT "XDG_CACHE_HOME=${PROJECT_BINARY_DIR}/test-home/cache;XDG_CONFIG_HOME=${PROJECT_BINARY_DIR}/test-home/config;XDG_DATA_HOME=${PROJECT_BINARY_DIR}/test-home/data")

# One Qt Test executable per unit, run by ctest without a display.
function(fcs_add_test name)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBS})
    target_include_directories(${name} PRIVATE "${PROJECT_BINARY_DIR}/tests")
    set_target_properties(${name} PROPERTIES AUTOMOC ON)
    fcs_target_warnings(${name})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 300)
    endif()
    math(EXPR ARG_TIMEOUT "${ARG_TIMEOUT} * ${FCS_TEST_TIMEOUT_SCALE}")
    # Qt 6.4's watchdog misses the end of a test function when its thread is not scheduled in
    # between (a loaded 2-core machine): it then times the whole program, not the function. Seen:
    # TestGallery aborted as "timed out" 27 s into a function, 339 s into the program, while a
    # second build ran. ctest's TIMEOUT stays the limit; the watchdog gets the same.
    math(EXPR watchdogMs "${ARG_TIMEOUT} * 1000")
    add_test(NAME ${name} COMMAND ${name})
    set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT}
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;OMP_NUM_THREADS=2;QTEST_FUNCTION_TIMEOUT=${watchdogMs}")
endfunction()
