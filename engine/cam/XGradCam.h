#pragma once
// XGrad-CAM (Fu et al. 2020; pytorch-grad-cam's XGradCAM): the channel weight is the gradient
// averaged with the activation's own share of its map as weight,
//   w_k = sum_ij (A_kij / sum_ab A_kab) · g_kij,
// 0 for a channel whose activations sum to 0 (no epsilon: the zero case is explicit).

#include "engine/cam/CamMethod.h"

namespace fcs {

class XGradCam : public GradientCam
{
public:
    std::string id() const override { return "xgradcam"; }
    torch::Tensor channelWeights(const torch::Tensor& activations, const torch::Tensor& grads) const override;
};

} // namespace fcs
