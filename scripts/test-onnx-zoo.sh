#!/usr/bin/env bash
# The ONNX importer on all five torchvision families of issue 27 (resnet50, densenet121,
# efficientnet_b0, vit_b_16, swin_t; random weights; opsets 13 and 17): TestOnnxZoo with
# FCS_ONNX_ZOO=all. About 5 minutes on 2 cores; the test command runs two of them.
# Usage: scripts/test-onnx-zoo.sh (after scripts/build.sh)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export FEATURECAM_MODEL_PATH="${FEATURECAM_MODEL_PATH:-$root/../shared/models}"
export FEATURECAM_DATA_PATH="${FEATURECAM_DATA_PATH:-$root/../shared/data}"
export QT_QPA_PLATFORM=offscreen QTEST_FUNCTION_TIMEOUT=1800000
FCS_ONNX_ZOO=all "$root/build/tests/TestOnnxZoo"
