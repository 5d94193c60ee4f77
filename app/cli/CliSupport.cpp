#include "CliSupport.h"

#include "OnnxSidecarOptions.h"

#include "engine/catalog/EdgeCatalog.h"
#include "engine/catalog/Locations.h"
#include "engine/catalog/MethodCatalog.h"
#include "engine/catalog/ModelPreferences.h"
#include "engine/core/Error.h"
#include "engine/core/Limits.h"
#include "engine/core/Threads.h"
#include "engine/io/ImageLoader.h"
#include "engine/model/ModelCatalog.h"

#include <QJsonDocument>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>

namespace fcs::cli {
namespace {

namespace fs = std::filesystem;

std::string joined(const std::vector<std::string>& items, const std::string& lastSeparator)
{
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i == 0 ? "" : i + 1 == items.size() ? lastSeparator : ", ") + items[i];
    return out;
}

QString number(double value)
{
    return QString::number(value, 'g', 6);
}

} // namespace

CommandLine::CommandLine(const QString& command, const QString& arguments, const QString& description)
    : m_command(command)
{
    m_parser.setApplicationDescription(description);
    m_parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    m_parser.addHelpOption();
    m_parser.addPositionalArgument(arguments, QString(), arguments);
}

void CommandLine::addModelOptions()
{
    m_parser.addOptions({
        {"models", "Search DIR for models (repeatable; before FEATURECAM_MODEL_PATH).", "DIR"},
        {"model", "The classifier: a name from `featurecam-cli models`, or the path of a .pt or .onnx file.", "NAME"},
        {"center-crop", "Resize the shorter side and crop the centre instead of a plain resize."},
        {"threads", "LibTorch compute threads (default: one per CPU core).", "N"},
    });
}

void CommandLine::addFeatureCamOptions()
{
    m_parser.addOptions({
        {"edges",
            "Edge detector for Feature CAM: an edge model name (pidinet, pidinet_tiny), canny or sobel, or "
            "hed (default pidinet_tiny, else pidinet, if found; else sobel).",
            "E"},
        {"k",
            "Feature CAM: weight of the perturbed input in X1 = k*P + M, 0..0.5 (default "
                + number(defaults::kFeatureCamK) + ").",
            "K"},
        {"edge-max-side",
            "Shrink images whose longer side exceeds this before edge detection (default "
                + QString::number(defaults::kEdgeMaxSide) + ").",
            "PX"},
        {"hed-prototxt", "HED's deploy.prototxt (for --edges hed).", "FILE"},
        {"hed-weights", "HED's hed_pretrained_bsds.caffemodel (for --edges hed).", "FILE"},
    });
}

void CommandLine::addMethodOptions(
    const std::vector<std::string>& offered, const std::vector<std::string>& defaultMethods)
{
    m_offeredMethods = offered;
    const std::string defaults = defaultMethods.size() == offered.size() && defaultMethods.size() > 1
        ? "all " + std::to_string(offered.size())
        : joined(defaultMethods, " and ");
    m_parser.addOptions({
        {"method",
            QString::fromStdString(
                joined(offered, " or ") + " (repeatable or comma-separated; default " + defaults + ")."),
            "M"},
        {"keep",
            "Share of the most salient pixels the mask keeps, in percent (default " + number(defaults::kKeepPercent)
                + ").",
            "PCT"},
        {"samples",
            "Smooth Grad-CAM++: number of noisy copies n (default " + QString::number(defaults::kSmoothSamples) + ").",
            "N"},
        {"sigma",
            "Smooth Grad-CAM++: noise as a share of the input's range (default " + number(defaults::kSmoothSigma)
                + ").",
            "S"},
    });
}

void CommandLine::readMethodSettings(ExplainSettings& settings) const
{
    if (isSet("method"))
        settings.methods.clear();
    for (const QString& value : values("method")) {
        const std::string id = value.toStdString();
        // A catalogue method the command does not offer (CAM for evaluate) passes here: the
        // command's own engine check says why it is refused, in one place.
        const bool offered = std::find(m_offeredMethods.begin(), m_offeredMethods.end(), id) != m_offeredMethods.end();
        if (!offered && !findMethod(id))
            throw UsageError("unknown --method \"" + id + "\"; use " + joined(m_offeredMethods, " or ") + ".");
        settings.methods.push_back(id);
    }
    settings.keepPercent = doubleValue("keep", settings.keepPercent, 0.001, 100);
    settings.smooth.samples = intValue("samples", settings.smooth.samples, 1, limits::kMaxSmoothSamples);
    settings.smooth.sigma = doubleValue("sigma", settings.smooth.sigma, 0, 10);
    if (m_parser.optionNames().contains("k"))
        settings.k = doubleValue("k", settings.k, 0, kMaxFeatureCamK);
}

std::vector<FeatureCamVariant> CommandLine::featureCamVariants(const std::vector<FeatureCamVariant>& fallback) const
{
    if (!isSet("feature-cam"))
        return fallback;
    const QString set = value("feature-cam");
    if (set == "top5")
        return topFiveFeatureCamVariants();
    if (set == "all")
        return allFeatureCamVariants();
    if (set == "none")
        return {};
    throw UsageError("--feature-cam takes top5, all or none; got \"" + set.toStdString() + "\".");
}

int CommandLine::edgeMaxSide() const
{
    return intValue("edge-max-side", defaults::kEdgeMaxSide, 8, limits::kMaxEdgeSide);
}

std::unique_ptr<EdgeDetector> CommandLine::edgeDetector(bool quiet) const
{
    EdgeOptions options = edgeOptionsFor(modelDirs()); // HED's files from the models path, unless given
    if (isSet("hed-prototxt") || isSet("hed-weights")) {
        options.hedPrototxt = value("hed-prototxt").toStdString();
        options.hedWeights = value("hed-weights").toStdString();
    }
    if (isSet("edges"))
        return makeEdgeDetector(value("edges").toStdString(), options);
    bool fellBack = false;
    auto detector = preferredEdgeDetector(options, &fellBack);
    if (fellBack && !quiet)
        std::cerr << "featurecam-cli: no PiDiNet edge model on the models path; Feature CAM uses Sobel edges "
                     "(choose with --edges).\n";
    return detector;
}

bool CommandLine::parse(const QStringList& arguments)
{
    QStringList full = arguments;
    full.prepend("featurecam-cli " + m_command);
    if (!m_parser.parse(full))
        throw UsageError(m_parser.errorText().toStdString());
    if (m_parser.isSet("help")) {
        std::cout << m_parser.helpText().toStdString();
        return false;
    }
    return true;
}

QStringList CommandLine::values(const QString& name) const
{
    QStringList out;
    for (const QString& value : m_parser.values(name))
        for (const QString& part : value.split(',', Qt::SkipEmptyParts))
            out << part.trimmed();
    return out;
}

int CommandLine::intValue(const QString& name, int fallback, int min, int max) const
{
    if (!m_parser.isSet(name))
        return fallback;
    bool ok = false;
    const int number = m_parser.value(name).toInt(&ok);
    if (!ok || number < min || number > max)
        throw UsageError("--" + name.toStdString() + " must be a whole number from " + std::to_string(min) + " to "
            + std::to_string(max) + "; got \"" + m_parser.value(name).toStdString() + "\".");
    return number;
}

double CommandLine::doubleValue(const QString& name, double fallback, double min, double max) const
{
    if (!m_parser.isSet(name))
        return fallback;
    bool ok = false;
    const double number = m_parser.value(name).toDouble(&ok);
    if (!ok || !(number >= min && number <= max))
        throw UsageError("--" + name.toStdString() + " must be a number from " + QString::number(min).toStdString()
            + " to " + QString::number(max).toStdString() + "; got \"" + m_parser.value(name).toStdString() + "\".");
    return number;
}

std::vector<std::string> CommandLine::modelDirs() const
{
    std::vector<std::string> explicitDirs;
    for (const QString& dir : m_parser.values("models"))
        explicitDirs.push_back(dir.toStdString());
    return appModelDirs(explicitDirs);
}

void CommandLine::addOnnxSidecarOptions()
{
    m_parser.addOptions(onnxSidecarOptions());
    m_onnxSidecarOptions = true;
}

Sidecar CommandLine::classifier() const
{
    if (m_classifier)
        return *m_classifier;
    const auto dirs = modelDirs();
    if (m_parser.isSet("model")) {
        const std::string given = m_parser.value("model").toStdString();
        const fs::path path(given);
        if (m_onnxSidecarOptions && path.extension() == ".onnx" && fs::is_regular_file(path)
            && !fs::exists(fs::path(path).replace_extension(".json")))
            return *(m_classifier = onnxSidecarFromOptions(m_parser, given));
        if (m_onnxSidecarOptions && anyOnnxSidecarOption(m_parser))
            throw UsageError("--input-size, --normalize, --color-order and --labels-file describe an .onnx model "
                             "that has no sidecar; \""
                + given
                + "\" is not one (its sidecar says all this: edit it "
                  "to change it).");
        return *(m_classifier = findModel(dirs, given));
    }
    const auto entries = scanModels(dirs);
    const CatalogEntry* chosen = preferredClassifier(entries);
    if (!chosen)
        throw Error(ErrorCode::ModelNotFound,
            "No classifier was found: give --models DIR or set FEATURECAM_MODEL_PATH to a folder of "
            "CAM-ready models (see models/README.md).");
    return chosen->sidecar;
}

std::unique_ptr<Explainer> CommandLine::loadExplainer() const
{
    const Sidecar asRead = classifier();
    auto explainer = std::make_unique<Explainer>(asRead, resizeMode());
    if (isOnnxModel(asRead) && asRead.targetLayer.empty())
        std::cerr << "featurecam-cli: " << asRead.id << ": explaining the tensor \"" << explainer->sidecar().targetLayer
                  << "\", the last spatial map every path to the output passes through (name another as "
                     "target_layer in "
                  << asRead.jsonPath << ")\n";
    return explainer;
}

ResizeMode CommandLine::resizeMode() const
{
    return m_parser.isSet("center-crop") ? ResizeMode::CenterCrop : ResizeMode::Plain;
}

void CommandLine::applyThreads() const
{
    setComputeThreads(intValue("threads", 0, 1, 256));
}

std::vector<std::string> expandImages(const QStringList& arguments)
{
    std::vector<std::string> images;
    for (const QString& argument : arguments) {
        const fs::path path(argument.toStdString());
        std::error_code ec;
        if (!fs::is_directory(path, ec)) {
            images.push_back(path.string()); // missing files are reported, per image, by the loader
            continue;
        }
        std::vector<std::string> inFolder;
        for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec))
            if (it->is_regular_file() && hasImageExtension(it->path().string()))
                inFolder.push_back(it->path().string());
        std::sort(inFolder.begin(), inFolder.end());
        images.insert(images.end(), inFolder.begin(), inFolder.end());
    }
    if (images.empty())
        throw UsageError("no image given (the folders given hold no JPEG, PNG, BMP, TIFF, WebP or PNM file).");
    return images;
}

void printJsonLine(const QJsonObject& object)
{
    std::cout << QJsonDocument(object).toJson(QJsonDocument::Compact).toStdString() << '\n' << std::flush;
}

void printError(const std::string& message)
{
    std::cerr << "featurecam-cli: " << message << '\n';
}

} // namespace fcs::cli
