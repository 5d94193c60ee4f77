#pragma once
// One row of an evaluation's per_image.csv: one image × classifier × base method × variant ×
// explanation convention. Torch-free, plain data.

#include <optional>
#include <string>
#include <vector>

namespace fcs {

constexpr const char* kBaselineMethod = "baseline"; // method of the model-independent baseline rows
constexpr const char* kBaseVariant = "base"; // variant of a base method's own map
// The variants of the baseline rows: the image's Sobel edges and a seeded random map.
constexpr const char* kSobelBaseline = "sobel";
constexpr const char* kRandomBaseline = "random";
inline bool isBaselineVariant(const std::string& variant)
{
    return variant == kSobelBaseline || variant == kRandomBaseline;
}

struct EvaluationRecord
{
    std::string image; // file name, as in labels.csv
    std::string model;
    std::string method; // gradcam, gradcampp, smoothgradcampp, or "baseline"
    std::string variant; // "base", a Feature CAM id such as "X1-I2", or "sobel" / "random"
    std::string convention; // "hard" (the paper's mask) or "soft" (map × image)
    std::optional<int> truthClass; // ground truth, when the image set gives it
    int origTop1 = -1; // top-1 of the original image = the explained class
    double origConf = 0; // softmax probability of origTop1 on the original image
    int explTop1 = -1; // top-1 of the explanation map
    double explConf = 0; // probability of origTop1 on the explanation map
    std::optional<double> deletionAuc; // of this row's map (the same for both conventions)
    std::optional<double> insertionAuc;
    // The pointing game (of this row's map, the same for both conventions), where the image has
    // boxes for the explained class: the peak within the tolerance of a box; the map's share in them.
    std::optional<bool> pointingHit;
    std::optional<double> pointingEnergy;
    std::vector<double> deletionCurve; // the probabilities behind the AUCs, at 0, 1/steps, ..., 1
    std::vector<double> insertionCurve;
};

} // namespace fcs
