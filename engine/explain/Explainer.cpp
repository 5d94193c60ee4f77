#include "engine/explain/Explainer.h"

#include "engine/cam/CamMethod.h"
#include "engine/cam/MapOps.h"
#include "engine/core/Error.h"
#include "engine/core/Stopwatch.h"
#include "engine/core/Threads.h"
#include "engine/explain/DissectMethod.h"
#include "engine/explain/SaliencyMask.h"
#include "engine/model/ClassifierModel.h"

#include <algorithm>
#include <chrono>

namespace fcs {
namespace {

cv::Mat toMat(const torch::Tensor& map) // [1,1,H,W] float -> CV_32F H×W (own copy)
{
    const auto plane = map.squeeze().contiguous();
    return cv::Mat(int(plane.size(0)), int(plane.size(1)), CV_32F, plane.data_ptr<float>()).clone();
}

// NaN or infinity from a model on one image is an error for that image, never a number shown.
void requireFinite(const torch::Tensor& probabilities, const std::string& modelId)
{
    if (!torch::isfinite(probabilities).all().item<bool>())
        throw Error(ErrorCode::BadResult,
            "The model \"" + modelId + "\" gave NaN or infinite scores on this image; no result is shown for it.");
}

void requireFinite(const cv::Mat& map, const std::string& modelId, const std::string& methodId)
{
    if (!cv::checkRange(map))
        throw Error(ErrorCode::BadResult,
            "The " + methodId + " map of the model \"" + modelId
                + "\" holds NaN or infinite values on this image (its activations or gradients overflow).");
}

// One method's map on its way into the result.
struct ComputedMap
{
    MethodExplanation explanation; // its id and seconds so far
    torch::Tensor map; // finished ([1,1,H,W] in [0,1]), or the layer map when fromLayerMap
    bool fromLayerMap = false;
};

// Every method's map of one image, in order; a method that fails goes to onFailure and is left
// out. Most methods end in a map at the layer's resolution: those are upsampled and normalized
// together (one call, split across threads: 7 gradient methods at 2 threads 2.4 -> 1.4 ms)
// instead of one by one, each method charged an equal share of that time.
using MethodPreviewFn = std::function<void(const std::string& methodId, const torch::Tensor& map, int done, int total)>;

std::vector<ComputedMap> computeMaps(CamContext& context, const std::vector<std::unique_ptr<CamMethod>>& methods,
    const std::function<void(const std::string&, const Error&)>& onFailure, const MethodProgressFn& progress,
    const MethodPreviewFn& preview)
{
    std::vector<ComputedMap> computed;
    for (const auto& method : methods) {
        const Stopwatch stopwatch;
        ComputedMap one;
        one.explanation.methodId = method->id();
        if (progress)
            context.setProgress([&progress, id = method->id()](int done, int total) { progress(id, done, total); });
        if (preview)
            context.setPreview([&preview, id = method->id()](
                                   const torch::Tensor& map, int done, int total) { preview(id, map, done, total); });
        try {
            if (const auto* layered = dynamic_cast<const LayerMapCam*>(method.get())) {
                one.map = layered->layerMap(context);
                one.fromLayerMap = true;
            } else {
                one.map = method->compute(context);
            }
        } catch (const Error& e) {
            onFailure(one.explanation.methodId, e);
            continue;
        }
        one.explanation.seconds = stopwatch.seconds();
        computed.push_back(std::move(one));
        context.cancel().throwIfCancelled();
    }

    const Stopwatch stopwatch;
    std::vector<torch::Tensor> layerMaps;
    for (const auto& one : computed)
        if (one.fromLayerMap)
            layerMaps.push_back(one.map);
    const auto finished = mapops::finalizeAll(layerMaps, context.input().size(2), context.input().size(3));
    const double share = stopwatch.seconds() / double(std::max<std::size_t>(1, finished.size()));
    std::size_t next = 0;
    for (auto& one : computed)
        if (one.fromLayerMap) {
            one.map = finished[next++];
            one.explanation.seconds += share;
        }
    return computed;
}

} // namespace

struct Explainer::Impl
{
    std::unique_ptr<ClassifierModel> model;
    ResizeMode resize;

    std::vector<Prediction> topK(const torch::Tensor& probabilities, int k) const
    {
        const auto [values, indices] = probabilities.topk(std::min<int64_t>(k, probabilities.size(0)));
        std::vector<Prediction> out;
        for (int64_t i = 0; i < values.size(0); ++i) {
            const int index = int(indices[i].item<int64_t>());
            out.push_back({index, model->sidecar().labels[std::size_t(index)], values[i].item<double>()});
        }
        return out;
    }
};

Explainer::Explainer(const Sidecar& sidecar, ResizeMode resize)
    : m_impl(std::make_unique<Impl>())
{
    m_impl->model = ClassifierModel::load(sidecar);
    m_impl->resize = resize;
}

Explainer::~Explainer() = default;

const Sidecar& Explainer::sidecar() const
{
    return m_impl->model->sidecar();
}

std::string Explainer::label(int classIndex) const
{
    const auto& labels = sidecar().labels;
    return classIndex >= 0 && classIndex < int(labels.size()) ? labels[std::size_t(classIndex)] : std::string();
}

MethodAnatomy Explainer::dissect(const cv::Mat& rgbImage, const std::string& methodId, std::optional<int> targetClass,
    const MethodParameters& parameters)
{
    if (targetClass && (*targetClass < 0 || *targetClass >= sidecar().numClasses))
        throw Error(ErrorCode::InvalidArgument,
            "Class index " + std::to_string(*targetClass) + " is out of range for \"" + sidecar().id + "\".");
    return dissectMethod(*m_impl->model, fitToModel(rgbImage), methodId, targetClass, parameters);
}

cv::Mat Explainer::fitToModel(const cv::Mat& rgbImage) const
{
    return fitToInput(rgbImage, sidecar().inputHeight, sidecar().inputWidth, m_impl->resize);
}

std::vector<std::vector<Prediction>> Explainer::classify(const std::vector<cv::Mat>& rgbImages, int topK)
{
    torch::InferenceMode inference;
    const auto batchSize = std::size_t(preferredBatchSize());
    std::vector<std::vector<Prediction>> out;
    for (std::size_t start = 0; start < rgbImages.size(); start += batchSize) {
        std::vector<cv::Mat> batch;
        for (std::size_t i = start; i < std::min(rgbImages.size(), start + batchSize); ++i)
            batch.push_back(fitToModel(rgbImages[i]));
        const auto probabilities = m_impl->model->forward(m_impl->model->toInput(batch)).softmax(1);
        requireFinite(probabilities, sidecar().id);
        for (int64_t i = 0; i < probabilities.size(0); ++i)
            out.push_back(m_impl->topK(probabilities[i], topK));
    }
    return out;
}

std::vector<Reclassification> Explainer::reclassify(const std::vector<cv::Mat>& rgbAtInputSize, int classIndex)
{
    torch::InferenceMode inference;
    const auto batchSize = std::size_t(preferredBatchSize());
    std::vector<Reclassification> out;
    for (std::size_t start = 0; start < rgbAtInputSize.size(); start += batchSize) {
        const std::vector<cv::Mat> batch(rgbAtInputSize.begin() + std::ptrdiff_t(start),
            rgbAtInputSize.begin() + std::ptrdiff_t(std::min(rgbAtInputSize.size(), start + batchSize)));
        const auto probabilities = m_impl->model->forward(m_impl->model->toInput(batch)).softmax(1);
        requireFinite(probabilities, sidecar().id);
        const auto top1 = probabilities.argmax(1);
        for (int64_t i = 0; i < probabilities.size(0); ++i)
            out.push_back({int(top1[i].item<int64_t>()), probabilities[i][classIndex].item<double>()});
    }
    return out;
}

Explanation Explainer::explain(const cv::Mat& rgbImage, const ExplainSettings& settings, const CancelToken& cancel,
    const cv::Mat& edges, const MethodProgressFn& progress)
{
    if (!settings.featureCam.empty() && edges.empty())
        throw Error(ErrorCode::InvalidArgument, "Feature CAM variants need an edge map of the image.");
    ExplainStages stages;
    stages.progress = progress;
    stages.edges = [&edges]() { return edges; };
    return explainInStages(rgbImage, settings, cancel, stages);
}

Explanation Explainer::explainInStages(
    const cv::Mat& rgbImage, const ExplainSettings& settings, const CancelToken& cancel, const ExplainStages& stages)
{
    ClassifierModel& model = *m_impl->model;
    std::vector<std::unique_ptr<CamMethod>> methods; // built first: an unknown id fails before any work
    for (const auto& id : settings.methods)
        methods.push_back(makeCamMethod(id, settings));
    checkKeepPercent(settings.keepPercent);
    checkFeatureCamK(settings.k);
    if (settings.targetClass && (*settings.targetClass < 0 || *settings.targetClass >= sidecar().numClasses))
        throw Error(ErrorCode::InvalidArgument,
            "Class index " + std::to_string(*settings.targetClass) + " is out of range: the model \"" + sidecar().id
                + "\" has " + std::to_string(sidecar().numClasses) + " classes (0 to "
                + std::to_string(sidecar().numClasses - 1) + ").");
    Explanation result;
    result.input = fitToModel(rgbImage);
    const torch::Tensor input = model.toInput({result.input});

    // The prediction comes from the gradient pass's logits: one features() pass serves both.
    const auto target = settings.targetClass ? std::optional<int64_t>(*settings.targetClass) : std::nullopt;
    CamContext context(model, input, target, cancel);
    Stopwatch stage;
    const torch::Tensor probabilities = context.gradients().logits.softmax(1)[0];
    result.timings.gradientPass = stage.lap();
    requireFinite(probabilities, sidecar().id);
    result.predictions = m_impl->topK(probabilities, settings.topK);
    result.explainedClass = int(context.targetClass());
    result.explainedConfidence = probabilities[result.explainedClass].item<double>();

    const auto reportFailure = [&](const std::string& methodId, const Error& e) {
        if (settings.onMethodFailure == MethodFailurePolicy::Throw || e.code() == ErrorCode::Cancelled)
            throw e;
        result.failures.push_back({methodId, e.userMessage()});
    };
    MethodPreviewFn preview;
    if (stages.preview)
        preview = [&](const std::string& methodId, const torch::Tensor& map, int done, int total) {
            Explanation shown;
            shown.partial = true;
            shown.previewNote = "after " + std::to_string(done) + " of " + std::to_string(total) + " passes";
            shown.input = result.input;
            shown.predictions = result.predictions;
            shown.explainedClass = result.explainedClass;
            shown.explainedConfidence = result.explainedConfidence;
            MethodExplanation method;
            method.methodId = methodId;
            method.map = toMat(map);
            method.mask = saliencyMask(method.map, settings.keepPercent);
            method.explanation = explanationImage(result.input, method.mask);
            shown.methods.push_back(std::move(method));
            stages.preview(shown);
        };
    std::vector<ComputedMap> computed = computeMaps(context, methods, reportFailure, stages.progress, preview);
    for (const auto& one : computed)
        result.timings.maps += one.explanation.seconds;

    stage.lap();
    for (auto& one : computed) {
        MethodExplanation& explanation = one.explanation;
        try {
            explanation.map = toMat(one.map);
            requireFinite(explanation.map, sidecar().id, explanation.methodId);
        } catch (const Error& e) {
            reportFailure(explanation.methodId, e);
            continue;
        }
        explanation.mask = saliencyMask(explanation.map, settings.keepPercent);
        explanation.explanation = explanationImage(result.input, explanation.mask);
        result.methods.push_back(std::move(explanation));
    }
    result.timings.variants = stage.lap();
    cancel.throwIfCancelled();
    if (stages.mapsReady) {
        Explanation partial = result;
        partial.partial = true;
        stages.mapsReady(partial);
    }

    if (!settings.reclassify && settings.featureCam.empty())
        return result;
    const cv::Mat edges = settings.featureCam.empty() ? cv::Mat() : stages.edges();
    if (!settings.featureCam.empty() && edges.empty())
        throw Error(ErrorCode::InvalidArgument, "Feature CAM variants need an edge map of the image.");
    stage.lap();
    std::vector<cv::Mat> explanations; // every base and variant explanation, in result order
    for (auto& explanation : result.methods) {
        explanations.push_back(explanation.explanation);
        if (settings.featureCam.empty())
            continue;
        const auto variantMaps = featureCamMaps(result.input, edges, explanation.map, settings.featureCam, settings.k);
        for (std::size_t v = 0; v < settings.featureCam.size(); ++v) {
            VariantExplanation variant;
            variant.variant = settings.featureCam[v];
            variant.map = variantMaps[v];
            variant.mask = saliencyMask(variant.map, settings.keepPercent);
            variant.explanation = explanationImage(result.input, variant.mask);
            explanations.push_back(variant.explanation);
            explanation.featureCam.push_back(std::move(variant));
        }
        cancel.throwIfCancelled();
    }
    result.timings.variants += stage.lap();
    if (!settings.reclassify)
        return result;
    const auto reclassified = reclassify(explanations, result.explainedClass);
    result.timings.reclassification = stage.lap();
    std::size_t next = 0;
    for (auto& method : result.methods) {
        method.reclassified = reclassified[next++];
        for (auto& variant : method.featureCam)
            variant.reclassified = reclassified[next++];
    }
    return result;
}

} // namespace fcs
