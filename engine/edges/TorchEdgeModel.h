#pragma once
// A deep edge detector in the project's model format (sidecar kind "edge"): forward(x) ->
// [N,1,H,W] probabilities, any input size (PiDiNet here). Runs at the image's own resolution,
// normalized with the sidecar's mean/std, as the official test script does.

#include "engine/edges/EdgeDetector.h"
#include "engine/model/Sidecar.h"

namespace fcs {

class TorchEdgeModel : public EdgeDetector
{
public:
    explicit TorchEdgeModel(const Sidecar& sidecar); // throws fcs::Error (BadModel)
    ~TorchEdgeModel() override;
    std::string id() const override { return m_sidecar.id; }
    cv::Mat detect(const cv::Mat& rgb) override;

private:
    struct Impl;
    Sidecar m_sidecar;
    std::unique_ptr<Impl> m_impl;
};

} // namespace fcs
