#pragma once
// Grad-CAM element-wise (pytorch-grad-cam's GradCAMElementWise): HiResCAM with the ReLU taken
// per channel and location before the sum, M = sum_k ReLU(g_k ∘ A_k).

#include "engine/cam/CamMethod.h"

namespace fcs {

class GradCamElementWise : public GradientMapCam
{
public:
    std::string id() const override { return "gradcamelementwise"; }
    torch::Tensor combine(const torch::Tensor& activations, const torch::Tensor& grads) const override
    {
        return torch::relu(grads * activations).sum(1, /*keepdim=*/true);
    }
};

} // namespace fcs
