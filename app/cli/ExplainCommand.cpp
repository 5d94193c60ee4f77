#include "CliSupport.h"
#include "Commands.h"
#include "engine/catalog/Defaults.h"
#include "engine/catalog/MethodCatalog.h"
#include "engine/core/Error.h"
#include "engine/core/Limits.h"
#include "engine/edges/EdgeCache.h"
#include "engine/edges/EdgeDetector.h"
#include "engine/explain/Explainer.h"
#include "engine/io/AtomicFile.h"
#include "engine/io/ImageLoader.h"
#include "engine/io/OutputName.h"
#include "engine/model/Preprocess.h"
#include "engine/render/Colormap.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <set>

namespace fcs::cli {
namespace {

namespace fs = std::filesystem;

struct OutputStyle
{
    Colormap colormap = defaults::kColormap;
    double opacity = defaults::kOpacity;
};

QJsonObject classJson(const Explainer& explainer, int classIndex)
{
    return {{"class_index", classIndex}, {"label", QString::fromStdString(explainer.label(classIndex))}};
}

// The part of the photo the model sees, in the photo's own pixels: all of it, or with
// --center-crop its central window. The pictures are written at its size, as the window shows
// them (a 480×320 photo was written 224×224, stretched); map16.png keeps the model's input size.
cv::Mat partTheModelSees(const cv::Mat& photo, const Sidecar& sidecar, ResizeMode mode)
{
    const InputGeometry g = inputGeometry(photo.size(), sidecar.inputHeight, sidecar.inputWidth, mode);
    const double toPhotoX = photo.cols / g.scaledWidth, toPhotoY = photo.rows / g.scaledHeight;
    const cv::Rect seen = cv::Rect(int(std::lround(g.offsetX * toPhotoX)), int(std::lround(g.offsetY * toPhotoY)),
                              std::max(1, int(std::lround(sidecar.inputWidth * toPhotoX))),
                              std::max(1, int(std::lround(sidecar.inputHeight * toPhotoY))))
        & cv::Rect(0, 0, photo.cols, photo.rows);
    return photo(seen);
}

cv::Mat atSize(const cv::Mat& image, cv::Size size, int interpolation)
{
    if (image.size() == size)
        return image;
    cv::Mat out;
    cv::resize(image, out, size, 0, 0, interpolation);
    return out;
}

// The four files of one map: saliency.png, map16.png, mask.png, explanation.png; and its entry of result.json.
QJsonObject writeMapFiles(const fs::path& dir, const cv::Mat& photo, const ExplainedMap& explained,
    const Explainer& explainer, const OutputStyle& style)
{
    fs::create_directories(dir);
    const cv::Size size = photo.size();
    writePngAtomically((dir / "saliency.png").string(),
        overlay(photo, atSize(explained.map, size, cv::INTER_LINEAR), style.colormap, style.opacity));
    writePngAtomically((dir / "map16.png").string(), toSixteenBit(explained.map));
    writePngAtomically((dir / "mask.png").string(), atSize(explained.mask, size, cv::INTER_NEAREST));
    writePngAtomically((dir / "explanation.png").string(), atSize(explained.explanation, size, cv::INTER_LINEAR));
    return {
        {"explanation_top1", classJson(explainer, explained.reclassified.top1)},
        {"explanation_confidence", explained.reclassified.confidence},
        {"kept_pixels_percent", 100.0 * cv::countNonZero(explained.mask) / double(explained.mask.total())},
    };
}

// DIR/<stem>/<method>/{saliency,map16,mask,explanation}.png, the same under
// <method>/featurecam/<variant>/, DIR/<stem>/edges16.png and DIR/<stem>/result.json.
void writeExplanation(const fs::path& imageDir, const std::string& imagePath, const cv::Mat& seenPhoto,
    const Explainer& explainer, const Explanation& explanation, const ExplainSettings& settings,
    const OutputStyle& style, const std::string& edgeDetector, const cv::Mat& edges)
{
    QJsonArray predictions;
    for (const auto& p : explanation.predictions)
        predictions.append(QJsonObject{
            {"class_index", p.classIndex}, {"label", QString::fromStdString(p.label)}, {"probability", p.probability}});
    QJsonObject explained = classJson(explainer, explanation.explainedClass);
    explained["probability"] = explanation.explainedConfidence;

    QJsonObject methods;
    for (const auto& method : explanation.methods) {
        const fs::path dir = imageDir / method.methodId;
        QJsonObject entry = writeMapFiles(dir, seenPhoto, method, explainer, style);
        entry["seconds"] = method.seconds;
        QJsonObject variants;
        for (const auto& variant : method.featureCam)
            variants[QString::fromStdString(variant.variant.name())]
                = writeMapFiles(dir / "featurecam" / variant.variant.name(), seenPhoto, variant, explainer, style);
        if (!method.featureCam.empty())
            entry["featurecam"] = variants;
        methods[QString::fromStdString(method.methodId)] = entry;
    }
    QJsonObject result{
        {"image", QString::fromStdString(imagePath)},
        {"model", QString::fromStdString(explainer.sidecar().id)},
        {"input_size", QJsonArray{explainer.sidecar().inputHeight, explainer.sidecar().inputWidth}},
        {"picture_size", QJsonArray{seenPhoto.rows, seenPhoto.cols}},
        {"keep_percent", settings.keepPercent},
        {"predictions", predictions},
        {"explained_class", explained},
        {"methods", methods},
    };
    if (!settings.featureCam.empty()) {
        writePngAtomically((imageDir / "edges16.png").string(), toSixteenBit(edges));
        result["featurecam"] = QJsonObject{{"edges", QString::fromStdString(edgeDetector)},
            {"edges_size", QJsonArray{edges.rows, edges.cols}}, {"k", settings.k}};
    }
    writeFileAtomically((imageDir / "result.json").string(), QJsonDocument(result).toJson().toStdString());
}

} // namespace

int runExplain(const QStringList& arguments)
{
    CommandLine line("explain", "IMAGE...",
        "Explain the classifier's decision on each image (or each image in a folder) with CAM methods.\n"
        "Writes OUT/<image stem>/<method>/{saliency,map16,mask,explanation}.png and "
        "OUT/<image stem>/result.json;\nwith --feature-cam also <method>/featurecam/<variant>/ "
        "(the same four files) and OUT/<image stem>/edges16.png.");
    line.addModelOptions();
    line.addOnnxSidecarOptions();
    line.addMethodOptions(allMethodIds(), {defaults::kMethod});
    line.parser().addOptions({
        {"class", "Explain this class index instead of the top-1 prediction.", "INDEX"},
        {"out", "Output folder (default featurecam-out).", "DIR"},
        {"colormap",
            QString::fromStdString(
                colormapNameList() + ", for saliency.png (default " + colormapName(defaults::kColormap) + ")."),
            "NAME"},
        {"opacity",
            "Opacity of the colormap over the image in saliency.png, 0..1 (default "
                + QString::number(defaults::kOpacity) + ").",
            "A"},
        {"seed", "Smooth Grad-CAM++: random seed (default 0).", "S"},
        {"top", "How many predictions result.json lists (default " + QString::number(defaults::kTopK) + ").", "K"},
        {"feature-cam", "Also the Feature CAM variants: top5 (the paper's five) or all (nine).", "SET"},
    });
    line.addFeatureCamOptions();
    if (!line.parse(arguments))
        return kExitOk;

    ExplainSettings settings;
    line.readMethodSettings(settings);
    if (line.isSet("class"))
        settings.targetClass = line.intValue("class", 0, 0, 1'000'000);
    settings.topK = line.intValue("top", defaults::kTopK, 1, 100000);
    settings.smooth.seed = std::uint64_t(line.intValue("seed", 0, 0, 2'000'000'000));
    OutputStyle style;
    try {
        style.colormap = colormapFromName(line.value("colormap").isEmpty() ? colormapName(defaults::kColormap)
                                                                           : line.value("colormap").toStdString());
    } catch (const Error& e) {
        throw UsageError(e.userMessage());
    }
    style.opacity = line.doubleValue("opacity", defaults::kOpacity, 0, 1);
    settings.featureCam = line.featureCamVariants({});
    const int edgeMaxSide = line.edgeMaxSide();
    const fs::path outDir(line.isSet("out") ? line.value("out").toStdString() : "featurecam-out");
    const auto images = expandImages(line.parser().positionalArguments());

    line.applyThreads();
    const auto loaded = line.loadExplainer();
    Explainer& explainer = *loaded;
    if (settings.targetClass && *settings.targetClass >= explainer.sidecar().numClasses)
        throw UsageError("--class " + std::to_string(*settings.targetClass) + " is out of range: the model has "
            + std::to_string(explainer.sidecar().numClasses) + " classes (0 to "
            + std::to_string(explainer.sidecar().numClasses - 1) + ").");

    std::unique_ptr<EdgeDetector> edgeDetector;
    EdgeCache edgeCache;
    if (!settings.featureCam.empty())
        edgeDetector = line.edgeDetector();

    int status = kExitOk;
    std::set<std::string> usedStems;
    for (std::size_t i = 0; i < images.size(); ++i) {
        const std::string& path = images[i];
        if (images.size() > 1)
            std::cerr << "[" << i + 1 << "/" << images.size() << "] " << path << '\n';
        try {
            const cv::Mat image = loadImageRgb(path);
            const cv::Mat edges = edgeDetector ? edgeCache.edges(*edgeDetector, image, edgeMaxSide) : cv::Mat();
            const Explanation explanation = explainer.explain(image, settings, CancelToken(), edges);
            const fs::path imageDir = outDir / uniqueOutputName(path, usedStems);
            fs::create_directories(imageDir);
            writeExplanation(imageDir, path, partTheModelSees(image, explainer.sidecar(), line.resizeMode()), explainer,
                explanation, settings, style, edgeDetector ? edgeDetector->id() : "", edges);
            std::cout << imageDir.string() << ": " << explanation.predictions.front().label << " ("
                      << explanation.explainedConfidence * 100 << "%)";
            for (const auto& method : explanation.methods)
                std::cout << "; " << method.methodId << " explanation " << method.reclassified.confidence * 100 << "%";
            std::cout << '\n';
        } catch (const Error& e) {
            printError(e.userMessage());
            status = kExitBadInput;
        } catch (const fs::filesystem_error& e) {
            printError("Cannot create the output folder: " + std::string(e.what()));
            status = kExitBadInput;
        } catch (const std::exception& e) { // LibTorch or OpenCV on this image's data: this image only
            printError(path + ": the engine failed on this image: " + briefWhat(e));
            status = kExitBadInput;
        }
    }
    return status;
}

} // namespace fcs::cli
