#pragma once
// Smooth Grad-CAM++ (Omeiza et al. 2019; docs/definitions.md): the mean of the
// Grad-CAM++ maps of n copies x + N(0, sigma_abs^2), sigma_abs = sigma * (max(x) - min(x)),
// each copy's map upsampled and normalized as any map is, the mean normalized again.
// Deviation from torch-cam, which averages gradient powers over sequential samples with absolute
// noise: we average maps, run the copies as batches, and take the noise relative to the range.
// The copies depend only on the seed, so the same seed gives the same map.

#include "engine/cam/CamMethod.h"
#include "engine/catalog/MethodParameters.h"

namespace fcs {

class SmoothGradCamPlusPlus : public CamMethod
{
public:
    explicit SmoothGradCamPlusPlus(SmoothSettings settings);
    std::string id() const override { return "smoothgradcampp"; }
    torch::Tensor compute(CamContext& context) const override;

    // Sees each batch of noisy copies ([B,3,H,W], normalized as the model's input) with their
    // Grad-CAM++ maps ([B,1,H,W], each normalized): the inside-the-method view shows a few.
    using CopyObserver = std::function<void(const torch::Tensor& copies, const torch::Tensor& maps)>;
    void observeCopies(CopyObserver observer) { m_observer = std::move(observer); }

private:
    SmoothSettings m_settings;
    CopyObserver m_observer;
};

} // namespace fcs
