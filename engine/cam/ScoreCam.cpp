#include "engine/cam/ScoreCam.h"

#include "engine/cam/MapOps.h"
#include "engine/core/Threads.h"
#include "engine/model/ClassifierModel.h"

#include <ATen/ops/upsample_bilinear2d.h>

#include <algorithm>

namespace fcs {

torch::Tensor ScoreCam::layerMap(CamContext& context) const
{
    const GradientPass& pass = context.gradients(); // A and the class, from the shared pass
    const int64_t c = context.targetClass();
    torch::InferenceMode inference;
    const auto& activations = pass.activations; // [1,K,h,w]
    const torch::Tensor& input = context.input(); // [1,3,H,W], normalized
    const int64_t k = activations.size(1), height = input.size(2), width = input.size(3);

    const int64_t batchSize = m_batchSize > 0 ? m_batchSize : preferredBatchSize();
    std::vector<torch::Tensor> scores;
    for (int64_t start = 0; start < k; start += batchSize) {
        context.cancel().throwIfCancelled();
        const int64_t count = std::min<int64_t>(batchSize, k - start);
        // Each batch's masks made when needed: all K at once were 1280 x 224 x 224 floats (245 MB)
        // streamed through memory twice more.
        const auto upsampled = at::upsample_bilinear2d(
            activations.narrow(1, start, count), {height, width}, /*align_corners=*/true); // [1,count,H,W]
        const auto masks = mapops::minMaxNormalize(upsampled.transpose(0, 1)); // [count,1,H,W]
        const auto batch = input * masks; // [count,3,H,W]
        scores.push_back(context.model().forward(batch).select(1, c));
        context.reportProgress(int(start + count), int(k));
    }
    const auto weights = torch::softmax(torch::cat(scores), 0).view({1, k, 1, 1});
    return torch::relu((weights * activations).sum(1, /*keepdim=*/true));
}

} // namespace fcs
