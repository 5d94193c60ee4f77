#!/usr/bin/env bash
# Installs the Debian 12 packages Feature CAM Studio builds, tests and runs with.
# Skips apt entirely when everything is already installed.
set -euo pipefail

packages=(
    cmake ninja-build g++ ccache pkg-config
    qt6-base-dev qt6-svg-dev libqt6sql6-sqlite libqcustomplot-dev
    libtorch-dev libopencv-dev libbenchmark-dev
    # the ONNX importer (onnx.proto's classes) and the ONNX exports of its tests
    libonnx-dev libprotobuf-dev python3-onnx
    # the model exporter (models/export.py) and its test
    python3-torch python3-torchvision
    # LibTorch links the generic libblas.so.3; OpenBLAS is the fastest BLAS Debian offers
    # (measured: see docs/performance.md). Installing it makes it the libblas.so.3 alternative.
    libopenblas0-pthread
    # evaluate --slurm and its test, which starts a private one-node Slurm cluster
    slurm-wlm slurm-client munge
    # headless GUI checks and screenshots
    xvfb xauth imagemagick x11-utils desktop-file-utils
)

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages are installed"
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
    sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
