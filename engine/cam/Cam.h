#pragma once
// CAM (Zhou et al. 2016; docs/definitions.md): for a head that is global average pooling followed
// by one linear layer, M_ij = ReLU(sum_k W_ck A_kij). The head is opaque TorchScript, so W_c·A_ij
// is read by running classify() on each location's feature vector as a 1x1 map (average pooling
// of a 1x1 map is the identity) and subtracting classify() of zeros (the bias). The result is
// checked: the mean over locations plus the bias must give the logit; otherwise the head is not
// GAP + linear and CAM refuses, rather than draw a wrong map. Equals Grad-CAM up to scale.

#include "engine/cam/CamMethod.h"

namespace fcs {

class Cam : public LayerMapCam
{
public:
    std::string id() const override { return "cam"; }
    torch::Tensor layerMap(CamContext& context) const override;
};

} // namespace fcs
