#include "engine/evaluate/ImageSet.h"

#include "engine/core/Error.h"
#include "engine/io/CsvTable.h"
#include "engine/io/ImageLoader.h"
#include "engine/io/Utf8Name.h"
#include "engine/io/WholeFile.h"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>

namespace fcs {
namespace {

namespace fs = std::filesystem;

std::vector<EvaluationImage> readFolder(const fs::path& folder)
{
    std::vector<EvaluationImage> images;
    std::error_code error;
    for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
        std::error_code typeError;
        if (!it->is_regular_file(typeError) || !hasImageExtension(it->path().string()))
            continue;
        const std::string name = it->path().filename().string();
        if (!isUtf8(name)) // it would be another name in run.json and shard.json
            throw Error(ErrorCode::BadData,
                "The image set holds \"" + escapedName((folder / name).string()) + "\", whose name" + notUtf8Advice());
        images.push_back({it->path().string(), name, std::nullopt, 0, std::nullopt});
    }
    if (error) // e.g. a folder without read permission
        throw Error(
            ErrorCode::ReadFailed, "Cannot list the images in \"" + folder.string() + "\": " + error.message() + ".");
    std::sort(images.begin(), images.end(),
        [](const EvaluationImage& a, const EvaluationImage& b) { return a.name < b.name; });
    return images;
}

std::vector<EvaluationImage> readCsv(const fs::path& csv)
{
    std::string whyNot;
    const auto text = readWholeFile(csv, &whyNot);
    if (!text)
        throw Error(ErrorCode::ReadFailed, "Cannot read the image list \"" + csv.string() + "\": " + whyNot + ".");
    const auto rows = parseCsv(*text);
    if (rows.empty())
        throw Error(ErrorCode::BadData, "The image list \"" + csv.string() + "\" is empty.");
    const int fileColumn = csvColumn(rows[0], "file");
    const int classColumn = csvColumn(rows[0], "class_index");
    if (fileColumn < 0)
        throw Error(ErrorCode::BadData,
            "The image list \"" + csv.string()
                + "\" has no `file` column; its first line must name the columns, e.g. file,class_index.");
    std::vector<EvaluationImage> images;
    std::map<std::string, std::size_t> lineOf;
    for (const auto& [line, row] : dataRecords(rows)) {
        const std::size_t i = line - 1;
        if (int(row.size()) <= fileColumn || row[std::size_t(fileColumn)].empty())
            throw Error(
                ErrorCode::BadData, "Line " + std::to_string(i + 1) + " of \"" + csv.string() + "\" has no file name.");
        const std::string& file = row[std::size_t(fileColumn)];
        if (!isUtf8(file))
            throw Error(ErrorCode::BadData,
                "The file name \"" + escapedName(file) + "\" on line " + std::to_string(i + 1) + " of \""
                    + escapedName(csv.string()) + "\"" + notUtf8Advice());
        const fs::path path = fs::path(file).is_absolute() ? fs::path(file) : csv.parent_path() / file;
        std::optional<int> truth;
        if (classColumn >= 0 && int(row.size()) > classColumn)
            truth = parseClassIndex(
                row[std::size_t(classColumn)], "Line " + std::to_string(i + 1) + " of \"" + csv.string() + "\"");
        const auto [previous, added] = lineOf.emplace(file, i + 1);
        if (!added)
            throw Error(ErrorCode::BadData,
                "Line " + std::to_string(i + 1) + " of \"" + csv.string() + "\" lists \"" + file
                    + "\" again (first on line " + std::to_string(previous->second) + ").");
        images.push_back({path.string(), file, truth, int(i + 1), std::nullopt});
    }
    return images;
}

} // namespace

std::optional<int> parseClassIndex(const std::string& text, const std::string& where)
{
    if (text.empty())
        return std::nullopt;
    const auto value = parseIntegerField(text);
    if (!value || *value < 0 || *value > std::numeric_limits<int>::max())
        throw Error(ErrorCode::BadData,
            where + " has class_index \"" + text + "\"; it must be a class number (0, 1, 2, ...) or empty.");
    return int(*value);
}

void checkTruthClasses(const std::vector<EvaluationImage>& images, int numClasses, const std::string& modelId,
    const std::string& csvOrFolder)
{
    for (const auto& image : images)
        if (image.truthClass && *image.truthClass >= numClasses)
            throw Error(ErrorCode::BadData,
                "Line " + std::to_string(image.line) + " of \"" + csvOrFolder + "\" gives class_index "
                    + std::to_string(*image.truthClass) + " for \"" + image.name + "\", but the classifier \"" + modelId
                    + "\" has " + std::to_string(numClasses) + " classes (0 to " + std::to_string(numClasses - 1)
                    + ").");
}

std::vector<EvaluationImage> readImageSet(const std::string& csvOrFolder)
{
    const fs::path path(csvOrFolder);
    std::error_code error;
    std::vector<EvaluationImage> images;
    if (fs::is_directory(path, error))
        images = readFolder(path);
    else if (fs::is_regular_file(path, error))
        images = readCsv(path);
    else if (fs::exists(path, error)) // a pipe would block the reader, a device never end
        throw Error(ErrorCode::ReadFailed,
            "The image set \"" + csvOrFolder + "\" is neither a folder nor a regular file (a pipe or a device?).");
    else
        throw Error(ErrorCode::ReadFailed, "The image set \"" + csvOrFolder + "\" does not exist.");
    if (images.empty())
        throw Error(ErrorCode::BadData, "The image set \"" + csvOrFolder + "\" holds no image.");
    return images;
}

} // namespace fcs
