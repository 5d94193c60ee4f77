#include "engine/explain/DissectMethod.h"

#include "engine/cam/CamMethod.h"
#include "engine/cam/GradCamPlusPlus.h"
#include "engine/cam/MapOps.h"
#include "engine/cam/SmoothGradCamPlusPlus.h"
#include "engine/catalog/MethodCatalog.h"
#include "engine/core/Error.h"
#include "engine/core/WordList.h"
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

// A model input back to the photo it shows (RGB8): the inverse of normalizedBatch.
cv::Mat inputImage(const torch::Tensor& normalized, const Sidecar& sidecar) // [3,H,W]
{
    const auto mean = torch::tensor(std::vector<float>(sidecar.mean.begin(), sidecar.mean.end())).view({3, 1, 1});
    const auto std = torch::tensor(std::vector<float>(sidecar.std.begin(), sidecar.std.end())).view({3, 1, 1});
    auto x = normalized * std + mean;
    if (sidecar.bgr)
        x = x.flip(0);
    const auto bytes = (x * 255).round().clamp(0, 255).to(torch::kUInt8).permute({1, 2, 0}).contiguous();
    return cv::Mat(int(bytes.size(0)), int(bytes.size(1)), CV_8UC3, bytes.data_ptr<uint8_t>()).clone();
}

// Smooth Grad-CAM++ run as the explain view runs it, watched: its first copies, their maps, and
// the running mean after each batch; the map it returns is the method's, bit for bit.
void dissectSmooth(MethodAnatomy& out, ClassifierModel& model, const torch::Tensor& input,
    const MethodParameters& parameters, const CancelToken& never)
{
    constexpr std::size_t kCopiesShown = 3;
    SmoothGradCamPlusPlus smooth(parameters.smooth);
    smooth.observeCopies([&](const torch::Tensor& copies, const torch::Tensor& maps) {
        for (int64_t i = 0; i < copies.size(0) && out.noisyCopies.size() < kCopiesShown; ++i) {
            out.noisyCopies.push_back(inputImage(copies[i], model.sidecar()));
            out.copyMaps.push_back(planeToMat(maps[i][0]));
        }
    });
    CamContext context(model, input, std::optional<int64_t>(out.explainedClass), never);
    context.setPreview(
        [&](const torch::Tensor& mean, int done, int) { out.runningMeans.emplace_back(done, planeToMat(mean[0][0])); });
    out.map = planeToMat(smooth.compute(context)[0][0]);
    out.runningMeans.emplace_back(parameters.smooth.samples, out.map);
}

// "Grad-CAM, Grad-CAM++, Smooth Grad-CAM++ and XGrad-CAM", from the catalogue.
std::string methodsThatCanBeTakenApart()
{
    std::vector<std::string> names;
    for (const auto& method : methodCatalog())
        if (method.canBeTakenApart())
            names.push_back(method.displayName);
    return wordList(names, " and ");
}

} // namespace

MethodAnatomy dissectMethod(ClassifierModel& model, const cv::Mat& input, const std::string& methodId,
    std::optional<int> targetClass, const MethodParameters& parameters)
{
    const MethodInfo& info = requireMethod(methodId);
    if (!canDissect(methodId))
        throw Error(ErrorCode::InvalidArgument,
            info.displayName + " is not a weighted sum of the layer's channels; the inside view takes apart "
                + methodsThatCanBeTakenApart() + ".");
    // Smooth Grad-CAM++'s steps 1-3 are Grad-CAM++'s on the photo itself.
    const bool smooth = methodId == "smoothgradcampp";
    auto method = makeCamMethod(smooth ? "gradcampp" : methodId, parameters);
    const auto* weighted = dynamic_cast<const GradientCam*>(method.get());
    if (!weighted)
        throw Error(ErrorCode::Internal, info.displayName + " has no channel weights.");

    const CancelToken never;
    const torch::Tensor modelInput = model.toInput({input});
    CamContext context(model, modelInput, targetClass ? std::optional<int64_t>(*targetClass) : std::nullopt, never);
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
    if (methodId == "gradcampp" || smooth)
        out.alphas = channels(GradCamPlusPlus::alphas(pass.activations, pass.grads));
    out.weightedSum = planeToMat(sum[0][0]);
    if (smooth)
        dissectSmooth(out, model, modelInput, parameters, never);
    else
        out.map = planeToMat(mapops::finalize(torch::relu(sum), input.rows, input.cols)[0][0]);
    return out;
}

} // namespace fcs
