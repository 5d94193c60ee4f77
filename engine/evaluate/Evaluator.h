#pragma once
// Runs the evaluation protocol (docs/definitions.md, "Evaluation metrics"; the paper's §5.2) on one image for each
// classifier: the base CAM maps, their Feature CAM variants and the Sobel / random baselines,
// each turned into a hard (the paper's mask) and/or soft (map × image) explanation map and
// re-classified, plus deletion / insertion curves per map. Every image the classifier sees goes
// through Explainer in batches. Torch-free header. One thread at a time.

#include "engine/catalog/Defaults.h"
#include "engine/catalog/MethodCatalog.h"
#include "engine/core/CancelToken.h"
#include "engine/evaluate/Convention.h"
#include "engine/evaluate/EvaluationRecord.h"
#include "engine/evaluate/EvaluationTimes.h"
#include "engine/evaluate/ImageSet.h"
#include "engine/explain/Explainer.h"
#include "engine/featurecam/FeatureCam.h"
#include "engine/model/Preprocess.h"
#include "engine/model/Sidecar.h"

#include <QJsonObject>

#include <opencv2/core.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fcs {

class Explainer;

// What to explain is an ExplainSettings, as everywhere (its class and top-k are set per image);
// the protocol adds the conventions, the curves, the seed and the edge settings.
struct EvaluationSettings : ExplainSettings
{
    EvaluationSettings()
    {
        methods = paperMethodIds();
        featureCam = topFiveFeatureCamVariants();
    }

    std::vector<Convention> conventions = {Convention::Hard, Convention::Soft};
    int aucSteps = 8; // deletion / insertion steps; 0: no curves
    std::uint64_t seed = 0; // random baseline and Smooth Grad-CAM++ noise
    std::string edgeDetector; // id, for the record; the caller computes the edge maps
    int edgeMaxSide = defaults::kEdgeMaxSide;
    ResizeMode resize = ResizeMode::Plain;
    // The pointing game (docs/definitions.md), on when the images carry boxes: the tolerance in
    // input pixels, and the boxes' digest for run.json.
    std::optional<double> pointingTolerance;
    std::string boxesDigest;

    // Rows one image gives for one classifier: conventions × (methods × (1 + variants) + 2 baselines).
    int recordsPerImage() const;
    // What makes two runs comparable (everything but the image limit), for run.json.
    QJsonObject toJson() const;
};

// Throws fcs::Error(InvalidArgument) for an unknown method or convention, CAM (its maps equal
// Grad-CAM's on the heads it supports), keep / k out of range, negative steps or tolerance.
void checkEvaluationSettings(const EvaluationSettings& settings);

class Evaluator
{
public:
    // Loads every classifier (fcs::Error naming the model on failure).
    Evaluator(const std::vector<Sidecar>& models, const EvaluationSettings& settings);
    ~Evaluator();
    Evaluator(const Evaluator&) = delete;
    Evaluator& operator=(const Evaluator&) = delete;

    const EvaluationSettings& settings() const { return m_settings; }
    std::size_t modelCount() const { return m_explainers.size(); }
    std::string modelId(std::size_t model) const;

    // The records of one image for one classifier; with the pointing game on, an image whose
    // boxes reach beyond it throws fcs::Error(BadData) before any work. `edges` is the image's edge map (any size,
    // CV_32F in [0,1]); it may be empty when the settings have no Feature CAM variant.
    std::vector<EvaluationRecord> evaluate(std::size_t model, const EvaluationImage& image, const cv::Mat& rgb,
        const cv::Mat& edges, const CancelToken& cancel = CancelToken());

    // The engine stages of every evaluate() so far (loading and edges are the caller's).
    const EvaluationTimes& times() const { return m_times; }

private:
    EvaluationSettings m_settings;
    EvaluationTimes m_times;
    std::vector<std::unique_ptr<Explainer>> m_explainers;
};

} // namespace fcs
