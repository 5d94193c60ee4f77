#include "engine/cam/GradCam.h"

namespace fcs {

torch::Tensor GradCam::channelWeights(const torch::Tensor& /*activations*/, const torch::Tensor& grads) const
{
    return grads.mean({2, 3}); // [N,K]
}

} // namespace fcs
