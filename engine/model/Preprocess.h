#pragma once
// Fits an RGB image to a model's input size (docs/definitions.md, "Preprocessing"). Torch-free. Any thread.

#include <opencv2/core.hpp>

namespace fcs {

enum class ResizeMode {
    Plain, // bilinear resize to the input size, aspect ratio not kept (the paper's setting)
    CenterCrop, // shorter side to input / 0.875, then the central input-size window
};

// Returns CV_8UC3 RGB of exactly height × width.
cv::Mat fitToInput(const cv::Mat& rgb, int height, int width, ResizeMode mode);

// Where fitToInput puts the photo: scaled to scaledWidth × scaledHeight, then the input's window
// taken at (offsetX, offsetY). A plain resize scales to the input size with no offset.
struct InputGeometry
{
    double scaledWidth = 0, scaledHeight = 0;
    double offsetX = 0, offsetY = 0;
};
InputGeometry inputGeometry(cv::Size photo, int height, int width, ResizeMode mode);

} // namespace fcs
