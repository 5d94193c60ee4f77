#pragma once
// What the window asks the engine for, and what comes back. Plain data: copied into the worker
// thread and back. Torch-free.

#include "explain/Explainer.h"

#include <QString>

#include <opencv2/core.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fcs {

struct ExplainRequest
{
    std::uint64_t id = 0; // set by ExplainService; a larger id supersedes a smaller one
    QString imagePath;
    std::string modelPath; // a model's .json (or .pt) file
    std::vector<std::string> methods = {"gradcam"};
    std::optional<int> targetClass;
    double keepPercent = 80;
    double k = kDefaultFeatureCamK;
    SmoothSettings smooth;
    bool allVariants = false; // nine Feature CAM variants instead of the top 5
    std::string edgeDetector; // empty: pidinet_tiny, else pidinet, else sobel
    std::vector<std::string> modelDirs;
    bool compare = false; // every method separately (one failing does not stop the others)
};

struct MethodFailure
{
    std::string methodId;
    std::string message;
};

struct ExplainResult
{
    ExplainRequest request;
    Sidecar model;
    cv::Mat original; // RGB8, the image as loaded
    cv::Mat edges; // CV_32F edge map (any size), empty in compare mode
    std::string edgeDetector;
    bool edgeFallback = false; // no deep edge model: Sobel was used
    Explanation explanation; // in compare mode: predictions and every method that succeeded
    std::vector<MethodFailure> failures; // compare mode: methods the model cannot do (e.g. CAM)
    double seconds = 0;
};

} // namespace fcs
