#!/usr/bin/env bash
# Installs the build into a temporary DESTDIR and runs the installed programs from there: the
# binaries start, find the installed demo model, and the desktop files are in place.
# Usage: install-test.sh BUILD_DIR
set -euo pipefail
build="$1"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
DESTDIR="$stage" cmake --install "$build" --prefix /usr --component Runtime > /dev/null
bin="$stage/usr/bin"
share="$stage/usr/share"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$bin/featurecam-cli" --version | grep -q "^featurecam-cli [0-9]" || fail "featurecam-cli --version"
QT_QPA_PLATFORM=offscreen "$bin/featurecam" --help | grep -q -- "--model" || fail "featurecam --help"
QT_QPA_PLATFORM=offscreen "$bin/featurecam" --version | grep -q "Feature CAM Studio" || fail "featurecam --version"
# With no models path, the installed CLI finds the installed demo model (not the build tree's).
models="$(env -u FEATURECAM_MODEL_PATH "$bin/featurecam-cli" models --json)"
echo "$models" | grep -q "featurecam_demo_shapes" || fail "the installed demo model is not found: $models"
echo "$models" | grep -q "$stage/usr/share/featurecam/demo-model" || fail "the demo model came from elsewhere: $models"
sample="$(ls "$share/featurecam/demo-model/samples/"*.png | head -1)"
env -u FEATURECAM_MODEL_PATH "$bin/featurecam-cli" classify --top 1 "$sample" > /dev/null || fail "classify with the installed demo model"
for f in applications/org.featurecam.Studio.desktop metainfo/org.featurecam.Studio.metainfo.xml \
         icons/hicolor/scalable/apps/org.featurecam.Studio.svg; do
    [ -s "$share/$f" ] || fail "missing $f"
done
grep -q "^Exec=featurecam %f" "$share/applications/org.featurecam.Studio.desktop" || fail "desktop Exec line"
grep -q "<id>org.featurecam.Studio</id>" "$share/metainfo/org.featurecam.Studio.metainfo.xml" || fail "AppStream id"
if command -v desktop-file-validate > /dev/null; then
    desktop-file-validate "$share/applications/org.featurecam.Studio.desktop" || fail "desktop-file-validate"
fi
echo "installed into $stage and ran: ok"
