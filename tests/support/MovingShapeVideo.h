#pragma once
// A demo-model shape moving across a generated video (Motion JPEG in AVI, 64×64 at 15 fps), for
// the live pipeline's tests: the shape is one the model knows and Grad-CAM finds standing
// still, moved by up to its margin either way (the borders filled by reflecting background only).

#include <opencv2/core.hpp>

#include <string>
#include <vector>

namespace fcs {
class Explainer;
}

namespace fcs::test {

// Writes `frames` frames to `path`; returns the shape's box in each. Empty on failure.
std::vector<cv::Rect> writeMovingShapeVideo(const std::string& path, int frames, Explainer& demoModel);

} // namespace fcs::test
