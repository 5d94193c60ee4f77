#!/usr/bin/env bash
# Command 1 of the README: install the packages, build, and run the application.
# Until the desktop GUI lands, "the application" is a command-line demo: list the models found
# and explain a sample photo with Grad-CAM, Grad-CAM++ and Smooth Grad-CAM++ and its Feature CAM
# variants. Without the shared photos it explains the built-in demo model's sample images.
# Usage: scripts/setup-and-run.sh [IMAGE]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"

export FEATURECAM_MODEL_PATH="${FEATURECAM_MODEL_PATH:-$root/../shared/models}"
data="${FEATURECAM_DATA_PATH:-$root/../shared/data}"
cli="$root/build/app/featurecam-cli"

echo
echo "== featurecam-cli models (FEATURECAM_MODEL_PATH=$FEATURECAM_MODEL_PATH)"
"$cli" models
image="${1:-$data/imagenet-sample/n01440764_tench.JPEG}"
if [ $# -eq 0 ] && [ ! -f "$image" ]; then
    image="$root/build/demo-model/samples"
fi
echo
echo "== featurecam-cli explain $image"
"$cli" explain --method gradcam,gradcampp,smoothgradcampp --feature-cam top5 --out "$root/featurecam-out" "$image"
echo
echo "The maps, masks and explanation maps are in $root/featurecam-out/."
