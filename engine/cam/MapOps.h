#pragma once
// The only place that resizes or rescales saliency maps (docs/definitions.md: every map is
// upsampled bilinearly to the input size and min-max normalized). Engine-internal (LibTorch). Any thread.

#include <torch/script.h>

#include <vector>

namespace fcs::mapops {

// [N,1,h,w] -> [N,1,height,width], bilinear, align_corners = false.
torch::Tensor upsampleBilinear(const torch::Tensor& maps, int64_t height, int64_t width);

// Each map of [N,1,H,W] scaled to [0,1]; a constant map (range below 1e-6 of its largest
// magnitude: rounding) becomes all zeros, never NaN.
torch::Tensor minMaxNormalize(const torch::Tensor& maps);

// upsampleBilinear then minMaxNormalize: what every CAM method returns.
torch::Tensor finalize(const torch::Tensor& maps, int64_t height, int64_t width);

// finalize for maps of several methods ([1,1,h,w] each): maps of one size go through one call,
// which splits them across threads (maps of different sizes are finished one by one); each map's
// values are the same as finalize of it alone. Returns [1,1,height,width] each, in order.
std::vector<torch::Tensor> finalizeAll(const std::vector<torch::Tensor>& maps, int64_t height, int64_t width);

} // namespace fcs::mapops
