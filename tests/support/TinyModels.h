#pragma once
// Tiny CAM-ready models built in C++ from TorchScript source (no Python, no download), saved
// with a sidecar and labels so that they go through the same loader as real models.

#include "engine/model/Sidecar.h"

#include <torch/script.h>

#include <string>

namespace fcs::test {

// Writes DIR/NAME.pt (the module), DIR/NAME.json (a valid sidecar for `classes` classes and
// size×size inputs, mean 0 and std 1) and DIR/NAME.txt (labels). Returns the sidecar path.
std::string saveWithSidecar(
    torch::jit::Module& module, const std::string& dir, const std::string& name, int classes, int size);

// The hand-checkable network of TestCamFormulas: 16×16 input, A = avg_pool(x, 8) -> [N,3,2,2],
//   y0 = sum_kij c_k A_kij^2 / 2       (so g = c_k A_kij: mixed signs, zeros)
//   y1 = sum_k d_k mean_ij A_kij + b   (a GAP + linear head: CAM applies)
// with c = (1, -1, 1), d = (1, 2, 0), b = 0.5.
torch::jit::Module handNetwork();

// A module whose methods are given as TorchScript source (for broken-contract fixtures).
torch::jit::Module moduleFromSource(const std::string& source);

} // namespace fcs::test
