#include "engine/catalog/Locations.h"

#include "engine/io/ImageLoader.h"
#include "engine/model/ModelCatalog.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <cstdlib>

namespace fcs {
namespace {

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
