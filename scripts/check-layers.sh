#!/usr/bin/env bash
# The layers the design draws (engine <- ui <- app), checked on the sources and, when a Ninja
# build folder is given, on what the compiler actually read:
#   1. no file in ui/ or app/ includes a LibTorch header (torch/, ATen/, c10/, caffe2/);
#   2. no file in ui/ includes anything of app/; no file in engine/ includes ui/ or app/;
#   3. (with BUILD_DIR) no object file of ui/ or app/ depends on a LibTorch header, even
#      through an engine header: the engine's public headers stay torch-free.
# Usage: scripts/check-layers.sh [BUILD_DIR]. Exit 1 with the offending lines.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
status=0
torch='#[[:space:]]*include[[:space:]]*[<"](torch|ATen|c10|caffe2)/'

if hits=$(grep -rnE "$torch" ui app); then
    echo "check-layers: ui/ and app/ must not include LibTorch headers:"; echo "$hits"; status=1
fi
if hits=$(grep -rnE '#[[:space:]]*include[[:space:]]*"app/' ui engine); then
    echo "check-layers: ui/ and engine/ must not include app/:"; echo "$hits"; status=1
fi
if hits=$(grep -rnE '#[[:space:]]*include[[:space:]]*"ui/' engine); then
    echo "check-layers: engine/ must not include ui/:"; echo "$hits"; status=1
fi
# Every project include names its layer, so that an include line says where it comes from.
if hits=$(grep -rnE '#[[:space:]]*include[[:space:]]*"(cam|core|demo|edges|evaluate|explain|featurecam|io|model|render|catalog|views|widgets|worker|export|charts|window)/' engine ui app); then
    echo "check-layers: project includes must start with engine/, ui/ or app/:"; echo "$hits"; status=1
fi

build="${1:-}"
if [ -n "$build" ] && [ -f "$build/build.ninja" ]; then
    # `ninja -t deps` lists, per object, every header the compiler read (recorded at build time).
    deps=$(ninja -C "$build" -t deps 2>/dev/null | awk '
        /^[^ ].*: #deps/ { object = $1; sub(/:$/, "", object); front = (object ~ /^(ui|app)\//); next }
        front && !(object in seen) && /\/(torch|ATen|c10|caffe2)\// { seen[object] = 1; print object " <- " $1 }')
    if [ -n "$deps" ]; then
        echo "check-layers: these ui/ or app/ objects read LibTorch headers (through an engine header?):"
        echo "$deps"; status=1
    fi
    objects=$(ninja -C "$build" -t deps 2>/dev/null | grep -cE '^(ui|app)/.*: #deps' || true)
    if [ "$objects" -eq 0 ]; then
        echo "check-layers: no ui/ or app/ object in $build's dependency log (build it first)"; status=1
    fi
fi
[ $status -eq 0 ] && echo "check-layers: ok"
exit $status
