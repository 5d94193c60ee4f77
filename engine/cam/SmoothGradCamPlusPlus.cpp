#include "engine/cam/SmoothGradCamPlusPlus.h"

#include "engine/cam/GradCamPlusPlus.h"
#include "engine/cam/MapOps.h"
#include "engine/core/Error.h"
#include "engine/core/Threads.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>

namespace fcs {

SmoothGradCamPlusPlus::SmoothGradCamPlusPlus(SmoothSettings settings)
    : m_settings(settings)
{
    if (m_settings.samples < 1 || m_settings.batchSize < 0 || !(m_settings.sigma >= 0))
        throw Error(ErrorCode::InvalidArgument,
            "Smooth Grad-CAM++ needs at least one sample, a batch size of at "
            "least one and a non-negative sigma.");
}

torch::Tensor SmoothGradCamPlusPlus::compute(CamContext& context) const
{
    const torch::Tensor& input = context.input(); // [1,3,H,W]
    const int64_t height = input.size(2), width = input.size(3);
    const double noiseStd = m_settings.sigma * (input.max() - input.min()).item<double>();
    auto generator = at::detail::createCPUGenerator(m_settings.seed);
    const GradCamPlusPlus gradCamPlusPlus;
    const int batchSize = m_settings.batchSize > 0 ? m_settings.batchSize : preferredBatchSize();

    auto sum = torch::zeros({1, 1, height, width});
    for (int done = 0; done < m_settings.samples;) {
        const int count = std::min(batchSize, m_settings.samples - done);
        const auto noise = at::randn({count, input.size(1), height, width}, generator) * noiseStd;
        const auto copies = input + noise;
        const GradientPass pass = computeGradients(context.model(), copies, {context.targetClass()});
        const auto weights = gradCamPlusPlus.channelWeights(pass.activations, pass.grads);
        const auto maps = mapops::finalize(GradientCam::weightedMap(weights, pass.activations), height, width);
        if (m_observer)
            m_observer(copies, maps);
        sum += maps.sum(0, /*keepdim=*/true);
        done += count;
        context.cancel().throwIfCancelled();
        if (context.wantsPreview() && done < m_settings.samples) // the map sharpening as copies come in
            context.reportPreview(mapops::minMaxNormalize(sum / done), done, m_settings.samples);
    }
    return mapops::minMaxNormalize(sum / m_settings.samples);
}

} // namespace fcs
