#!/usr/bin/env bash
# Command 1 of the README: install the packages, build, and open the desktop application on a
# sample photo with the default model. Without a display (a server, CI), or with
# FEATURECAM_NO_GUI=1, it runs the command-line demo instead and says how to start the window.
# Usage: scripts/setup-and-run.sh [IMAGE]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"

export FEATURECAM_MODEL_PATH="${FEATURECAM_MODEL_PATH:-$root/../shared/models}"
export FEATURECAM_DATA_PATH="${FEATURECAM_DATA_PATH:-$root/../shared/data}"
cli="$root/build/app/featurecam-cli"
gui="$root/build/app/featurecam"

echo
echo "== featurecam-cli models (FEATURECAM_MODEL_PATH=$FEATURECAM_MODEL_PATH)"
"$cli" models

if [ -z "${FEATURECAM_NO_GUI:-}" ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
    echo
    echo "== featurecam $*"
    exec "$gui" "$@"
fi

image="${1:-$FEATURECAM_DATA_PATH/imagenet-sample/n01440764_tench.JPEG}"
if [ $# -eq 0 ] && [ ! -f "$image" ]; then
    image="$root/build/demo-model/samples"
fi
echo
echo "== No display: the command-line demo. featurecam-cli explain $image"
"$cli" explain --method gradcam,gradcampp,smoothgradcampp --feature-cam top5 --out "$root/featurecam-out" "$image"
echo
echo "The maps, masks and explanation maps are in $root/featurecam-out/."
echo "To open the desktop application, run $gui [IMAGE] on a desktop"
echo "(or without one: xvfb-run -a $gui, and take a screenshot with 'import -window root shot.png')."
