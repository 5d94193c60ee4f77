#pragma once
// The CAM methods the engine offers, by stable id. The CLI's --method, the GUI's list and the
// CSV columns all use these ids. Torch-free.

#include <cstdint>
#include <string>
#include <vector>

namespace fcs {

struct CamMethodInfo
{
    std::string id; // "gradcam", "gradcampp", "smoothgradcampp", "cam"
    std::string displayName; // "Grad-CAM", ...
    std::string description; // one plain-language sentence
};

const std::vector<CamMethodInfo>& camMethods();
const CamMethodInfo* findCamMethod(const std::string& id);

struct SmoothSettings
{
    int samples = 25; // n noisy copies
    double sigma = 0.15; // noise std as a share of the input's value range
    int batchSize = 0; // copies per forward/backward batch; 0: preferredBatchSize()
    std::uint64_t seed = 0;
};

} // namespace fcs
