#pragma once
// What the gallery computes for each photo, and the cache keys that name exactly the settings
// each result depends on: the base map's numbers on the model (its file too), the method and the
// settings that method reads, and keep; a Feature CAM variant's additionally on the variant, k and
// the edge detector; the pointing game's additionally on the photo's boxes and the tolerance.
// Changing k thus recomputes the variants only. Torch-free.

#include "engine/catalog/Defaults.h"
#include "engine/catalog/MethodParameters.h"
#include "engine/evaluate/ObjectBox.h"
#include "engine/featurecam/FeatureCam.h"
#include "engine/model/Sidecar.h"

#include <optional>
#include <string>
#include <vector>

namespace fcs {

struct GallerySettings
{
    std::string method = defaults::kMethod;
    MethodParameters parameters; // keep, k, Smooth Grad-CAM++'s copies
    std::optional<FeatureCamVariant> variant; // compared with its base map; none: base maps only
    std::string edgeDetector; // the id of the detector the variant uses
    double pointingTolerance = 15; // input pixels, where the photos have boxes
};

// The model's id with its archive's size and modification time: a retrained model is another;
// for an ONNX model, also the tensor it is explained at.
std::string galleryModelKey(const Sidecar& model);
std::string galleryBaseKey(const std::string& modelKey, const GallerySettings& settings);
std::string galleryVariantKey(const std::string& baseKey, const GallerySettings& settings);
std::string galleryPointingKey(
    const std::string& baseKey, const std::vector<ObjectBox>& boxes, const GallerySettings& settings);

} // namespace fcs
