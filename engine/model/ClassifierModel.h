#pragma once
// A loaded, validated CAM-ready classifier (models/README.md): a TorchScript archive, or an ONNX
// file run by the importer (engine/onnx/OnnxNetwork.h), split at its target layer.
// Engine-internal: this header includes LibTorch, so only engine sources and engine tests see it.
// Not thread-safe: one thread at a time (the GUI's worker, or the CLI's main thread).

#include "engine/model/Sidecar.h"

#include <opencv2/core.hpp>
#include <torch/script.h>

#include <memory>
#include <vector>

namespace fcs {

class OnnxNetwork;

class ClassifierModel
{
public:
    // Loads the archive named by the sidecar and checks the contract: the three methods exist,
    // the logits have num_classes columns, and classify(features(x)) == forward(x). The network
    // checks are skipped for a model unchanged since it last passed them (ValidatedModels.h).
    static std::unique_ptr<ClassifierModel> load(const Sidecar& sidecar);
    static constexpr int kChecksRevision = 1; // of those checks: one more and every model is checked again
    ~ClassifierModel();

    const Sidecar& sidecar() const { return m_sidecar; }

    // RGB8 images already at the input size -> normalized [N,3,H,W] float.
    torch::Tensor toInput(const std::vector<cv::Mat>& rgbAtInputSize) const;

    torch::Tensor forward(const torch::Tensor& input); // [N,3,H,W] -> logits [N,C]
    torch::Tensor features(const torch::Tensor& input); // [N,3,H,W] -> activations [N,K,h,w]
    torch::Tensor classify(const torch::Tensor& activations); // [N,K,h,w] -> logits [N,C]

private:
    ClassifierModel(Sidecar sidecar, torch::jit::Module module, std::unique_ptr<OnnxNetwork> onnx = nullptr);
    void validate();
    torch::Tensor run(const char* method, const torch::Tensor& argument);

    Sidecar m_sidecar;
    torch::jit::Module m_module;
    std::unique_ptr<OnnxNetwork> m_onnx; // instead of m_module for an .onnx file
};

} // namespace fcs
