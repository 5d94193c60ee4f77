#pragma once
// Ablation-CAM (Desai & Ramaswamy 2020; pytorch-grad-cam's conventions), no gradients: s_k is
// the class logit with channel k of A ablated — set to 0 when min(A) = 0, else to
// min(A) − 10⁷ — and w_k = (y_c − s_k) / y_c; M = ReLU(sum_k w_k A_k). The ablated copies go
// through classify() only (the head), batched, never through the backbone again.

#include "engine/cam/CamMethod.h"

namespace fcs {

class AblationCam : public LayerMapCam
{
public:
    explicit AblationCam(int batchSize = 64)
        : m_batchSize(batchSize)
    {
    }
    std::string id() const override { return "ablationcam"; }
    torch::Tensor layerMap(CamContext& context) const override;

private:
    int m_batchSize;
};

} // namespace fcs
