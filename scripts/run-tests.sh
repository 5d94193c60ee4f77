#!/usr/bin/env bash
# Command 2 of the README: build and run the whole test suite (ctest), then the fuzzers for
# 45 s each. Tests read the shared models and photos from FEATURECAM_MODEL_PATH /
# FEATURECAM_DATA_PATH (default: ../shared/*).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
export FEATURECAM_MODEL_PATH="${FEATURECAM_MODEL_PATH:-$root/../shared/models}"
export FEATURECAM_DATA_PATH="${FEATURECAM_DATA_PATH:-$root/../shared/data}"
(cd build && ctest --output-on-failure --timeout 900)
# The fuzzers' short run (45 s each, ASan + UBSan): a crash on any input fails the tests.
"$root/scripts/fuzz.sh" "${FCS_FUZZ_SECONDS:-45}"
