#!/usr/bin/env bash
# Builds the whole project with AddressSanitizer + UndefinedBehaviorSanitizer (GCC) into
# build-asan/ and runs the whole test suite there. Not part of CI (about 45 minutes on 2 cores);
# run it before a release or after touching memory-heavy code. Exits non-zero on any report.
# Usage: scripts/sanitize.sh [ctest arguments, e.g. -R TestImage]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
"$root/scripts/install-deps.sh"
out="$root/build-asan"
# No precompiled headers: a sanitized PCH of LibTorch is ~0.8 GB per target, for little gain.
cmake -S . -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DFCS_USE_PCH=OFF -DFCS_BUILD_BENCHMARKS=OFF \
    -DFCS_TEST_TIMEOUT_SCALE=4 \
    -DCMAKE_CXX_FLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
    -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined"
cmake --build "$out" -j "$(nproc)"

export FEATURECAM_MODEL_PATH="${FEATURECAM_MODEL_PATH:-$root/../shared/models}"
export FEATURECAM_DATA_PATH="${FEATURECAM_DATA_PATH:-$root/../shared/data}"
# LibTorch, OpenCV and Qt are not instrumented: their one-time allocations at exit are not our
# leaks (detect_leaks=0), and Debian's libtorch and OpenCV both carry protobuf, whose globals
# ASan would flag as an ODR violation between two libraries we do not build.
export ASAN_OPTIONS="detect_leaks=0:detect_odr_violation=0:abort_on_error=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# Everything runs 3–10× slower: Qt Test's 5-minute watchdog per test function would fire first.
export QTEST_FUNCTION_TIMEOUT=3600000
export FCS_TEST_TIME_SCALE=10 # timing assertions (closing the window within 1 s) stretch alike
cd "$out"
# The exporter's test runs Python's torch (not our code) and takes long under ASan's featurecam-cli.
ctest --output-on-failure -E "TestExporter" "$@"
