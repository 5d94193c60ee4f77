#include "engine/evaluate/Evaluator.h"

#include "engine/core/Error.h"
#include "engine/core/Stopwatch.h"
#include "engine/evaluate/Baselines.h"
#include "engine/evaluate/FaithfulnessCurves.h"
#include "engine/evaluate/PointingGame.h"
#include "engine/explain/Explainer.h"
#include "engine/explain/SaliencyMask.h"

#include <QJsonArray>

#include <algorithm>

namespace fcs {
namespace {

QJsonArray toJsonArray(const std::vector<std::string>& values)
{
    QJsonArray out;
    for (const auto& v : values)
        out.append(QString::fromStdString(v));
    return out;
}

// One saliency map under evaluation and where its images sit in the batch sent to the classifier.
struct MapUnderTest
{
    std::string method, variant;
    cv::Mat map;
    Reclassification hard; // filled by Explainer::explain for CAM maps, here for baselines
    std::size_t soft = 0; // index in the batch
};

// Each map's pointing game, where the image has boxes of the explained class inside the input.
std::vector<std::optional<PointingScore>> pointingScores(const std::vector<MapUnderTest>& maps,
    const EvaluationImage& image, int explainedClass, cv::Size photo, cv::Size input,
    const EvaluationSettings& settings)
{
    std::vector<std::optional<PointingScore>> scores(maps.size());
    if (!settings.pointingTolerance || !image.boxes)
        return scores;
    const auto boxes = boxesAtInput(*image.boxes, explainedClass, photo, input, settings.resize);
    if (boxes.empty())
        return scores;
    for (std::size_t m = 0; m < maps.size(); ++m)
        scores[m] = pointingScore(maps[m].map, boxes, *settings.pointingTolerance);
    return scores;
}

std::vector<double> confidences(const std::vector<Reclassification>& results)
{
    std::vector<double> out;
    for (const auto& r : results)
        out.push_back(r.confidence);
    return out;
}

} // namespace

int EvaluationSettings::recordsPerImage() const
{
    return int(conventions.size()) * (int(methods.size()) * (1 + int(featureCam.size())) + 2);
}

QJsonObject EvaluationSettings::toJson() const
{
    std::vector<std::string> variants, conventionNames;
    for (const auto& v : featureCam)
        variants.push_back(v.name());
    for (const auto& c : conventions)
        conventionNames.push_back(conventionName(c));
    QJsonObject json{
        {"methods", toJsonArray(methods)},
        {"feature_cam", toJsonArray(variants)},
        {"conventions", toJsonArray(conventionNames)},
        {"keep_percent", keepPercent},
        {"k", k},
        {"smooth_samples", smooth.samples},
        {"smooth_sigma", smooth.sigma},
        {"auc_steps", aucSteps},
        {"seed", QString::number(seed)},
        {"edges", QString::fromStdString(edgeDetector)},
        {"edge_max_side", edgeMaxSide},
        {"resize", resize == ResizeMode::CenterCrop ? "center-crop" : "plain"},
    };
    if (pointingTolerance) // only then: a run without boxes keeps the run.json it always had
        json["pointing"]
            = QJsonObject{{"tolerance", *pointingTolerance}, {"boxes", QString::fromStdString(boxesDigest)}};
    return json;
}

void checkEvaluationSettings(const EvaluationSettings& settings)
{
    if (settings.methods.empty())
        throw Error(ErrorCode::InvalidArgument, "Choose at least one base method to evaluate.");
    for (const auto& id : settings.methods) {
        const MethodInfo& method = requireMethod(id);
        if (method.capabilities.needsGapLinearHead)
            throw Error(ErrorCode::InvalidArgument,
                method.displayName
                    + " is not part of the evaluation protocol: on the heads it supports its map is "
                      "Grad-CAM's. Evaluate gradcam instead.");
    }
    if (settings.conventions.empty())
        throw Error(ErrorCode::InvalidArgument, "Choose the hard or the soft convention (or both).");
    checkKeepPercent(settings.keepPercent);
    checkFeatureCamK(settings.k);
    if (settings.aucSteps < 0 || settings.aucSteps == 1 || settings.aucSteps > 1000)
        throw Error(ErrorCode::InvalidArgument, "Deletion / insertion steps must be 0 (off) or 2 to 1000.");
    if (settings.pointingTolerance && !(*settings.pointingTolerance >= 0 && *settings.pointingTolerance <= 10000))
        throw Error(ErrorCode::InvalidArgument, "The pointing game's tolerance must be 0 to 10000 input pixels.");
}

Evaluator::Evaluator(const std::vector<Sidecar>& models, const EvaluationSettings& settings)
    : m_settings(settings)
{
    checkEvaluationSettings(settings);
    for (const auto& sidecar : models)
        m_explainers.push_back(std::make_unique<Explainer>(sidecar, settings.resize));
}

Evaluator::~Evaluator() = default;

std::string Evaluator::modelId(std::size_t model) const
{
    return m_explainers.at(model)->sidecar().id;
}

std::vector<EvaluationRecord> Evaluator::evaluate(std::size_t model, const EvaluationImage& image, const cv::Mat& rgb,
    const cv::Mat& edges, const CancelToken& cancel)
{
    Explainer& explainer = *m_explainers.at(model);
    if (m_settings.pointingTolerance && image.boxes)
        checkBoxesFitThePhoto(*image.boxes, rgb.size(), image.name);
    ExplainSettings explain = m_settings;
    explain.targetClass.reset(); // the protocol explains the top-1 prediction
    explain.topK = 1;
    explain.smooth.seed = m_settings.seed;
    const Explanation explanation = explainer.explain(rgb, explain, cancel, edges); // hard maps re-classified
    const cv::Mat& input = explanation.input;
    m_times.gradientPass += explanation.timings.gradientPass;
    for (const auto& method : explanation.methods)
        m_times.methods[method.methodId] += method.seconds;
    m_times.variants += explanation.timings.variants;
    m_times.reclassification += explanation.timings.reclassification;
    Stopwatch stage;

    std::vector<MapUnderTest> maps;
    for (const auto& method : explanation.methods) {
        maps.push_back({method.methodId, kBaseVariant, method.map, method.reclassified});
        for (const auto& variant : method.featureCam)
            maps.push_back({method.methodId, variant.variant.name(), variant.map, variant.reclassified});
    }
    maps.push_back({kBaselineMethod, kSobelBaseline, sobelBaselineMap(input), {}});
    maps.push_back({kBaselineMethod, kRandomBaseline,
        randomBaselineMap(input.size(), imageSeed(m_settings.seed, image.name)), {}});
    const std::size_t firstBaseline = maps.size() - 2;
    const auto pointing = pointingScores(maps, image, explanation.explainedClass, rgb.size(), input.size(), m_settings);

    // Everything else the classifier must see, in one batched call.
    const bool soft = std::count(m_settings.conventions.begin(), m_settings.conventions.end(), Convention::Soft) > 0;
    const int steps = m_settings.aucSteps;
    std::vector<cv::Mat> batch;
    const std::size_t blackImage = batch.size();
    if (steps > 0)
        batch.push_back(cv::Mat::zeros(input.size(), CV_8UC3));
    std::vector<std::size_t> hardBaseline;
    for (std::size_t m = 0; m < maps.size(); ++m) {
        MapUnderTest& map = maps[m];
        if (m >= firstBaseline) {
            hardBaseline.push_back(batch.size());
            batch.push_back(explanationImage(input, saliencyMask(map.map, m_settings.keepPercent)));
        }
        if (soft) {
            map.soft = batch.size();
            batch.push_back(softExplanationImage(input, map.map));
        }
    }
    cancel.throwIfCancelled();
    m_times.variants += stage.lap();
    const int explained = explanation.explainedClass;
    const auto results = batch.empty() ? std::vector<Reclassification>() : explainer.reclassify(batch, explained);
    // The curves are classified one map at a time, so memory holds 2 × (steps − 1) images, not
    // that for every map and variant at once.
    std::vector<std::vector<double>> deletion(maps.size()), insertion(maps.size());
    for (std::size_t m = 0; steps > 0 && m < maps.size(); ++m) {
        cancel.throwIfCancelled();
        deletion[m] = confidences(explainer.reclassify(deletionImages(input, maps[m].map, steps), explained));
        insertion[m] = confidences(explainer.reclassify(insertionImages(input, maps[m].map, steps), explained));
    }
    m_times.reclassification += stage.lap();
    for (std::size_t b = 0; b < hardBaseline.size(); ++b)
        maps[firstBaseline + b].hard = results[hardBaseline[b]];

    std::vector<EvaluationRecord> records;
    for (const auto& convention : m_settings.conventions) {
        for (const auto& map : maps) {
            EvaluationRecord record;
            record.image = image.name;
            record.model = explainer.sidecar().id;
            record.method = map.method;
            record.variant = map.variant;
            record.convention = conventionName(convention);
            record.truthClass = image.truthClass;
            record.origTop1 = explained;
            record.origConf = explanation.explainedConfidence;
            const Reclassification& result = convention == Convention::Hard ? map.hard : results[map.soft];
            record.explTop1 = result.top1;
            record.explConf = result.confidence;
            const std::size_t m = std::size_t(&map - maps.data());
            if (pointing[m]) {
                record.pointingHit = pointing[m]->hit;
                record.pointingEnergy = pointing[m]->energyInside;
            }
            if (steps > 0) {
                const double black = results[blackImage].confidence;
                record.deletionCurve.push_back(record.origConf);
                record.insertionCurve.push_back(black);
                record.deletionCurve.insert(record.deletionCurve.end(), deletion[m].begin(), deletion[m].end());
                record.insertionCurve.insert(record.insertionCurve.end(), insertion[m].begin(), insertion[m].end());
                record.deletionCurve.push_back(black);
                record.insertionCurve.push_back(record.origConf);
                record.deletionAuc = curveAuc(record.deletionCurve);
                record.insertionAuc = curveAuc(record.insertionCurve);
            }
            records.push_back(std::move(record));
        }
    }
    return records;
}

} // namespace fcs
