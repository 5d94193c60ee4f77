#pragma once
// Activations of the target layer and the gradient of a class logit with respect to them,
// computed through the head only: features() runs without autograd, the activations become a
// leaf, and only classify() is differentiated (differentiating the whole network
// would cost a full backward pass for nothing). Engine-internal (LibTorch).

#include <torch/script.h>

#include <vector>

namespace fcs {

class ClassifierModel;

struct GradientPass
{
    torch::Tensor logits; // [N,C]
    torch::Tensor activations; // [N,K,h,w], A
    torch::Tensor grads; // [N,K,h,w], g = d y_c / d A, c = targets[n]
    std::vector<int64_t> targets; // the class each input's gradient is of
};

// targets has one class index per input, or a single one used for all, or none: then each
// input's own top-1 class, read from the same logits (so no separate forward pass is needed).
GradientPass computeGradients(ClassifierModel& model, const torch::Tensor& input, const std::vector<int64_t>& targets);

} // namespace fcs
