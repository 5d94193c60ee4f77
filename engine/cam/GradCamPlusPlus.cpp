#include "engine/cam/GradCamPlusPlus.h"

namespace fcs {

torch::Tensor GradCamPlusPlus::channelWeights(const torch::Tensor& activations, const torch::Tensor& grads) const
{
    return (alphas(activations, grads) * torch::relu(grads)).sum({2, 3}); // [N,K]
}

torch::Tensor GradCamPlusPlus::alphas(const torch::Tensor& activations, const torch::Tensor& grads)
{
    const auto grads2 = grads.pow(2);
    const auto grads3 = grads2 * grads;
    const auto activationSum = activations.sum({2, 3}, /*keepdim=*/true); // [N,K,1,1]
    const auto denominator = 2 * grads2 + activationSum * grads3; // [N,K,h,w]
    const auto defined = (denominator != 0) & (grads != 0);
    const auto safeDenominator = torch::where(defined, denominator, torch::ones_like(denominator));
    return torch::where(defined, grads2 / safeDenominator, torch::zeros_like(grads));
}

} // namespace fcs
