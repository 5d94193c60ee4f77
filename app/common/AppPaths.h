#pragma once
// Where both executables find things: the built-in demo model (in the build tree, or installed
// under <prefix>/share/featurecam), the models path, the default classifier and edge detector,
// and sample images. Qt Core only.

#include "edges/EdgeDetector.h"
#include "model/ModelCatalog.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <string>
#include <vector>

namespace fcs {

// <exe>/../share/featurecam/demo-model when installed, else the build tree's demo-model folder.
std::string builtinModelDir();

// The given folders, then FEATURECAM_MODEL_PATH, then the built-in demo model's folder (last:
// it is picked only when nothing else is found).
std::vector<std::string> appModelDirs(const std::vector<std::string>& explicitDirs);

// mobilenet_v2_1.0_224 if present, else the first usable classifier of the user's, else the demo
// model; nullptr when there is no usable classifier.
const CatalogEntry* preferredClassifier(const std::vector<CatalogEntry>& entries);

// pidinet_tiny (as the protocol reference; 4–9× faster than pidinet), else pidinet, else Sobel.
// `fellBack` tells the caller to say that no deep edge model was found.
std::unique_ptr<EdgeDetector> preferredEdgeDetector(const EdgeOptions& options, bool* fellBack = nullptr);

// Images to start with: the shared ImageNet sample (FEATURECAM_DATA_PATH/imagenet-sample) when
// present, then the demo model's samples. Sorted, at most `limit`.
QStringList sampleImages(int limit = 24);

} // namespace fcs
