#pragma once
// RGB8 images -> the normalized float batch a network takes: [N,3,H,W], x = (pixel/255 - mean)/std,
// channels flipped first for BGR models. The one place this conversion lives (classifiers, edge
// models, the demo model's trainer). Engine-internal (LibTorch). Any thread.

#include <opencv2/core.hpp>
#include <torch/script.h>

#include <array>
#include <vector>

namespace fcs {

// All images CV_8UC3 of one size.
torch::Tensor normalizedBatch(const std::vector<cv::Mat>& rgbImages, const std::array<float, 3>& mean,
    const std::array<float, 3>& std, bool bgr = false);

} // namespace fcs
