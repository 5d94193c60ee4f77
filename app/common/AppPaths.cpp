#include "AppPaths.h"

#include "core/Error.h"
#include "io/ImageLoader.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <cstdlib>

namespace fcs {
namespace {

constexpr const char* kPreferredDefaultModel = "mobilenet_v2_1.0_224";

QStringList imagesIn(const QString& folder)
{
    QStringList out;
    const QDir dir(folder);
    for (const QString& name : dir.entryList(QDir::Files, QDir::Name))
        if (hasImageExtension(name.toStdString()))
            out << dir.filePath(name);
    return out;
}

} // namespace

std::string builtinModelDir()
{
    if (QCoreApplication::instance()) {
        const QString installed
            = QDir(QCoreApplication::applicationDirPath()).filePath("../share/featurecam/demo-model");
        if (QFileInfo::exists(installed + "/featurecam_demo_shapes.json"))
            return QDir::cleanPath(installed).toStdString();
    }
    return FCS_BUILTIN_MODEL_DIR;
}

std::vector<std::string> appModelDirs(const std::vector<std::string>& explicitDirs)
{
    auto dirs = modelSearchPath(explicitDirs);
    dirs.push_back(builtinModelDir());
    return dirs;
}

const CatalogEntry* preferredClassifier(const std::vector<CatalogEntry>& entries)
{
    const std::string builtin = builtinModelDir();
    const auto rank = [&builtin](const CatalogEntry& entry) {
        if (entry.id == kPreferredDefaultModel)
            return 0;
        return entry.jsonPath.rfind(builtin, 0) == 0 ? 2 : 1;
    };
    const CatalogEntry* chosen = nullptr;
    for (const auto& entry : entries) {
        if (!entry.error.empty() || entry.sidecar.kind != ModelKind::Classifier)
            continue;
        if (!chosen || rank(entry) < rank(*chosen))
            chosen = &entry;
    }
    return chosen;
}

std::unique_ptr<EdgeDetector> preferredEdgeDetector(const EdgeOptions& options, bool* fellBack)
{
    if (fellBack)
        *fellBack = false;
    for (const char* preferred : {"pidinet_tiny", "pidinet"}) {
        try {
            return makeEdgeDetector(preferred, options);
        } catch (const Error& e) {
            if (e.code() != ErrorCode::ModelNotFound)
                throw;
        }
    }
    if (fellBack)
        *fellBack = true;
    return makeEdgeDetector("sobel", options);
}

QStringList sampleImages(int limit)
{
    QStringList out;
    const char* data = std::getenv("FEATURECAM_DATA_PATH");
    if (data && *data)
        out << imagesIn(QString::fromLocal8Bit(data) + "/imagenet-sample");
    out << imagesIn(QString::fromStdString(builtinModelDir()) + "/samples");
    return out.mid(0, limit);
}

} // namespace fcs
