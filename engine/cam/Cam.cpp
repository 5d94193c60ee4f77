#include "engine/cam/Cam.h"

#include "engine/core/Error.h"
#include "engine/model/ClassifierModel.h"

#include <algorithm>
#include <cmath>

namespace fcs {

torch::Tensor Cam::layerMap(CamContext& context) const
{
    torch::NoGradGuard noGrad;
    ClassifierModel& model = context.model();
    const int64_t c = context.targetClass();
    const auto activations = model.features(context.input()); // [1,K,h,w]
    const int64_t k = activations.size(1), h = activations.size(2), w = activations.size(3);
    const auto logit = model.classify(activations)[0][c].item<double>();

    torch::Tensor locationScores, bias;
    try {
        const auto locations = activations.permute({0, 2, 3, 1}).reshape({h * w, k, 1, 1});
        locationScores = model.classify(locations).select(1, c); // [h*w]
        bias = model.classify(torch::zeros({1, k, 1, 1})).select(1, c); // [1]
    } catch (const Error& e) {
        throw Error(ErrorCode::InvalidArgument,
            "CAM needs a model whose head is global average pooling followed by one linear layer; "
            "this model's head does not accept a 1x1 feature map. Use Grad-CAM instead.",
            e.detail());
    }
    const auto classMap = (locationScores - bias).view({1, 1, h, w});
    const double reconstructed = classMap.mean().item<double>() + bias.item<double>();
    if (std::abs(reconstructed - logit) > 1e-3 * std::max(1.0, std::abs(logit)))
        throw Error(ErrorCode::InvalidArgument,
            "CAM needs a model whose head is global average pooling followed by one linear layer; "
            "this model's head is not (its logit is not the mean of per-location scores). "
            "Use Grad-CAM, which gives the same map for such models.");
    context.cancel().throwIfCancelled();
    return torch::relu(classMap);
}

} // namespace fcs
