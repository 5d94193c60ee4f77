#pragma once
// Score-CAM (Wang et al. 2020; pytorch-grad-cam's conventions), no gradients: each channel A_k,
// upsampled to the input (bilinear, corners aligned, as torch's UpsamplingBilinear2d) and
// min–max normalized (a constant channel gives an all-zero mask), masks the normalized input;
// s_k is the class logit of the classifier on that masked input; w = softmax(s);
// M = ReLU(sum_k w_k A_k). K full forward passes (1280 on MobileNetV2), run in batches of
// preferredBatchSize() (one image per thread is fastest here: docs/performance.md) that report
// progress and can be cancelled between them.

#include "engine/cam/CamMethod.h"

namespace fcs {

class ScoreCam : public LayerMapCam
{
public:
    explicit ScoreCam(int batchSize = 0) // 0: preferredBatchSize()
        : m_batchSize(batchSize)
    {
    }
    std::string id() const override { return "scorecam"; }
    torch::Tensor layerMap(CamContext& context) const override;

private:
    int m_batchSize;
};

} // namespace fcs
