#include "engine/cam/GradientPass.h"

#include "engine/model/ClassifierModel.h"

#include <torch/csrc/autograd/autograd.h>

namespace fcs {

GradientPass computeGradients(ClassifierModel& model, const torch::Tensor& input, const std::vector<int64_t>& targets)
{
    const int64_t n = input.size(0);
    TORCH_CHECK(targets.size() <= 1 || int64_t(targets.size()) == n, "one target per input, one for all, or none");
    GradientPass pass;
    {
        torch::NoGradGuard noGrad;
        pass.activations = model.features(input);
    }
    pass.activations = pass.activations.detach().requires_grad_(true);
    torch::AutoGradMode gradMode(true);
    const torch::Tensor logits = model.classify(pass.activations);

    torch::Tensor targetIndex = targets.empty() ? logits.detach().argmax(1) : torch::tensor(targets, torch::kLong);
    if (targetIndex.numel() == 1)
        targetIndex = targetIndex.expand({n}).contiguous();
    pass.targets.assign(targetIndex.data_ptr<int64_t>(), targetIndex.data_ptr<int64_t>() + n);
    // The inputs are independent (eval mode), so the gradient of the sum of each input's target
    // logit gives every input its own d y_c / d A in one backward pass.
    const torch::Tensor score = logits.gather(1, targetIndex.view({n, 1})).sum();
    pass.grads = torch::autograd::grad({score}, {pass.activations})[0];
    pass.logits = logits.detach();
    pass.activations = pass.activations.detach();
    return pass;
}

} // namespace fcs
