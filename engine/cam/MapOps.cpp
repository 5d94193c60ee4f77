#include "engine/cam/MapOps.h"

#include <ATen/ops/upsample_bilinear2d.h>

namespace fcs::mapops {

torch::Tensor upsampleBilinear(const torch::Tensor& maps, int64_t height, int64_t width)
{
    if (maps.size(2) == height && maps.size(3) == width)
        return maps;
    return at::upsample_bilinear2d(maps, {height, width}, /*align_corners=*/false);
}

torch::Tensor minMaxNormalize(const torch::Tensor& maps)
{
    const auto flat = maps.flatten(1); // [N, H*W]
    const auto lo = std::get<0>(flat.min(1, true));
    const auto range = std::get<0>(flat.max(1, true)) - lo;
    // Divide only where the map is not flat; a flat map maps to 0 everywhere.
    const auto safeRange = torch::where(range > 0, range, torch::ones_like(range));
    const auto scaled = torch::where(range > 0, (flat - lo) / safeRange, torch::zeros_like(flat));
    return scaled.view_as(maps);
}

torch::Tensor finalize(const torch::Tensor& maps, int64_t height, int64_t width)
{
    return minMaxNormalize(upsampleBilinear(maps, height, width));
}

} // namespace fcs::mapops
