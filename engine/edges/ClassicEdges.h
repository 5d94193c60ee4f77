#pragma once
// The classical fallback detectors, so Feature CAM works without any edge model:
// Canny (binary edges, thresholds from the image's median, as in the "auto Canny" heuristic)
// and the Sobel gradient magnitude scaled so its maximum is 1. Both run on BT.601 grey.

#include "engine/edges/EdgeDetector.h"

namespace fcs {

class CannyEdges : public EdgeDetector
{
public:
    std::string id() const override { return "canny"; }
    cv::Mat detect(const cv::Mat& rgb) override;
};

class SobelEdges : public EdgeDetector
{
public:
    std::string id() const override { return "sobel"; }
    cv::Mat detect(const cv::Mat& rgb) override;
};

} // namespace fcs
