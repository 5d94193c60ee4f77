#pragma once
// The settings a CAM method and its description read. ExplainSettings (and through it the GUI's
// request, the evaluator and the survey builder) extends this one type. Torch-free.

#include "engine/catalog/Defaults.h"

#include <cstdint>

namespace fcs {

struct SmoothSettings
{
    int samples = defaults::kSmoothSamples; // n noisy copies
    double sigma = defaults::kSmoothSigma; // noise std as a share of the input's value range
    int batchSize = 0; // copies per forward/backward batch; 0: preferredBatchSize()
    std::uint64_t seed = 0;
};

struct MethodParameters
{
    double keepPercent = defaults::kKeepPercent; // share of pixels the mask keeps
    double k = defaults::kFeatureCamK; // Feature CAM X1's weight of the perturbed input
    SmoothSettings smooth;
};

} // namespace fcs
