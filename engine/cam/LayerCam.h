#pragma once
// LayerCAM (Jiang et al. 2021): each location weighted by its own positive gradient,
// M = ReLU(sum_k ReLU(g_k) ∘ A_k).

#include "engine/cam/CamMethod.h"

namespace fcs {

class LayerCam : public GradientMapCam
{
public:
    std::string id() const override { return "layercam"; }
    torch::Tensor combine(const torch::Tensor& activations, const torch::Tensor& grads) const override
    {
        return (torch::relu(grads) * activations).sum(1, /*keepdim=*/true);
    }
};

} // namespace fcs
