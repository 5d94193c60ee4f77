#pragma once
// A weighted-channel CAM method (Grad-CAM, Grad-CAM++, XGrad-CAM, and Smooth Grad-CAM++ as Grad-CAM++
// over noisy copies) taken apart for teaching:
// the target layer's feature maps A_k, the channel weights w_k, the weighted sum before the ReLU,
// Grad-CAM++'s per-pixel alphas, and the finished map — each exactly what the method computes
// (docs/definitions.md), so that the steps shown add up to the map the Explain view shows.
// Torch-free. Made by Explainer::dissect.

#include <opencv2/core.hpp>

#include <string>
#include <utility>
#include <vector>

namespace fcs {

struct MethodAnatomy
{
    std::string methodId;
    int explainedClass = -1;
    double confidence = 0; // softmax probability of explainedClass on the photo
    cv::Mat input; // RGB8 at the model's input size
    std::vector<cv::Mat> activations; // A_k, CV_32F at the layer's size, k = channel index
    std::vector<double> weights; // w_k
    std::vector<cv::Mat> alphas; // Grad-CAM++ only: alpha_kij per channel, as activations
    cv::Mat weightedSum; // sum_k w_k A_k, CV_32F at the layer's size, before the ReLU
    cv::Mat map; // ReLU, upsampled to the input size and min-max normalized: the method's map

    // Smooth Grad-CAM++ only: its steps 1-3 are Grad-CAM++'s on the photo itself; then the first
    // noisy copies (RGB8 at the input size) with their Grad-CAM++ maps, and the running mean after
    // each batch of copies (normalized; the last is `map`).
    std::vector<cv::Mat> noisyCopies;
    std::vector<cv::Mat> copyMaps;
    std::vector<std::pair<int, cv::Mat>> runningMeans; // copies done, mean

    // Channel indices by weight, largest first (the bar chart's order).
    std::vector<int> channelsByWeight() const;
    // The `count` channels that weigh most in the sum: largest |w_k| · mean |A_k| first.
    std::vector<int> strongestChannels(int count) const;
};

// The methods that are a weighted sum of channels and can be taken apart this way.
bool canDissect(const std::string& methodId);

} // namespace fcs
