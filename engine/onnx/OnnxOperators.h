#pragma once
// The ONNX operators this importer runs, each as ATen operations so that autograd gives the
// gradients every CAM method needs (issue 27). A node is compiled once, at load: its operator
// and every attribute are checked there — an operator, attribute or attribute value outside
// what is implemented is refused with the node's name, its operator and the opset, never run
// into a wrong number. Engine-internal (LibTorch).

#include "engine/onnx/OnnxGraph.h"

#include <torch/types.h>

#include <functional>
#include <vector>

namespace fcs {

// Inputs in the node's order (an undefined tensor for an optional input left out); returns
// one tensor per output of the node.
using OnnxKernel = std::function<std::vector<torch::Tensor>(const std::vector<torch::Tensor>&)>;

// Throws fcs::Error(BadModel) for what is not implemented; `path` names the model.
OnnxKernel compileOnnxNode(const OnnxNode& node, std::int64_t opset, const std::string& path);

// For the element-wise operators a classifier runs most (Relu, Clip, Add): the same result
// written over the first input, which the caller owns and no one reads again; empty for the
// others. Only for runs without autograd (an overwritten tensor may be one autograd saved).
OnnxKernel compileOnnxNodeInPlace(const OnnxNode& node);

torch::Tensor onnxTensorToTorch(const OnnxTensor& tensor);

} // namespace fcs
