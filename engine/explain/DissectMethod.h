#pragma once
// Explainer::dissect's work, on the engine's own model type. Engine-internal (LibTorch).

#include "engine/catalog/MethodParameters.h"
#include "engine/explain/MethodAnatomy.h"

#include <optional>
#include <string>

namespace fcs {

class ClassifierModel;

// `input`: RGB8 at the model's input size. Throws fcs::Error(InvalidArgument) for a method that
// is not a weighted sum of channels.
MethodAnatomy dissectMethod(ClassifierModel& model, const cv::Mat& input, const std::string& methodId,
    std::optional<int> targetClass, const MethodParameters& parameters);

} // namespace fcs
