#pragma once
// Which classifier a front end starts with when the user has not chosen one. Torch-free.

#include "engine/model/ModelCatalog.h"

namespace fcs {

// The classifier the paper's experiments and the protocol reference use.
constexpr const char* kPreferredClassifierId = "mobilenet_v2_1.0_224";

// kPreferredClassifierId if present, else the first usable classifier of the user's, else the
// built-in demo model; nullptr when there is no usable classifier.
const CatalogEntry* preferredClassifier(const std::vector<CatalogEntry>& entries);

} // namespace fcs
