#include "engine/cam/MapOps.h"

#include <ATen/ops/upsample_bilinear2d.h>

#include <algorithm>

namespace fcs::mapops {
namespace {

bool isPlainFloat(const torch::Tensor& t)
{
    return t.dim() == 4 && t.scalar_type() == torch::kFloat && t.device().is_cpu() && t.is_contiguous();
}

} // namespace

torch::Tensor upsampleBilinear(const torch::Tensor& maps, int64_t height, int64_t width)
{
    if (maps.size(2) == height && maps.size(3) == width)
        return maps;
    // ATen's kernel, though a plain loop with the same weights takes a sixth of its 280 us per
    // 7x7 -> 224x224 map: the loop's values differ from ATen's in the last bit (ATen's own
    // arithmetic order), and that moved the 80 % mask's threshold pixel on 2 of 20 photos of the
    // protocol reference (confidence off by 0.012). The independent implementations use ATen.
    return at::upsample_bilinear2d(maps, {height, width}, /*align_corners=*/false);
}

torch::Tensor minMaxNormalize(const torch::Tensor& maps)
{
    if (isPlainFloat(maps)) { // one pass for the range, one to scale: no temporaries
        const int64_t planes = maps.size(0) * maps.size(1), size = maps.size(2) * maps.size(3);
        auto out = torch::empty_like(maps);
        const float* in = maps.data_ptr<float>();
        float* o = out.data_ptr<float>();
        for (int64_t p = 0; p < planes; ++p, in += size, o += size) {
            const auto [lo, hi] = std::minmax_element(in, in + size);
            const float low = *lo, range = *hi - *lo;
            if (!(range > 0)) { // a flat map maps to 0 everywhere, never NaN
                std::fill(o, o + size, 0.0f);
                continue;
            }
            for (int64_t i = 0; i < size; ++i)
                o[i] = (in[i] - low) / range;
        }
        return out;
    }
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
