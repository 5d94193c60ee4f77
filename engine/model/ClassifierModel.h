#pragma once
// A loaded, validated CAM-ready TorchScript classifier (models/README.md).
// Engine-internal: this header includes LibTorch, so only engine sources and engine tests see it.
// Not thread-safe: one thread at a time (the GUI's worker, or the CLI's main thread).

#include "engine/model/Sidecar.h"

#include <opencv2/core.hpp>
#include <torch/script.h>

#include <memory>
#include <vector>

namespace fcs {

class ClassifierModel
{
public:
    // Loads the archive named by the sidecar and checks the contract: the three methods exist,
    // the logits have num_classes columns, and classify(features(x)) == forward(x). The network
    // checks are skipped for a model unchanged since it last passed them (ValidatedModels.h).
    static std::unique_ptr<ClassifierModel> load(const Sidecar& sidecar);
    static constexpr int kChecksRevision = 1; // of those checks: one more and every model is checked again

    const Sidecar& sidecar() const { return m_sidecar; }

    // RGB8 images already at the input size -> normalized [N,3,H,W] float.
    torch::Tensor toInput(const std::vector<cv::Mat>& rgbAtInputSize) const;

    torch::Tensor forward(const torch::Tensor& input); // [N,3,H,W] -> logits [N,C]
    torch::Tensor features(const torch::Tensor& input); // [N,3,H,W] -> activations [N,K,h,w]
    torch::Tensor classify(const torch::Tensor& activations); // [N,K,h,w] -> logits [N,C]

private:
    ClassifierModel(Sidecar sidecar, torch::jit::Module module);
    void validate();
    torch::Tensor run(const char* method, const torch::Tensor& argument);

    Sidecar m_sidecar;
    torch::jit::Module m_module;
};

} // namespace fcs
