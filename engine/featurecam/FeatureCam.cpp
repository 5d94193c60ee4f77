#include "engine/featurecam/FeatureCam.h"

#include "engine/core/Error.h"

#include <opencv2/imgproc.hpp>

namespace fcs {

std::string FeatureCamVariant::name() const
{
    return "X" + std::to_string(int(experiment) + 1) + "-I" + std::to_string(int(input) + 1);
}

const std::vector<FeatureCamVariant>& allFeatureCamVariants()
{
    static const std::vector<FeatureCamVariant> kAll = [] {
        std::vector<FeatureCamVariant> all;
        for (const auto experiment : {Experiment::X1, Experiment::X2, Experiment::X3})
            for (const auto input : {PerturbedInput::I1, PerturbedInput::I2, PerturbedInput::I3})
                all.push_back({experiment, input});
        return all;
    }();
    return kAll;
}

const std::vector<FeatureCamVariant>& topFiveFeatureCamVariants()
{
    static const std::vector<FeatureCamVariant> kTopFive = {
        {Experiment::X1, PerturbedInput::I1},
        {Experiment::X1, PerturbedInput::I2},
        {Experiment::X1, PerturbedInput::I3},
        {Experiment::X3, PerturbedInput::I1},
        {Experiment::X3, PerturbedInput::I3},
    };
    return kTopFive;
}

FeatureCamVariant parseFeatureCamVariant(const std::string& name)
{
    for (const auto& variant : allFeatureCamVariants())
        if (variant.name() == name)
            return variant;
    throw Error(
        ErrorCode::InvalidArgument, "Unknown Feature CAM variant \"" + name + "\"; the variants are X1-I1 ... X3-I3.");
}

void checkFeatureCamK(double k)
{
    if (!(k >= 0 && k <= kMaxFeatureCamK))
        throw Error(
            ErrorCode::InvalidArgument, "Feature CAM's k must be between 0 and 0.5; got " + std::to_string(k) + ".");
}

cv::Mat minMaxNormalized(const cv::Mat& map)
{
    double lo = 0, hi = 0;
    cv::minMaxLoc(map, &lo, &hi);
    if (!(hi > lo))
        return cv::Mat::zeros(map.size(), CV_32F);
    cv::Mat out;
    map.convertTo(out, CV_32F, 1.0 / (hi - lo), -lo / (hi - lo));
    return out;
}

cv::Mat greyIntensity(const cv::Mat& rgb)
{
    cv::Mat grey8, grey;
    cv::cvtColor(rgb, grey8, cv::COLOR_RGB2GRAY); // BT.601: 0.299 R + 0.587 G + 0.114 B
    grey8.convertTo(grey, CV_32F, 1.0 / 255.0);
    return grey;
}

cv::Mat perturbedInput(const cv::Mat& grey, const cv::Mat& edges, PerturbedInput input)
{
    CV_Assert(grey.size() == edges.size() && grey.type() == CV_32F && edges.type() == CV_32F);
    switch (input) {
    case PerturbedInput::I1:
        return edges.clone();
    case PerturbedInput::I2:
        return (2 * grey + edges) / 3;
    case PerturbedInput::I3:
        break;
    }
    return (grey + edges) / 2;
}

cv::Mat combineWithSaliency(const cv::Mat& perturbed, const cv::Mat& saliency, Experiment experiment, double k)
{
    CV_Assert(perturbed.size() == saliency.size());
    checkFeatureCamK(k);
    cv::Mat combined;
    switch (experiment) {
    case Experiment::X1:
        combined = k * perturbed + saliency;
        break;
    case Experiment::X2:
        combined = perturbed.mul(saliency);
        break;
    case Experiment::X3:
        combined = (1 - perturbed).mul(saliency);
        break;
    }
    return minMaxNormalized(combined);
}

std::vector<cv::Mat> featureCamMaps(const cv::Mat& rgb, const cv::Mat& edges, const cv::Mat& saliency,
    const std::vector<FeatureCamVariant>& variants, double k)
{
    checkFeatureCamK(k);
    CV_Assert(rgb.size() == saliency.size() && !edges.empty());
    cv::Mat edgesAtMap = edges;
    if (edges.size() != saliency.size())
        cv::resize(edges, edgesAtMap, saliency.size(), 0, 0, cv::INTER_LINEAR);
    const cv::Mat grey = greyIntensity(rgb);
    cv::Mat perturbed[3];
    std::vector<cv::Mat> maps;
    for (const auto& variant : variants) {
        cv::Mat& p = perturbed[int(variant.input)];
        if (p.empty())
            p = perturbedInput(grey, edgesAtMap, variant.input);
        maps.push_back(combineWithSaliency(p, saliency, variant.experiment, k));
    }
    return maps;
}

} // namespace fcs
