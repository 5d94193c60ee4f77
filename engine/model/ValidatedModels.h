#pragma once
// Classifiers that already passed the contract checks (ClassifierModel::validate), remembered
// across launches so that opening the same unchanged model again skips them: they run the
// network four times on three probe images, ~0.1 s of the first map after start-up
// (docs/performance.md). A model is known by its archive's path, size and modification time
// and by everything of its sidecar the checks read, so any change to either checks it again.
// The list lives in the user's cache folder (XDG_CACHE_HOME or ~/.cache, then
// featurecam/validated-models.txt; at most 64 models); deleting it is always safe. Qt Core only.

#include "engine/model/Sidecar.h"

#include <string>

namespace fcs {

// The key under which `sidecar`'s model is remembered; empty when its archive cannot be read.
// `checksRevision` names the version of the checks, so that new checks run on old models too.
std::string validationKey(const Sidecar& sidecar, int checksRevision);

bool isKnownValid(const std::string& key);
void rememberValid(const std::string& key); // best effort: an unwritable cache only costs time

} // namespace fcs
