#include "engine/cam/CamMethod.h"

#include "engine/cam/MapOps.h"
#include "engine/catalog/MethodCatalog.h"

namespace fcs {

CamContext::CamContext(
    ClassifierModel& model, torch::Tensor input, std::optional<int64_t> targetClass, const CancelToken& cancel)
    : m_model(model)
    , m_input(std::move(input))
    , m_targetClass(targetClass)
    , m_cancel(cancel)
{
}

const GradientPass& CamContext::gradients()
{
    if (!m_gradients) {
        std::vector<int64_t> targets;
        if (m_targetClass)
            targets.push_back(*m_targetClass);
        m_gradients = computeGradients(m_model, m_input, targets);
        m_cancel.throwIfCancelled();
    }
    return *m_gradients;
}

int64_t CamContext::targetClass()
{
    if (!m_targetClass)
        m_targetClass = gradients().targets.front();
    return *m_targetClass;
}

torch::Tensor LayerMapCam::compute(CamContext& context) const
{
    return mapops::finalize(layerMap(context), context.input().size(2), context.input().size(3));
}

torch::Tensor GradientCam::layerMap(CamContext& context) const
{
    const GradientPass& pass = context.gradients();
    return weightedMap(channelWeights(pass.activations, pass.grads), pass.activations);
}

torch::Tensor GradientCam::weightedMap(const torch::Tensor& weights, const torch::Tensor& activations)
{
    const auto n = activations.size(0), k = activations.size(1);
    return torch::relu((weights.view({n, k, 1, 1}) * activations).sum(1, /*keepdim=*/true));
}

torch::Tensor GradientMapCam::layerMap(CamContext& context) const
{
    const GradientPass& pass = context.gradients();
    return torch::relu(combine(pass.activations, pass.grads));
}

std::unique_ptr<CamMethod> makeCamMethod(const std::string& id, const MethodParameters& parameters)
{
    return requireMethod(id).make(parameters);
}

} // namespace fcs
