#pragma once
// Eigen-CAM (Muhammad & Yeasin 2020) and EigenGrad-CAM (pytorch-grad-cam): the first principal
// component of the feature map, with no class in it (Eigen-CAM) or of g ∘ A (EigenGrad-CAM).
// Rows are the h·w locations, columns the K channels, each column centred; the map is the
// projection of the rows on the first right singular vector. A singular vector has no sign of
// its own: the sign is chosen so that the larger magnitude is positive (|max| ≥ |min|), which is
// what survives the ReLU.

#include "engine/cam/CamMethod.h"

namespace fcs {

// [N,K,h,w] -> [N,1,h,w]: each item's projection on its first principal direction, signed as above.
torch::Tensor firstPrincipalProjection(const torch::Tensor& maps);

class EigenCam : public LayerMapCam
{
public:
    std::string id() const override { return "eigencam"; }
    torch::Tensor layerMap(CamContext& context) const override;
};

class EigenGradCam : public GradientMapCam
{
public:
    std::string id() const override { return "eigengradcam"; }
    torch::Tensor combine(const torch::Tensor& activations, const torch::Tensor& grads) const override
    {
        return firstPrincipalProjection(grads * activations);
    }
};

} // namespace fcs
