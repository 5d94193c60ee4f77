#pragma once
// Feature CAM (the paper's §4; docs/definitions.md, "Feature CAM"): blends an edge map E into a
// saliency map M. Pure image arithmetic on CV_32F maps in [0,1]. Torch-free.
// Any thread.
//
// Perturbed inputs (G = BT.601 grey of the image):  I1: P = E   I2: P = (2G + E)/3   I3: P = (G + E)/2
// Experiments:  X1: S = k·P + M (k in [0, 0.5], default defaults::kFeatureCamK)   X2: S = P∘M   X3: S = (1 − P)∘M
// Each S is min–max normalized. Nine variants "X<e>-I<i>"; the paper's top 5 are X1-I1, X1-I2,
// X1-I3, X3-I1 and X3-I3.

#include <opencv2/core.hpp>

#include <string>
#include <vector>

namespace fcs {

enum class PerturbedInput { I1, I2, I3 };
enum class Experiment { X1, X2, X3 };

struct FeatureCamVariant
{
    Experiment experiment;
    PerturbedInput input;
    std::string name() const; // "X1-I2"
    bool operator==(const FeatureCamVariant& other) const
    {
        return experiment == other.experiment && input == other.input;
    }
};

const std::vector<FeatureCamVariant>& allFeatureCamVariants(); // X1-I1 ... X3-I3
const std::vector<FeatureCamVariant>& topFiveFeatureCamVariants();
FeatureCamVariant parseFeatureCamVariant(const std::string& name); // throws fcs::Error(InvalidArgument)

constexpr double kMaxFeatureCamK = 0.5; // the paper's range of k is [0, 0.5]
void checkFeatureCamK(double k); // throws fcs::Error(InvalidArgument) outside [0, kMaxFeatureCamK]

// CV_32F in [0,1]; a constant map becomes zeros, never NaN.
cv::Mat minMaxNormalized(const cv::Mat& map);
// RGB8 -> CV_32F BT.601 grey in [0,1].
cv::Mat greyIntensity(const cv::Mat& rgb);

cv::Mat perturbedInput(const cv::Mat& grey, const cv::Mat& edges, PerturbedInput input);
cv::Mat combineWithSaliency(const cv::Mat& perturbed, const cv::Mat& saliency, Experiment experiment, double k);

// The variants of one saliency map. `rgb` is the model-input image the map belongs to; `edges`
// may have any size (it is resized bilinearly to the map's). Returns the maps in the given order.
std::vector<cv::Mat> featureCamMaps(const cv::Mat& rgb, const cv::Mat& edges, const cv::Mat& saliency,
    const std::vector<FeatureCamVariant>& variants, double k);

} // namespace fcs
