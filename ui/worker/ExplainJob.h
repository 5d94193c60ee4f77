#pragma once
// What the window asks the engine for, and what comes back. Plain data: copied into the worker
// thread and back. Torch-free.

#include "engine/explain/Explainer.h"

#include <QString>

#include <opencv2/core.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fcs {

// The window's views: each asks the engine for its own kind of result.
enum class ViewKind {
    Explain, // one method, its stages and its Feature CAM variants
    Compare, // every method of the catalogue side by side, base maps only
};

struct ExplainRequest
{
    std::uint64_t id = 0; // set by ExplainService; a larger id supersedes a smaller one
    std::chrono::steady_clock::time_point madeAt; // set by ExplainService: the start of "time to screen"
    ViewKind view = ViewKind::Explain;
    QString imagePath;
    std::string modelPath; // a model's .json (or .pt) file
    std::vector<std::string> modelDirs;
    std::string edgeDetector; // empty: the catalogue's preferred one (needed only with variants)
    ExplainSettings settings; // methods, class, keep, k, Smooth Grad-CAM++, Feature CAM variants
    bool dissect = false; // also take the method apart (the inside-the-method window is open)
};

struct ExplainResult
{
    ExplainRequest request;
    Sidecar model;
    cv::Mat original; // RGB8, the image as loaded
    cv::Mat shownPhoto; // photoAsShown(original), made on the engine thread; empty: the views make it
    cv::Mat edges; // CV_32F edge map (any size), empty when no variant was asked for
    std::string edgeDetector;
    bool edgeFallback = false; // no deep edge model: Sobel was used
    // With its failures: methods the model cannot do (e.g. CAM), compare view. An explain view's
    // request first gets a partial result (explanation.partial: base maps only, not re-classified).
    Explanation explanation;
    // With request.dissect and a weighted-channel method: its steps (empty methodId otherwise);
    // dissectError says why not (another method).
    MethodAnatomy anatomy;
    std::string dissectError;
    double seconds = 0; // from the request's start to the result
    double loadSeconds = 0; // reading and decoding the image
    double modelSeconds = 0; // loading the model (0 when already loaded)
    double edgeSeconds = 0; // the edge map (0 when cached or not needed)
};

} // namespace fcs
