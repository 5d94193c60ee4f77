#include "engine/explain/DissectMethod.h"

#include "engine/cam/CamMethod.h"
#include "engine/cam/GradCamPlusPlus.h"
#include "engine/cam/MapOps.h"
#include "engine/catalog/MethodCatalog.h"
#include "engine/core/Error.h"
#include "engine/model/ClassifierModel.h"

namespace fcs {
namespace {

cv::Mat planeToMat(const torch::Tensor& plane) // [h,w] float -> CV_32F (own copy)
{
    const auto p = plane.contiguous();
    return cv::Mat(int(p.size(0)), int(p.size(1)), CV_32F, p.data_ptr<float>()).clone();
}

std::vector<cv::Mat> channels(const torch::Tensor& maps) // [1,K,h,w] -> K planes
{
    std::vector<cv::Mat> out;
    for (int64_t k = 0; k < maps.size(1); ++k)
        out.push_back(planeToMat(maps[0][k]));
    return out;
}

} // namespace

MethodAnatomy dissectMethod(ClassifierModel& model, const cv::Mat& input, const std::string& methodId,
    std::optional<int> targetClass, const MethodParameters& parameters)
{
    const MethodInfo& info = requireMethod(methodId);
    if (!canDissect(methodId))
        throw Error(ErrorCode::InvalidArgument,
            info.displayName
                + " is not a weighted sum of the layer's channels; the inside view takes apart Grad-CAM, Grad-CAM++ "
                  "and XGrad-CAM.");
    auto method = makeCamMethod(methodId, parameters);
    const auto* weighted = dynamic_cast<const GradientCam*>(method.get());
    if (!weighted)
        throw Error(ErrorCode::Internal, info.displayName + " has no channel weights.");

    const CancelToken never;
    CamContext context(
        model, model.toInput({input}), targetClass ? std::optional<int64_t>(*targetClass) : std::nullopt, never);
    const GradientPass& pass = context.gradients();
    torch::NoGradGuard noGrad; // after the pass: what follows is arithmetic on its results
    MethodAnatomy out;
    out.methodId = methodId;
    out.input = input.clone();
    out.explainedClass = int(context.targetClass());
    out.confidence = pass.logits.softmax(1)[0][out.explainedClass].item<double>();
    // The method's own weights and sum: the same calls as GradientCam::layerMap.
    const torch::Tensor weights = weighted->channelWeights(pass.activations, pass.grads); // [1,K]
    const auto k = pass.activations.size(1);
    const torch::Tensor sum = (weights.view({1, k, 1, 1}) * pass.activations).sum(1, /*keepdim=*/true);
    out.activations = channels(pass.activations);
    const auto w = weights.contiguous();
    out.weights.assign(w.data_ptr<float>(), w.data_ptr<float>() + k);
    if (methodId == "gradcampp")
        out.alphas = channels(GradCamPlusPlus::alphas(pass.activations, pass.grads));
    out.weightedSum = planeToMat(sum[0][0]);
    out.map = planeToMat(mapops::finalize(torch::relu(sum), input.rows, input.cols)[0][0]);
    return out;
}

} // namespace fcs
