#pragma once
// Where both front ends find things: the built-in demo model (in the build tree, or installed
// under <prefix>/share/featurecam), the models path and sample images. Qt Core only.

#include <QStringList>

#include <string>
#include <vector>

namespace fcs {

// <exe>/../share/featurecam/demo-model when installed, else the build tree's demo-model folder.
std::string builtinModelDir();

// The given folders, then FEATURECAM_MODEL_PATH, then the built-in demo model's folder (last:
// it is picked only when nothing else is found).
std::vector<std::string> appModelDirs(const std::vector<std::string>& explicitDirs);

// Images to start with: the shared ImageNet sample (FEATURECAM_DATA_PATH/imagenet-sample) when
// present, then the demo model's samples. Sorted, at most `limit`.
QStringList sampleImages(int limit = 24);

} // namespace fcs
