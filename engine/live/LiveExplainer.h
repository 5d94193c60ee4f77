#pragma once
// One frame of the live view: the chosen method's map on the frame, drawn with the top-1 label,
// its probability and the frame rate, at the frame's own size. Only the methods fast enough for a
// stream (one gradient pass, no edges) run live; the others are for a paused frame.
// Torch-free header. One thread at a time (the Explainer's).

#include "engine/catalog/MethodParameters.h"

#include <opencv2/core.hpp>

#include <string>

namespace fcs {

class Explainer;

struct LiveFrame
{
    cv::Mat map; // CV_32F at the model's input size, [0,1]
    cv::Mat overlay; // RGB8 at the frame's size: the map over the frame, with the label drawn
    int top1 = -1;
    std::string label;
    double probability = 0;
    double seconds = 0; // the engine's time for this frame
};

// Whether a method keeps up with a camera: its catalogue entry costs one pass (MethodInfo::
// runsLive). Smooth Grad-CAM++ (25 passes), Score-CAM and Ablation-CAM (a pass per channel) do not.
bool runsLive(const std::string& methodId);

class LiveExplainer
{
public:
    // Throws fcs::Error(InvalidArgument) for a method that does not run live.
    LiveExplainer(Explainer& explainer, const std::string& methodId, const MethodParameters& parameters = {});

    // `rgb`: any size. `framesPerSecond` (< 0: not drawn) goes into the picture's corner.
    LiveFrame explainFrame(const cv::Mat& rgb, double framesPerSecond = -1);

private:
    Explainer& m_explainer;
    std::string m_method;
    MethodParameters m_parameters;
};

} // namespace fcs
