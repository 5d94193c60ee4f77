#pragma once
// What a model is, by content rather than by name: two models under one name (weights trained
// again, a sidecar edited) are told apart. An evaluation records it in run.json, so that resuming
// or merging shards made with different files under the same name is refused (issue 25). Qt Core only.

#include "engine/model/Sidecar.h"

#include <string>

namespace fcs {

// SHA-256 (hex) of the archive, the sidecar and the labels file; Error(ReadFailed) naming the
// file when one of them cannot be read.
std::string modelFingerprint(const Sidecar& sidecar);

} // namespace fcs
