#include "engine/gallery/GalleryKeys.h"

#include "engine/catalog/MethodCatalog.h"
#include "engine/evaluate/PointingGame.h"

#include <QFileInfo>

#include <cstdio>

namespace fcs {
namespace {

std::string number(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", value);
    return text;
}

} // namespace

std::string galleryModelKey(const Sidecar& model)
{
    const QFileInfo archive(QString::fromStdString(model.modelPath));
    // An ONNX graph is explained at the sidecar's target_layer (the window's layer picker changes it).
    return model.id + "@" + std::to_string(archive.size()) + "@"
        + std::to_string(archive.lastModified().toMSecsSinceEpoch())
        + (isOnnxModel(model) ? "@target=" + model.targetLayer : "");
}

std::string galleryBaseKey(const std::string& modelKey, const GallerySettings& s)
{
    std::string key = modelKey + "|" + s.method + "|keep=" + number(s.parameters.keepPercent);
    const MethodInfo* method = findMethod(s.method);
    if (method && method->capabilities.settingsKey) // what the method reads besides these
        key += "|" + method->capabilities.settingsKey(s.parameters);
    return key;
}

std::string galleryVariantKey(const std::string& baseKey, const GallerySettings& s)
{
    return baseKey + "|" + (s.variant ? s.variant->name() : std::string("none")) + "|k=" + number(s.parameters.k)
        + "|edges=" + s.edgeDetector;
}

std::string galleryPointingKey(
    const std::string& baseKey, const std::vector<ObjectBox>& boxes, const GallerySettings& s)
{
    return baseKey + "|tolerance=" + number(s.pointingTolerance) + "|boxes=" + boxesDigest({{std::string(), boxes}});
}

} // namespace fcs
