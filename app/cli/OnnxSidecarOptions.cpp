#include "OnnxSidecarOptions.h"

#include "CliSupport.h"

#include "engine/core/Error.h"
#include "engine/onnx/OnnxSetup.h"

#include <QRegularExpression>

#include <iostream>

namespace fcs::cli {
namespace {

const char* const kSetupOptions[] = {"input-size", "normalize", "color-order", "labels-file"};

std::array<float, 3> threeNumbers(const QString& text, const QString& what)
{
    const QStringList parts = text.split(',');
    std::array<float, 3> out{};
    bool ok = parts.size() == 3;
    for (int k = 0; ok && k < 3; ++k)
        out[std::size_t(k)] = parts[k].trimmed().toFloat(&ok);
    if (!ok)
        throw UsageError("--normalize: the " + what.toStdString() + " must be three numbers R,G,B (got \""
            + text.toStdString() + "\").");
    return out;
}

Normalization normalizationOption(const QString& text)
{
    if (const auto preset = normalizationPreset(text.toStdString()))
        return *preset;
    const QStringList meanAndStd = text.split('/');
    if (meanAndStd.size() != 2)
        throw UsageError("--normalize takes " + normalizationPresetList() + ", or MEAN/STD as R,G,B/R,G,B (got \""
            + text.toStdString() + "\").");
    return {"", threeNumbers(meanAndStd[0], "mean"), threeNumbers(meanAndStd[1], "std")};
}

} // namespace

QList<QCommandLineOption> onnxSidecarOptions()
{
    return {
        {"input-size", "For an .onnx without a sidecar: its input size HxW (default: the size the file declares).",
            "HxW"},
        {"normalize",
            "For an .onnx without a sidecar: " + QString::fromStdString(normalizationPresetList())
                + " (pixels to [-1, 1], Keras' \"tf\" mode; or to [0, 1]), or MEAN/STD as R,G,B/R,G,B.",
            "N"},
        {"color-order", "For an .onnx without a sidecar: RGB (default) or BGR.", "ORDER"},
        {"labels-file", "For an .onnx without a sidecar: class names, one a line (default: numbered classes).", "FILE"},
    };
}

bool anyOnnxSidecarOption(const QCommandLineParser& parser)
{
    for (const char* option : kSetupOptions)
        if (parser.isSet(option))
            return true;
    return false;
}

Sidecar onnxSidecarFromOptions(const QCommandLineParser& parser, const std::string& onnxPath)
{
    const OnnxFileFacts facts = readOnnxFileFacts(onnxPath);
    OnnxAnswers answers;
    if (parser.isSet("input-size")) {
        const auto match = QRegularExpression("^(\\d{1,4})[xX×](\\d{1,4})$").match(parser.value("input-size"));
        if (!match.hasMatch())
            throw UsageError(
                "--input-size takes HxW, e.g. 224x224 (got \"" + parser.value("input-size").toStdString() + "\").");
        answers.inputHeight = match.captured(1).toInt();
        answers.inputWidth = match.captured(2).toInt();
    }
    if (parser.isSet("normalize"))
        answers.normalization = normalizationOption(parser.value("normalize"));
    if (parser.isSet("color-order")) {
        const QString order = parser.value("color-order").toUpper();
        if (order != "RGB" && order != "BGR")
            throw UsageError("--color-order takes RGB or BGR.");
        answers.bgr = order == "BGR";
    }
    answers.labelsFile = parser.value("labels-file").toStdString();
    const auto missing = missingOnnxAnswers(facts, answers);
    if (!missing.empty()) {
        std::string say = "\"" + onnxPath
            + "\" has no sidecar (a .json beside it), so featurecam-cli must be told "
              "how the model reads an image. Missing: ";
        for (std::size_t k = 0; k < missing.size(); ++k)
            say += std::string(k ? ", " : "")
                + (missing[k] == "input size" ? "--input-size HxW" : "--normalize (" + normalizationPresetList() + ")");
        throw UsageError(say + ". Optional: --color-order RGB|BGR (default RGB), --labels-file FILE.");
    }
    Sidecar sidecar = sidecarFromAnswers(onnxPath, facts, answers);
    try {
        saveSidecar(sidecar);
        std::cerr << "featurecam-cli: saved these answers as " << sidecar.jsonPath
                  << " (next time --model needs no other option)\n";
    } catch (const Error& e) {
        std::cerr << "featurecam-cli: the answers are used for this run only: " << e.userMessage() << '\n';
    }
    return sidecar;
}

} // namespace fcs::cli
