#pragma once
// Names one version of a model on disk: its sidecar's and network's sizes and modification
// times. A front end that keeps a loaded model compares stamps to see that the files changed
// (the window's layer picker rewrites an ONNX sidecar's target_layer). Torch-free.

#include "engine/model/Sidecar.h"

#include <string>

namespace fcs {

std::string modelStamp(const Sidecar& sidecar);

} // namespace fcs
