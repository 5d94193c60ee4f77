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

private:
    SmoothSettings m_settings;
};

} // namespace fcs
