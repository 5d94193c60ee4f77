#pragma once
// Grad-CAM++ (Chattopadhyay et al. 2018, eq. 19 with the exponential-output closed form that
// public implementations use; docs/definitions.md, "Saliency maps"):
//   alpha_kij = g^2 / (2 g^2 + sum_ab A_kab g^3), 0 where the denominator or g is 0,
//   w_k = sum_ij alpha_kij ReLU(g_kij).
// Unlike pytorch-grad-cam there is no epsilon in the denominator: the zero cases are explicit.

#include "engine/cam/CamMethod.h"

namespace fcs {

class GradCamPlusPlus : public GradientCam
{
public:
    std::string id() const override { return "gradcampp"; }
    torch::Tensor channelWeights(const torch::Tensor& activations, const torch::Tensor& grads) const override;
    // alpha_kij of [N,K,h,w] activations and gradients: [N,K,h,w] (the inside-the-method view shows them).
    static torch::Tensor alphas(const torch::Tensor& activations, const torch::Tensor& grads);
};

} // namespace fcs
