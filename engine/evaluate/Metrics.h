#pragma once
// The evaluation's aggregates (docs/definitions.md, "Evaluation metrics"), computed from per-image records only, so
// that a resumed run and an uninterrupted one give identical numbers. Torch-free, pure.
//
// Per model × method × variant × convention, over its n images (percentages 0–100):
//   right_classification   share with expl_top1 == orig_top1
//   avg_confidence         mean expl_conf × 100; orig_avg_confidence: mean orig_conf × 100
//   increase_vs_original   share with expl_conf > orig_conf (= Grad-CAM++'s Increase in Confidence)
//   increase_vs_base       share where a Feature CAM variant's expl_conf > its base method's
//   average_drop           mean of max(0, orig_conf − expl_conf) / orig_conf × 100 (Grad-CAM++)
//   deletion_auc, insertion_auc   means of the per-map AUCs (and the mean curves), where computed
//   pointing_hit_rate      share of the maps scored by the pointing game whose peak hits a box
//   pointing_energy        mean share of the map inside the boxes, over the same maps

#include "engine/evaluate/EvaluationRecord.h"

#include <optional>
#include <string>
#include <vector>

namespace fcs {

struct SummaryRow
{
    std::string model, method, variant, convention;
    int n = 0;
    double rightClassification = 0;
    double avgConfidence = 0;
    double origAvgConfidence = 0;
    double increaseVsOriginal = 0;
    std::optional<double> increaseVsBase; // Feature CAM variants only
    double averageDrop = 0;
    double increaseInConfidence = 0;
    std::optional<double> deletionAuc;
    std::optional<double> insertionAuc;
    int pointingN = 0; // maps with boxes of their class (the pointing game's n)
    std::optional<double> pointingHitRate;
    std::optional<double> pointingEnergy; // percent
    std::vector<double> deletionCurve; // mean curves (probability at 0, 1/steps, ..., 1), where computed
    std::vector<double> insertionCurve;
};

struct ModelAccuracy
{
    std::string model;
    int n = 0; // images with a ground-truth class
    double top1Accuracy = 0; // % of them whose original top-1 is the ground truth
};

// Rows sorted by model, convention, method (base methods in the CLI's order, baselines last),
// variant (base, Feature CAM variants in canonical order, baselines).
std::vector<SummaryRow> summarize(const std::vector<EvaluationRecord>& records);

// One entry per model that has ground truth on at least one image (counted once per image).
std::vector<ModelAccuracy> modelAccuracies(const std::vector<EvaluationRecord>& records);

// Sort keys shared with the tables: the position of a method / variant in the canonical order.
int methodOrder(const std::string& method);
int variantOrder(const std::string& variant);

} // namespace fcs
