#pragma once
// The named defaults every front end starts from (the GUI's controls, the CLI's options, the
// evaluator, the survey builder): the paper's settings where it gives them. Torch-free.

#include "engine/render/Colormap.h"

namespace fcs::defaults {

constexpr const char* kMethod = "gradcam";
constexpr double kKeepPercent = 80; // the paper's mask keeps the 80 % most salient pixels
constexpr double kFeatureCamK = 0.25; // X1 = k·P + M: the paper's weight of the perturbed input
constexpr int kSmoothSamples = 25; // Smooth Grad-CAM++'s n noisy copies
constexpr double kSmoothSigma = 0.15; // its noise, as a share of the input's value range
constexpr int kTopK = 5; // predictions listed
constexpr Colormap kColormap = Colormap::Jet;
constexpr double kOpacity = 0.5; // of the colormap over the photo
constexpr int kEdgeMaxSide = 512; // longest side the edge detector sees (evaluation and CLI)

} // namespace fcs::defaults
