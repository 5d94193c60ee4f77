#include "engine/evaluate/PointingGame.h"

#include "engine/core/Error.h"
#include "engine/evaluate/ImageSet.h"
#include "engine/io/CsvTable.h"
#include "engine/io/WholeFile.h"

#include <QCryptographicHash>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace fcs {
namespace {

double parseCoordinate(const std::string& text, const char* column, const std::string& csv, std::size_t line)
{
    const auto value = parseNumberField(text);
    if (!value || !std::isfinite(*value))
        throw Error(ErrorCode::BadData,
            "Line " + std::to_string(line) + " of the box file \"" + csv + "\" has " + column + " \"" + text
                + "\"; it must be a number of pixels.");
    return *value;
}

// Distance from a point to a box (0 inside).
double distanceToBox(cv::Point2d point, const cv::Rect2d& box)
{
    const double dx = std::max({box.x - point.x, 0.0, point.x - (box.x + box.width)});
    const double dy = std::max({box.y - point.y, 0.0, point.y - (box.y + box.height)});
    return std::hypot(dx, dy);
}

} // namespace

std::map<std::string, std::vector<ObjectBox>> readObjectBoxes(const std::string& csvPath)
{
    std::string whyNot;
    const auto text = readWholeFile(csvPath, &whyNot);
    if (!text)
        throw Error(ErrorCode::ReadFailed, "Cannot read the box file \"" + csvPath + "\": " + whyNot + ".");
    const auto rows = parseCsv(*text);
    if (rows.empty())
        throw Error(ErrorCode::BadData, "The box file \"" + csvPath + "\" is empty.");
    const char* names[] = {"file", "x0", "y0", "x1", "y1"};
    int columns[5];
    for (int c = 0; c < 5; ++c) {
        columns[c] = csvColumn(rows[0], names[c]);
        if (columns[c] < 0)
            throw Error(ErrorCode::BadData,
                "The box file \"" + csvPath + "\" has no `" + names[c]
                    + "` column; its first line must name the columns: file,x0,y0,x1,y1[,class_index].");
    }
    const int classColumn = csvColumn(rows[0], "class_index");
    std::map<std::string, std::vector<ObjectBox>> boxes;
    for (const auto& record : dataRecords(rows)) {
        const CsvRow& row = record.fields; // not a structured binding: lambdas cannot capture those in C++17
        const std::size_t i = record.line - 1;
        const auto field = [&](int column) { return int(row.size()) > column ? row[std::size_t(column)] : ""; };
        const std::string file = field(columns[0]);
        if (file.empty())
            throw Error(ErrorCode::BadData,
                "Line " + std::to_string(i + 1) + " of the box file \"" + csvPath + "\" has no file name.");
        ObjectBox box;
        box.x0 = parseCoordinate(field(columns[1]), "x0", csvPath, i + 1);
        box.y0 = parseCoordinate(field(columns[2]), "y0", csvPath, i + 1);
        box.x1 = parseCoordinate(field(columns[3]), "x1", csvPath, i + 1);
        box.y1 = parseCoordinate(field(columns[4]), "y1", csvPath, i + 1);
        if (classColumn >= 0)
            box.classIndex = parseClassIndex(
                field(classColumn), "Line " + std::to_string(i + 1) + " of the box file \"" + csvPath + "\"");
        box.line = int(i + 1);
        if (!(box.x0 < box.x1 && box.y0 < box.y1))
            throw Error(ErrorCode::BadData,
                "Line " + std::to_string(i + 1) + " of the box file \"" + csvPath
                    + "\" is an empty or inverted box; it must have x0 < x1 and y0 < y1.");
        boxes[file].push_back(box);
    }
    return boxes;
}

std::vector<std::string> attachBoxes(
    std::vector<EvaluationImage>& images, const std::map<std::string, std::vector<ObjectBox>>& boxes)
{
    std::set<std::string> used;
    for (auto& image : images) {
        const auto found = boxes.find(image.name);
        if (found == boxes.end())
            continue;
        image.boxes = found->second;
        used.insert(image.name);
    }
    std::vector<std::string> unknown;
    for (const auto& [file, fileBoxes] : boxes)
        if (!used.count(file))
            unknown.push_back(file);
    return unknown;
}

void checkBoxClasses(const std::vector<EvaluationImage>& images, int numClasses, const std::string& modelId,
    const std::string& boxFile)
{
    for (const auto& image : images)
        for (const auto& box : image.boxes.value_or(std::vector<ObjectBox>()))
            if (box.classIndex && (*box.classIndex < 0 || *box.classIndex >= numClasses))
                throw Error(ErrorCode::BadData,
                    "Line " + std::to_string(box.line) + " of the box file \"" + boxFile + "\" gives class_index "
                        + std::to_string(*box.classIndex) + ", but the classifier \"" + modelId + "\" has "
                        + std::to_string(numClasses) + " classes (0 to " + std::to_string(numClasses - 1) + ").");
}

std::string boxesDigest(const std::map<std::string, std::vector<ObjectBox>>& boxes)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const auto& [file, fileBoxes] : boxes) {
        std::vector<std::string> rows;
        for (const auto& b : fileBoxes) {
            char text[160];
            std::snprintf(text, sizeof text, "\t%.17g\t%.17g\t%.17g\t%.17g\t%d\n", b.x0, b.y0, b.x1, b.y1,
                b.classIndex ? *b.classIndex : -1);
            rows.push_back(file + text);
        }
        std::sort(rows.begin(), rows.end()); // the rows' order in the file does not matter
        for (const auto& row : rows)
            hash.addData(QByteArrayView(row.data(), qsizetype(row.size())));
    }
    return hash.result().toHex().toStdString();
}

void checkBoxesFitThePhoto(const std::vector<ObjectBox>& boxes, cv::Size photo, const std::string& image)
{
    constexpr double kSlack = 0.5; // pixel-centre and pixel-edge conventions differ by half a pixel
    for (const auto& box : boxes)
        if (box.x0 < -kSlack || box.y0 < -kSlack || box.x1 > photo.width + kSlack || box.y1 > photo.height + kSlack)
            throw Error(ErrorCode::BadData,
                "The box on line " + std::to_string(box.line) + " of the box file reaches beyond \"" + image + "\" ("
                    + std::to_string(photo.width) + "×" + std::to_string(photo.height)
                    + " pixels): boxes must be in the photo's own pixel coordinates, not in another scale.");
}

std::vector<cv::Rect2d> boxesAtInput(
    const std::vector<ObjectBox>& boxes, int classIndex, cv::Size photo, cv::Size input, ResizeMode mode)
{
    // The photo's own geometry (fitToInput): output = source · scale − offset.
    const InputGeometry g = inputGeometry(photo, input.height, input.width, mode);
    const double scaleX = g.scaledWidth / photo.width, scaleY = g.scaledHeight / photo.height;
    const double offsetX = g.offsetX, offsetY = g.offsetY;
    const cv::Rect2d window(0, 0, input.width, input.height);
    std::vector<cv::Rect2d> out;
    for (const auto& box : boxes) {
        if (box.classIndex && *box.classIndex != classIndex)
            continue;
        const cv::Rect2d mapped(box.x0 * scaleX - offsetX, box.y0 * scaleY - offsetY, (box.x1 - box.x0) * scaleX,
            (box.y1 - box.y0) * scaleY);
        const cv::Rect2d kept = mapped & window;
        if (kept.width > 0 && kept.height > 0)
            out.push_back(kept);
    }
    return out;
}

PointingScore pointingScore(const cv::Mat& map, const std::vector<cv::Rect2d>& boxes, double tolerance)
{
    CV_Assert(map.type() == CV_32F);
    PointingScore score;
    double total = 0, inside = 0;
    float peak = 0;
    cv::Point peakAt(-1, -1);
    for (int y = 0; y < map.rows; ++y) {
        const float* row = map.ptr<float>(y);
        for (int x = 0; x < map.cols; ++x) {
            const float value = row[x];
            if (!(value > 0))
                continue;
            total += value;
            if (value > peak) {
                peak = value;
                peakAt = {x, y};
            }
            const cv::Point2d centre(x + 0.5, y + 0.5);
            for (const auto& box : boxes)
                if (box.contains(centre)) {
                    inside += value;
                    break;
                }
        }
    }
    if (peakAt.x < 0)
        return score; // a map without a positive value points nowhere
    const cv::Point2d peakCentre(peakAt.x + 0.5, peakAt.y + 0.5);
    for (const auto& box : boxes)
        score.hit = score.hit || distanceToBox(peakCentre, box) <= tolerance;
    score.energyInside = inside / total;
    return score;
}

} // namespace fcs
