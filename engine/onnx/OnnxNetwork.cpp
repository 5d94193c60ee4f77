#include "engine/onnx/OnnxNetwork.h"

#include "engine/core/Error.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace fcs {
namespace {

[[noreturn]] void refuse(const std::string& path, const std::string& why)
{
    throw Error(ErrorCode::BadModel, "The ONNX model \"" + path + "\" cannot be used: " + why);
}

std::string shapeText(const std::vector<std::int64_t>& shape)
{
    std::string text = "[";
    for (std::size_t k = 0; k < shape.size(); ++k)
        text += (k ? ", " : "") + std::to_string(shape[k]);
    return text + "]";
}

} // namespace

std::unique_ptr<OnnxNetwork> OnnxNetwork::load(
    const std::string& path, const std::string& targetLayer, int inputHeight, int inputWidth)
{
    const OnnxGraph graph = readOnnxGraph(path);
    std::unique_ptr<OnnxNetwork> network(new OnnxNetwork);
    OnnxNetwork& n = *network;
    n.m_path = path;
    n.m_producer = graph.producer;
    n.m_inputHeight = inputHeight;
    n.m_inputWidth = inputWidth;
    std::map<std::string, int> slots;
    const auto slotOf = [&](const std::string& name) {
        const auto [it, added] = slots.emplace(name, int(n.m_slotNames.size()));
        if (added) {
            n.m_slotNames.push_back(name);
            n.m_constants.emplace_back();
        }
        return it->second;
    };
    for (const auto& initializer : graph.initializers)
        n.m_constants[std::size_t(slotOf(initializer.name))] = onnxTensorToTorch(initializer);
    n.m_inputSlot = slotOf(graph.input);
    const auto& dims = graph.inputDims;
    if (dims.size() != 4 || (dims[1] > 0 && dims[1] != 3) || (dims[2] > 0 && dims[2] != inputHeight)
        || (dims[3] > 0 && dims[3] != inputWidth))
        refuse(path,
            "its input \"" + graph.input + "\" is declared " + shapeText(dims) + ", not an image [N, 3, "
                + std::to_string(inputHeight) + ", " + std::to_string(inputWidth)
                + "] of the sidecar's input_size (NCHW; an NHWC export from TensorFlow needs tf2onnx's "
                  "--inputs-as-nchw).");
    for (const auto& node : graph.nodes) {
        Step step;
        step.kernel = compileOnnxNode(node, graph.opset, path);
        step.inPlace = compileOnnxNodeInPlace(node);
        step.node = node.describe();
        step.isShape = node.opType == "Shape" || node.opType == "Size";
        for (const auto& input : node.inputs)
            step.inputs.push_back(input.empty() ? -1 : slotOf(input));
        for (const auto& output : node.outputs)
            step.outputs.push_back(output.empty() ? -1 : slotOf(output));
        n.m_steps.push_back(std::move(step));
    }
    n.m_outputSlot = slotOf(graph.output);
    n.m_forward = n.planFor(n.m_outputSlot, -1);

    // One pass on a probe learns every tensor's shape (for the target and the layer list).
    std::vector<std::vector<std::int64_t>> shapes(n.m_slotNames.size());
    {
        torch::NoGradGuard noGrad;
        std::vector<torch::Tensor> values = n.m_constants;
        values[std::size_t(n.m_inputSlot)]
            = torch::linspace(-1, 1, 3 * inputHeight * inputWidth).reshape({1, 3, inputHeight, inputWidth});
        for (const int index : n.m_forward.steps) {
            const Step& step = n.m_steps[std::size_t(index)];
            std::vector<torch::Tensor> in;
            for (const int slot : step.inputs)
                in.push_back(slot < 0 ? torch::Tensor() : values[std::size_t(slot)]);
            std::vector<torch::Tensor> out;
            try {
                out = step.kernel(in);
            } catch (const std::exception& e) {
                refuse(path, step.node + " fails on an input of the sidecar's size: " + e.what());
            }
            for (std::size_t k = 0; k < step.outputs.size() && k < out.size(); ++k)
                if (step.outputs[k] >= 0) {
                    values[std::size_t(step.outputs[k])] = out[k];
                    shapes[std::size_t(step.outputs[k])] = out[k].sizes().vec();
                }
        }
    }
    n.chooseTarget(targetLayer, shapes);
    n.m_features = n.planFor(n.m_targetSlot, -1);
    n.m_classify = n.planFor(n.m_outputSlot, n.m_targetSlot);
    return network;
}

OnnxNetwork::Plan OnnxNetwork::planFor(int outputSlot, int givenSlot) const
{
    std::vector<int> producer(m_slotNames.size(), -1);
    for (std::size_t s = 0; s < m_steps.size(); ++s)
        for (const int slot : m_steps[s].outputs)
            if (slot >= 0)
                producer[std::size_t(slot)] = int(s);
    std::vector<bool> needed(m_steps.size(), false);
    std::vector<int> pending{outputSlot};
    std::vector<bool> seen(m_slotNames.size(), false);
    while (!pending.empty()) {
        const int slot = pending.back();
        pending.pop_back();
        if (slot < 0 || seen[std::size_t(slot)] || slot == givenSlot)
            continue;
        seen[std::size_t(slot)] = true;
        const int step = producer[std::size_t(slot)];
        if (step < 0 || needed[std::size_t(step)])
            continue;
        needed[std::size_t(step)] = true;
        for (const int input : m_steps[std::size_t(step)].inputs)
            pending.push_back(input);
    }
    Plan plan;
    for (std::size_t s = 0; s < m_steps.size(); ++s)
        if (needed[s])
            plan.steps.push_back(int(s));
    // Each intermediate tensor is dropped after its last reader: peak memory as TorchScript's.
    std::vector<int> lastReader(m_slotNames.size(), -1);
    for (std::size_t k = 0; k < plan.steps.size(); ++k)
        for (const int slot : m_steps[std::size_t(plan.steps[k])].inputs)
            if (slot >= 0)
                lastReader[std::size_t(slot)] = int(k);
    plan.releaseAfter.resize(plan.steps.size());
    for (std::size_t slot = 0; slot < lastReader.size(); ++slot)
        if (lastReader[slot] >= 0 && !m_constants[slot].defined() && int(slot) != outputSlot)
            plan.releaseAfter[std::size_t(lastReader[slot])].push_back(int(slot));
    return plan;
}

bool OnnxNetwork::isCut(int slot) const
{
    // Values that depend on the input other than through `slot`; a Shape reads only sizes,
    // which the stand-in input of classify() has right.
    std::vector<bool> bypass(m_slotNames.size(), false);
    bypass[std::size_t(m_inputSlot)] = true;
    const Plan plan = planFor(m_outputSlot, slot);
    for (const int index : plan.steps) {
        const Step& step = m_steps[std::size_t(index)];
        bool tainted = false;
        for (const int input : step.inputs)
            tainted = tainted || (input >= 0 && bypass[std::size_t(input)]);
        if (tainted && !step.isShape)
            return false;
    }
    return true;
}

bool OnnxNetwork::canExplain(const std::string& tensorName) const
{
    for (const auto& tensor : m_spatial)
        if (tensor.name == tensorName)
            for (std::size_t k = 0; k < m_slotNames.size(); ++k)
                if (m_slotNames[k] == tensorName)
                    return isCut(int(k));
    return false;
}

void OnnxNetwork::chooseTarget(const std::string& targetLayer, const std::vector<std::vector<std::int64_t>>& shapes)
{
    const double aspect = std::log(double(m_inputHeight) / m_inputWidth);
    for (const int index : m_forward.steps)
        for (const int slot : m_steps[std::size_t(index)].outputs) {
            if (slot < 0)
                continue;
            const auto& shape = shapes[std::size_t(slot)];
            // NCHW with a map of the image's proportions (an NHWC tensor has C where w should be).
            if (shape.size() == 4 && shape[2] > 1 && shape[3] > 1 && shape[2] <= m_inputHeight
                && std::abs(std::log(double(shape[2]) / double(shape[3])) - aspect) < 0.5)
                m_spatial.push_back({m_slotNames[std::size_t(slot)], shape});
        }
    if (!targetLayer.empty()) {
        int slot = -1;
        for (std::size_t k = 0; k < m_slotNames.size(); ++k)
            if (m_slotNames[k] == targetLayer && !m_constants[k].defined())
                slot = int(k);
        if (slot < 0 || shapes[std::size_t(slot)].empty())
            refuse(m_path,
                "its sidecar's target_layer \"" + targetLayer
                    + "\" is not a tensor the graph computes on the way to its output.");
        if (shapes[std::size_t(slot)].size() != 4)
            refuse(m_path,
                "its sidecar's target_layer \"" + targetLayer + "\" has the shape "
                    + shapeText(shapes[std::size_t(slot)]) + "; a CAM needs a map [N, K, h, w].");
        if (!isCut(slot))
            refuse(m_path,
                "the output depends on the input also by paths around its target_layer \"" + targetLayer
                    + "\" (a skip connection), so classify() cannot start from it; choose a tensor every path "
                      "passes through.");
        m_targetSlot = slot;
        m_targetName = targetLayer;
        return;
    }
    for (auto it = m_spatial.rbegin(); it != m_spatial.rend(); ++it) {
        int slot = -1;
        for (std::size_t k = 0; k < m_slotNames.size(); ++k)
            if (m_slotNames[k] == it->name)
                slot = int(k);
        if (isCut(slot)) {
            m_targetSlot = slot;
            m_targetName = it->name;
            m_targetChosen = true;
            return;
        }
    }
    refuse(m_path,
        "it has no spatial tensor [N, K, h, w] that every path to its output passes through, so there "
        "is no layer to explain; name one as target_layer in the sidecar.");
}

torch::Tensor OnnxNetwork::run(const Plan& plan, int outputSlot, std::vector<std::pair<int, torch::Tensor>> given)
{
    std::vector<torch::Tensor> values = m_constants;
    std::vector<bool> isGiven(values.size(), false);
    for (auto& [slot, tensor] : given) {
        values[std::size_t(slot)] = std::move(tensor);
        isGiven[std::size_t(slot)] = true;
    }
    // Without autograd, an element-wise step may write over a tensor it reads for the last time
    // (as TorchScript's in-place ReLU6 does): fewer fresh buffers, the same numbers.
    const bool mayOverwrite = !torch::GradMode::is_enabled();
    std::vector<torch::Tensor> in;
    for (std::size_t k = 0; k < plan.steps.size(); ++k) {
        const Step& step = m_steps[std::size_t(plan.steps[k])];
        in.clear();
        for (const int slot : step.inputs)
            in.push_back(slot < 0 ? torch::Tensor() : values[std::size_t(slot)]);
        const int first = step.inputs.empty() ? -1 : step.inputs.front();
        const auto& released = plan.releaseAfter[k];
        bool overwrite = mayOverwrite && step.inPlace && first >= 0 && !isGiven[std::size_t(first)]
            && std::count(step.inputs.begin(), step.inputs.end(), first) == 1
            && std::find(released.begin(), released.end(), first) != released.end();
        if (overwrite) {
            // Only a buffer no other tensor sees: not another slot's (Identity), nor a view's (Reshape).
            torch::Tensor kept = std::move(values[std::size_t(first)]);
            overwrite = in.front().use_count() == 2 && in.front().storage().use_count() == 1;
            if (!overwrite)
                values[std::size_t(first)] = std::move(kept);
        }
        std::vector<torch::Tensor> out;
        try {
            out = overwrite ? step.inPlace(in) : step.kernel(in);
        } catch (const c10::Error& e) {
            throw Error(ErrorCode::ContractMismatch, "The ONNX model \"" + m_path + "\" failed in " + step.node + ".",
                e.what_without_backtrace());
        } catch (const std::exception& e) {
            throw Error(ErrorCode::ContractMismatch, "The ONNX model \"" + m_path + "\" failed in " + step.node + ".",
                e.what());
        }
        for (std::size_t o = 0; o < step.outputs.size() && o < out.size(); ++o)
            if (step.outputs[o] >= 0)
                values[std::size_t(step.outputs[o])] = std::move(out[o]);
        for (const int slot : plan.releaseAfter[k])
            if (slot != outputSlot)
                values[std::size_t(slot)] = torch::Tensor();
    }
    return values[std::size_t(outputSlot)];
}

torch::Tensor OnnxNetwork::forward(const torch::Tensor& input)
{
    return run(m_forward, m_outputSlot, {{m_inputSlot, input}});
}

torch::Tensor OnnxNetwork::features(const torch::Tensor& input)
{
    return run(m_features, m_targetSlot, {{m_inputSlot, input}});
}

torch::Tensor OnnxNetwork::classify(const torch::Tensor& activations)
{
    // A stand-in input of the right size and no memory: the graph may read the input's shape.
    const torch::Tensor standIn
        = torch::zeros({1, 1, 1, 1}).expand({activations.size(0), 3, m_inputHeight, m_inputWidth});
    return run(m_classify, m_outputSlot, {{m_inputSlot, standIn}, {m_targetSlot, activations}});
}

} // namespace fcs
