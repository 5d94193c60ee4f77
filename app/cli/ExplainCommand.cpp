#include "CliSupport.h"
#include "Commands.h"
#include "core/Error.h"
#include "core/Limits.h"
#include "edges/EdgeCache.h"
#include "edges/EdgeDetector.h"
#include "explain/Explainer.h"
#include "io/AtomicFile.h"
#include "io/ImageLoader.h"
#include "io/OutputName.h"
#include "render/Colormap.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <filesystem>
#include <iostream>
#include <set>

namespace fcs::cli {
namespace {

namespace fs = std::filesystem;

struct OutputStyle
{
    Colormap colormap = Colormap::Jet;
    double opacity = 0.5;
};

QJsonObject classJson(const Explainer& explainer, int classIndex)
{
    return {{"class_index", classIndex}, {"label", QString::fromStdString(explainer.label(classIndex))}};
}

// The four files of one map: saliency.png, map16.png, mask.png, explanation.png; and its entry of result.json.
QJsonObject writeMapFiles(const fs::path& dir, const cv::Mat& input, const cv::Mat& map, const cv::Mat& mask,
    const cv::Mat& explanation, const Reclassification& reclassified, const Explainer& explainer,
    const OutputStyle& style)
{
    fs::create_directories(dir);
    writePngAtomically((dir / "saliency.png").string(), overlay(input, map, style.colormap, style.opacity));
    writePngAtomically((dir / "map16.png").string(), toSixteenBit(map));
    writePngAtomically((dir / "mask.png").string(), mask);
    writePngAtomically((dir / "explanation.png").string(), explanation);
    return {
        {"explanation_top1", classJson(explainer, reclassified.top1)},
        {"explanation_confidence", reclassified.confidence},
        {"kept_pixels_percent", 100.0 * cv::countNonZero(mask) / double(mask.total())},
    };
}

// DIR/<stem>/<method>/{saliency,map16,mask,explanation}.png, the same under
// <method>/featurecam/<variant>/, DIR/<stem>/edges16.png and DIR/<stem>/result.json.
void writeExplanation(const fs::path& imageDir, const std::string& imagePath, const Explainer& explainer,
    const Explanation& explanation, const ExplainSettings& settings, const OutputStyle& style,
    const std::string& edgeDetector, const cv::Mat& edges)
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
        QJsonObject entry = writeMapFiles(
            dir, explanation.input, method.map, method.mask, method.explanation, method.reclassified, explainer, style);
        entry["seconds"] = method.seconds;
        QJsonObject variants;
        for (const auto& variant : method.featureCam)
            variants[QString::fromStdString(variant.variant.name())]
                = writeMapFiles(dir / "featurecam" / variant.variant.name(), explanation.input, variant.map,
                    variant.mask, variant.explanation, variant.reclassified, explainer, style);
        if (!method.featureCam.empty())
            entry["featurecam"] = variants;
        methods[QString::fromStdString(method.methodId)] = entry;
    }
    QJsonObject result{
        {"image", QString::fromStdString(imagePath)},
        {"model", QString::fromStdString(explainer.sidecar().id)},
        {"input_size", QJsonArray{explainer.sidecar().inputHeight, explainer.sidecar().inputWidth}},
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
    line.parser().addOptions({
        {"method", "gradcam, gradcampp, smoothgradcampp or cam (repeatable or comma-separated; default gradcam).", "M"},
        {"class", "Explain this class index instead of the top-1 prediction.", "INDEX"},
        {"keep", "Share of the most salient pixels the mask keeps, in percent (default 80).", "PCT"},
        {"out", "Output folder (default featurecam-out).", "DIR"},
        {"colormap", "jet (default), viridis, inferno or gray, for saliency.png.", "NAME"},
        {"opacity", "Opacity of the colormap over the image in saliency.png, 0..1 (default 0.5).", "A"},
        {"samples", "Smooth Grad-CAM++: number of noisy copies n (default 25).", "N"},
        {"sigma", "Smooth Grad-CAM++: noise as a share of the input's range (default 0.15).", "S"},
        {"seed", "Smooth Grad-CAM++: random seed (default 0).", "S"},
        {"top", "How many predictions result.json lists (default 5).", "K"},
        {"feature-cam", "Also the Feature CAM variants: top5 (the paper's five) or all (nine).", "SET"},
    });
    line.addFeatureCamOptions();
    if (!line.parse(arguments))
        return kExitOk;

    ExplainSettings settings;
    if (line.isSet("method"))
        settings.methods.clear();
    for (const QString& id : line.values("method")) {
        if (!findCamMethod(id.toStdString()))
            throw UsageError(
                "unknown --method \"" + id.toStdString() + "\"; use gradcam, gradcampp, smoothgradcampp or cam.");
        settings.methods.push_back(id.toStdString());
    }
    if (line.isSet("class"))
        settings.targetClass = line.intValue("class", 0, 0, 1'000'000);
    settings.keepPercent = line.doubleValue("keep", 80, 0.001, 100);
    settings.topK = line.intValue("top", 5, 1, 100000);
    settings.smooth.samples = line.intValue("samples", 25, 1, limits::kMaxSmoothSamples);
    settings.smooth.sigma = line.doubleValue("sigma", 0.15, 0, 10);
    settings.smooth.seed = std::uint64_t(line.intValue("seed", 0, 0, 2'000'000'000));
    OutputStyle style;
    try {
        style.colormap
            = colormapFromName(line.value("colormap").isEmpty() ? "jet" : line.value("colormap").toStdString());
    } catch (const Error& e) {
        throw UsageError(e.userMessage());
    }
    style.opacity = line.doubleValue("opacity", 0.5, 0, 1);
    settings.featureCam = line.featureCamVariants({});
    settings.k = line.doubleValue("k", kDefaultFeatureCamK, 0, 0.5);
    const int edgeMaxSide = line.edgeMaxSide();
    const fs::path outDir(line.isSet("out") ? line.value("out").toStdString() : "featurecam-out");
    const auto images = expandImages(line.parser().positionalArguments());

    line.applyThreads();
    Explainer explainer(line.classifier(), line.resizeMode());
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
            writeExplanation(
                imageDir, path, explainer, explanation, settings, style, edgeDetector ? edgeDetector->id() : "", edges);
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
