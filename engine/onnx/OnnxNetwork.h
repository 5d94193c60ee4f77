#pragma once
// An ONNX classifier run as ATen operations, split at a target tensor into the model contract's
// features() and classify() (issue 27; models/README.md). Engine-internal (LibTorch). Not
// thread-safe: one thread at a time, as ClassifierModel.

#include "engine/onnx/OnnxOperators.h"

#include <torch/types.h>

#include <memory>
#include <string>
#include <vector>

namespace fcs {

struct OnnxSpatialTensor
{
    std::string name;
    std::vector<std::int64_t> shape; // [1, K, h, w] for one input image
};

class OnnxNetwork
{
public:
    // Reads and compiles the file and runs it once on a probe of the input size to learn its
    // tensors' shapes. `targetLayer` names the tensor features() returns; "" picks the last
    // spatial tensor whose every path to the output goes through it (the one before the global
    // pooling in a classifier). Throws fcs::Error(BadModel) naming the file and the reason.
    static std::unique_ptr<OnnxNetwork> load(
        const std::string& path, const std::string& targetLayer, int inputHeight, int inputWidth);

    torch::Tensor forward(const torch::Tensor& input); // [N,3,H,W] -> logits
    torch::Tensor features(const torch::Tensor& input); // -> the target tensor [N,K,h,w]
    torch::Tensor classify(const torch::Tensor& activations); // the target tensor -> logits

    const std::string& target() const { return m_targetName; }
    bool targetWasChosen() const { return m_targetChosen; } // no target_layer given
    // The tensors features() could return, in graph order, with their shapes.
    const std::vector<OnnxSpatialTensor>& spatialTensors() const { return m_spatial; }
    const std::string& producer() const { return m_producer; }
    // Whether `tensorName` can be the target: a spatial tensor every path to the output passes through.
    bool canExplain(const std::string& tensorName) const;

private:
    struct Step
    {
        OnnxKernel kernel;
        OnnxKernel inPlace; // the same over its first input, for some element-wise operators
        std::vector<int> inputs; // slots; -1 for an optional input left out
        std::vector<int> outputs;
        std::string node; // node "…" (Op), for messages
        bool isShape = false;
    };
    struct Plan
    {
        std::vector<int> steps;
        std::vector<std::vector<int>> releaseAfter; // per step: slots read for the last time
    };

    OnnxNetwork() = default;
    Plan planFor(int outputSlot, int givenSlot) const; // steps computing outputSlot, givenSlot known
    torch::Tensor run(const Plan& plan, int outputSlot, std::vector<std::pair<int, torch::Tensor>> given);
    bool isCut(int slot) const; // every path from the input to the output passes through it
    void chooseTarget(const std::string& targetLayer, const std::vector<std::vector<std::int64_t>>& shapes);

    std::string m_path;
    std::string m_producer;
    std::vector<std::string> m_slotNames;
    std::vector<torch::Tensor> m_constants; // per slot: the weights, undefined elsewhere
    std::vector<Step> m_steps;
    int m_inputSlot = -1, m_outputSlot = -1, m_targetSlot = -1;
    std::string m_targetName;
    bool m_targetChosen = false;
    int m_inputHeight = 0, m_inputWidth = 0;
    std::vector<OnnxSpatialTensor> m_spatial;
    Plan m_forward, m_features, m_classify;
};

} // namespace fcs
