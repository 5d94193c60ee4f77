#include "engine/cam/AblationCam.h"

#include "engine/core/Error.h"
#include "engine/model/ClassifierModel.h"

#include <algorithm>

namespace fcs {

torch::Tensor AblationCam::layerMap(CamContext& context) const
{
    const GradientPass& pass = context.gradients();
    const int64_t c = context.targetClass();
    torch::InferenceMode inference;
    const auto& activations = pass.activations; // [1,K,h,w]
    const int64_t k = activations.size(1);
    const double original = pass.logits[0][c].item<double>();
    if (original == 0 && activations.abs().max().item<double>() == 0)
        return torch::zeros({1, 1, activations.size(2), activations.size(3)}); // M = sum_k w_k · 0
    if (original == 0)
        throw Error(ErrorCode::BadResult,
            "Ablation-CAM weighs each channel by the share of the class score it carries, and this image's "
            "class score is exactly 0. Use another method for it.");
    const double minimum = activations.min().item<double>();
    const double ablated = minimum == 0 ? 0.0 : minimum - 1e7;

    std::vector<torch::Tensor> scores;
    for (int64_t start = 0; start < k; start += m_batchSize) {
        context.cancel().throwIfCancelled();
        const int64_t count = std::min<int64_t>(m_batchSize, k - start);
        auto batch = activations.expand({count, -1, -1, -1}).clone(); // [count,K,h,w]
        for (int64_t i = 0; i < count; ++i)
            batch[i][start + i].fill_(ablated);
        scores.push_back(context.model().classify(batch).select(1, c));
        context.reportProgress(int(start + count), int(k));
    }
    const auto weights = ((original - torch::cat(scores)) / original).view({1, k, 1, 1});
    return torch::relu((weights * activations).sum(1, /*keepdim=*/true));
}

} // namespace fcs
