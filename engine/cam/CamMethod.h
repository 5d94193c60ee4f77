#pragma once
// One interface for the CAM family. A method turns (model, input, class) into a saliency map
// [1,1,H,W] in [0,1] at the input's resolution. Engine-internal (LibTorch). One thread at a time.

#include "engine/cam/GradientPass.h"
#include "engine/catalog/MethodParameters.h"
#include "engine/core/CancelToken.h"

#include <torch/script.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace fcs {

class ClassifierModel;

// What one explanation needs; holds the gradient pass so that the prediction, Grad-CAM and
// Grad-CAM++ of the same image share one forward and one (head-only) backward.
class CamContext
{
public:
    // No target: the top-1 class, read from the gradient pass's logits.
    CamContext(
        ClassifierModel& model, torch::Tensor input, std::optional<int64_t> targetClass, const CancelToken& cancel);

    ClassifierModel& model() const { return m_model; }
    const torch::Tensor& input() const { return m_input; } // [1,3,H,W], normalized
    int64_t targetClass();
    const CancelToken& cancel() const { return m_cancel; }
    const GradientPass& gradients();

    // Methods of many passes (Score-CAM, Ablation-CAM) report their batches here.
    using ProgressFn = std::function<void(int done, int total)>;
    void setProgress(ProgressFn progress) { m_progress = std::move(progress); }
    void reportProgress(int done, int total) const
    {
        if (m_progress)
            m_progress(done, total);
    }

    // Methods that refine a map pass by pass (Smooth Grad-CAM++'s running mean) show it here:
    // [1,1,H,W] in [0,1] after `done` of `total` passes.
    using PreviewFn = std::function<void(const torch::Tensor& map, int done, int total)>;
    void setPreview(PreviewFn preview) { m_preview = std::move(preview); }
    bool wantsPreview() const { return bool(m_preview); }
    void reportPreview(const torch::Tensor& map, int done, int total) const
    {
        if (m_preview)
            m_preview(map, done, total);
    }

private:
    ClassifierModel& m_model;
    torch::Tensor m_input;
    std::optional<int64_t> m_targetClass;
    const CancelToken& m_cancel;
    std::optional<GradientPass> m_gradients;
    ProgressFn m_progress;
    PreviewFn m_preview;
};

class CamMethod
{
public:
    virtual ~CamMethod() = default;
    virtual std::string id() const = 0;
    virtual torch::Tensor compute(CamContext& context) const = 0; // [1,1,H,W] in [0,1]
};

// Most methods make a map at the target layer's resolution and end by upsampling and normalizing
// it. They expose that map, so that a caller with several methods of one image finishes their
// maps together (mapops::finalizeAll: one upsampling for all, in parallel) instead of one by one.
class LayerMapCam : public CamMethod
{
public:
    torch::Tensor compute(CamContext& context) const final; // mapops::finalize(layerMap) at the input size
    virtual torch::Tensor layerMap(CamContext& context) const = 0; // [1,1,h,w], not normalized
};

// Grad-CAM and Grad-CAM++ differ only in the channel weights (the template method of
// pytorch-grad-cam's BaseCAM): M = ReLU(sum_k w_k A_k), upsampled and normalized.
class GradientCam : public LayerMapCam
{
public:
    torch::Tensor layerMap(CamContext& context) const override;

    // [N,K,h,w] activations and gradients -> [N,K] weights.
    virtual torch::Tensor channelWeights(const torch::Tensor& activations, const torch::Tensor& grads) const = 0;

    // ReLU(sum_k w_k A_k): [N,K] weights, [N,K,h,w] activations -> [N,1,h,w] (not normalized).
    static torch::Tensor weightedMap(const torch::Tensor& weights, const torch::Tensor& activations);
};

// Methods that combine activations and gradients location by location (LayerCAM, HiResCAM,
// Grad-CAM element-wise, EigenGrad-CAM): M = ReLU(combine(A, g)), upsampled and normalized.
class GradientMapCam : public LayerMapCam
{
public:
    torch::Tensor layerMap(CamContext& context) const override;

    // [N,K,h,w] activations and gradients -> [N,1,h,w] (before the ReLU).
    virtual torch::Tensor combine(const torch::Tensor& activations, const torch::Tensor& grads) const = 0;
};

// The catalogue's factory (engine/catalog/MethodCatalog.cpp); throws fcs::Error(InvalidArgument)
// for an unknown id.
std::unique_ptr<CamMethod> makeCamMethod(const std::string& id, const MethodParameters& parameters);

} // namespace fcs
