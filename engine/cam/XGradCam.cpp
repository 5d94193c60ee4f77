#include "engine/cam/XGradCam.h"

namespace fcs {

torch::Tensor XGradCam::channelWeights(const torch::Tensor& activations, const torch::Tensor& grads) const
{
    const auto total = activations.sum({2, 3}, /*keepdim=*/true); // [N,K,1,1]
    const auto share = torch::where(total != 0, activations / total, torch::zeros_like(activations));
    return (share * grads).sum({2, 3});
}

} // namespace fcs
