#pragma once
// Grad-CAM (Selvaraju et al. 2017; docs/definitions.md): w_k = mean_ij g_kij.

#include "engine/cam/CamMethod.h"

namespace fcs {

class GradCam : public GradientCam
{
public:
    std::string id() const override { return "gradcam"; }
    torch::Tensor channelWeights(const torch::Tensor& activations, const torch::Tensor& grads) const override;
};

} // namespace fcs
