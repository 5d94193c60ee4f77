#pragma once
// Plain-language descriptions of the Feature CAM variants, for teaching: what X<e>-I<i> does
// with the current k. Torch-free.

#include "engine/catalog/MethodParameters.h"
#include "engine/featurecam/FeatureCam.h"

#include <string>

namespace fcs {

// "Feature CAM X1-I2 adds 0.25 times two parts grey image to one part edge map to the saliency map, …"
std::string describeFeatureCamVariant(const FeatureCamVariant& variant, const MethodParameters& parameters);

} // namespace fcs
