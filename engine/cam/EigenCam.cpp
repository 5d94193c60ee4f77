#include "engine/cam/EigenCam.h"

#include "engine/cam/MapOps.h"

#include <ATen/ops/linalg_svd.h>

namespace fcs {

torch::Tensor firstPrincipalProjection(const torch::Tensor& maps)
{
    const auto n = maps.size(0), k = maps.size(1), h = maps.size(2), w = maps.size(3);
    std::vector<torch::Tensor> projections;
    for (int64_t i = 0; i < n; ++i) {
        const auto rows = torch::nan_to_num(maps[i]).reshape({k, h * w}).t().to(torch::kDouble); // [hw, K]
        const auto centred = rows - rows.mean(0, /*keepdim=*/true);
        const auto vh = std::get<2>(at::linalg_svd(centred, /*full_matrices=*/false)); // [min, K]
        auto projection = centred.matmul(vh[0]); // [hw]
        if (projection.max().item<double>() < -projection.min().item<double>())
            projection = -projection;
        projections.push_back(projection.to(torch::kFloat).view({1, 1, h, w}));
    }
    return torch::cat(projections, 0);
}

torch::Tensor EigenCam::compute(CamContext& context) const
{
    // The gradient pass's activations: the prediction has run it already, so it is free here.
    const auto& activations = context.gradients().activations;
    return mapops::finalize(
        torch::relu(firstPrincipalProjection(activations)), context.input().size(2), context.input().size(3));
}

} // namespace fcs
