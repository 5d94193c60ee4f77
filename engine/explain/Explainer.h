#pragma once
// The engine's facade for one classifier: classify images, and explain one image with any of
// the CAM methods (map, mask, explanation map, and the explanation map's re-classification).
// Torch-free header (pimpl): the CLI and the GUI include only this. Not thread-safe: use one
// Explainer from one thread at a time (the GUI's worker thread, the CLI's main thread).

#include "engine/catalog/MethodCatalog.h"
#include "engine/catalog/MethodParameters.h"
#include "engine/core/CancelToken.h"
#include "engine/explain/MethodAnatomy.h"
#include "engine/featurecam/FeatureCam.h"
#include "engine/model/Preprocess.h"
#include "engine/model/Sidecar.h"

#include <opencv2/core.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fcs {

struct Prediction
{
    int classIndex = -1;
    std::string label;
    double probability = 0; // softmax
};

// What to do when one method cannot explain this image with this model (CAM on a head that is
// not GAP + linear): fail the whole request, or report it and go on with the other methods.
enum class MethodFailurePolicy { Throw, Report };

// One settings type from the GUI's request and the CLI's options to the engine; the evaluator
// and the survey builder extend it. Keep, k and the Smooth Grad-CAM++ settings come from
// MethodParameters, which the methods and their descriptions read.
struct ExplainSettings : MethodParameters
{
    std::vector<std::string> methods = {defaults::kMethod}; // ids from methodCatalog()
    std::optional<int> targetClass; // unset: the top-1 prediction
    int topK = defaults::kTopK;
    std::vector<FeatureCamVariant> featureCam; // empty: no Feature CAM variants
    MethodFailurePolicy onMethodFailure = MethodFailurePolicy::Throw;
    // false: maps, masks and explanation images only, not classified again (the live view: a
    // forward pass per frame saved; `reclassified` stays unset).
    bool reclassify = true;
};

struct Reclassification
{
    int top1 = -1; // top-1 class of the re-classified image
    double confidence = 0; // softmax probability of the explained class
};

// A saliency map with what the paper derives from it: the mask, the explanation map and the
// explanation map's re-classification. The same for base maps and Feature CAM variants.
struct ExplainedMap
{
    cv::Mat map; // CV_32F, input size, [0,1]
    cv::Mat mask; // CV_8U, 255 = kept
    cv::Mat explanation; // RGB8, the input with the pixels outside the mask black
    Reclassification reclassified;
};

// One Feature CAM variant of a base method's map.
struct VariantExplanation : ExplainedMap
{
    FeatureCamVariant variant;
};

struct MethodExplanation : ExplainedMap
{
    std::string methodId;
    double seconds = 0; // time to compute the map
    std::vector<VariantExplanation> featureCam; // in the order of ExplainSettings::featureCam

    // -1: the base map; else featureCam[variant].
    const ExplainedMap& shown(int variant) const
    {
        return variant < 0 ? static_cast<const ExplainedMap&>(*this) : featureCam.at(std::size_t(variant));
    }
};

struct MethodFailure
{
    std::string methodId;
    std::string message;
};

// Where one explain() spent its time, in seconds (the status bar, evaluate's summary).
struct ExplainTimings
{
    double gradientPass = 0; // features() and the head's backward: the prediction and every gradient method's A and g
    double maps = 0; // the methods' own work after it (their seconds summed), upsampling included
    double variants = 0; // masks, Feature CAM variants and explanation images
    double reclassification = 0; // the explanation maps through the classifier
};

struct Explanation
{
    // True for what ExplainStages::mapsReady gets: base maps, masks and explanation images only,
    // before the Feature CAM variants and the re-classification (`reclassified` not yet set).
    bool partial = false;
    // A partial result may also be a method's map still being refined (ExplainStages::preview):
    // then this says how far, e.g. "after 8 of 25 passes"; empty otherwise.
    std::string previewNote;
    ExplainTimings timings;
    cv::Mat input; // RGB8 at the model's input size
    std::vector<Prediction> predictions; // top-k of the original image
    int explainedClass = -1;
    double explainedConfidence = 0; // softmax probability of explainedClass on the original
    std::vector<MethodExplanation> methods;
    std::vector<MethodFailure> failures; // with MethodFailurePolicy::Report: methods that could not run
};

// Methods of many passes (Score-CAM, Ablation-CAM) report each batch: method id, done, total.
using MethodProgressFn = std::function<void(const std::string& methodId, int done, int total)>;

// For a caller that shows a result as it comes (the window): the base maps as soon as they
// exist, and the edge map asked for only then, so that edge detection does not delay them.
struct ExplainStages
{
    MethodProgressFn progress;
    std::function<void(const Explanation& partial)> mapsReady; // may be empty
    // A method's map before it is done (Smooth Grad-CAM++ after each batch), with its mask and
    // explanation image, as a partial Explanation holding that one method. May be empty.
    std::function<void(const Explanation& preview)> preview;
    std::function<cv::Mat()> edges; // called once, after mapsReady, only when variants are asked for
};

class Explainer
{
public:
    // Loads and validates the model (fcs::Error on failure). Any image size is accepted later.
    explicit Explainer(const Sidecar& sidecar, ResizeMode resize = ResizeMode::Plain);
    ~Explainer();
    Explainer(const Explainer&) = delete;
    Explainer& operator=(const Explainer&) = delete;

    const Sidecar& sidecar() const;
    std::string label(int classIndex) const;

    // Any-size RGB8 images -> top-k per image; images run in batches of preferredBatchSize().
    std::vector<std::vector<Prediction>> classify(const std::vector<cv::Mat>& rgbImages, int topK);

    // `edges` (any size, CV_32F in [0,1]) is the edge map of rgbImage; it is needed only when
    // settings.featureCam is not empty. All explanation maps (base and variants) are
    // re-classified together, in batches.
    Explanation explain(const cv::Mat& rgbImage, const ExplainSettings& settings,
        const CancelToken& cancel = CancelToken(), const cv::Mat& edges = cv::Mat(),
        const MethodProgressFn& progress = {});

    // explain() in stages (see ExplainStages); the same result.
    Explanation explainInStages(const cv::Mat& rgbImage, const ExplainSettings& settings, const CancelToken& cancel,
        const ExplainStages& stages);

    // Input-size RGB8 images (e.g. explanation maps), batched -> top-1 and the confidence of
    // classIndex for each.
    std::vector<Reclassification> reclassify(const std::vector<cv::Mat>& rgbAtInputSize, int classIndex);

    // A weighted-channel method taken apart (MethodAnatomy.h) for the image and class (unset:
    // top-1). Throws fcs::Error(InvalidArgument) for another method or a class out of range.
    MethodAnatomy dissect(const cv::Mat& rgbImage, const std::string& methodId, std::optional<int> targetClass,
        const MethodParameters& parameters = {});

    // The image as the model sees it: RGB8 at the input size.
    cv::Mat fitToModel(const cv::Mat& rgbImage) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace fcs
