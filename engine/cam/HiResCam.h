#pragma once
// HiResCAM (Draelos & Carin 2020): the gradient times the activation, summed over channels
// without averaging the gradient first, M = ReLU(sum_k g_k ∘ A_k). On a GAP + linear head it
// equals Grad-CAM; on an earlier layer it shows where the model really looked.

#include "engine/cam/CamMethod.h"

namespace fcs {

class HiResCam : public GradientMapCam
{
public:
    std::string id() const override { return "hirescam"; }
    torch::Tensor combine(const torch::Tensor& activations, const torch::Tensor& grads) const override
    {
        return (grads * activations).sum(1, /*keepdim=*/true);
    }
};

} // namespace fcs
