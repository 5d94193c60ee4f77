#pragma once
// HED (Xie & Tu 2015), the paper's edge detector, through OpenCV's dnn module from the user's
// own deploy.prototxt and hed_pretrained_bsds.caffemodel (not redistributable with the app).
// HED's Caffe graph uses a centre "Crop" layer that OpenCV's built-in one does not match, so
// this file registers its own.

#include "engine/edges/EdgeDetector.h"

namespace fcs {

class HedEdges : public EdgeDetector
{
public:
    HedEdges(const std::string& prototxt, const std::string& weights); // throws fcs::Error (BadModel)
    ~HedEdges() override;
    std::string id() const override { return "hed"; }
    cv::Mat detect(const cv::Mat& rgb) override;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace fcs
