#include "engine/gallery/GallerySet.h"

#include "engine/core/Error.h"
#include "engine/io/WholeFile.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <filesystem>

namespace fcs {

std::vector<EvaluationImage> readGallerySet(const std::string& folderOrList)
{
    namespace fs = std::filesystem;
    const fs::path runFile = fs::path(folderOrList) / "run.json";
    std::error_code error;
    if (!fs::is_directory(folderOrList, error) || !fs::is_regular_file(runFile, error))
        return readImageSet(folderOrList);
    const auto text = readWholeFile(runFile.string());
    const auto run = QJsonDocument::fromJson(QByteArray::fromStdString(text.value_or(std::string()))).object();
    const std::string images = run.value("images").toString().toStdString();
    if (images.empty())
        throw Error(ErrorCode::BadData,
            "\"" + runFile.string() + "\" does not name its images; open the image list or folder instead.");
    if (!fs::exists(images, error))
        throw Error(ErrorCode::ReadFailed,
            "The evaluation in \"" + folderOrList + "\" was run on \"" + images
                + "\", which is no longer there; open the image list or folder where it is now.");
    return readImageSet(images);
}

} // namespace fcs
