#!/usr/bin/env bash
# Configures (once) and builds everything into build/ with Ninja.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f build/build.ninja ]; then
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
# Each LibTorch translation unit peaks at 1-1.75 GB; two jobs fit any machine with 4 GB free.
cmake --build build -j "$(nproc)"
