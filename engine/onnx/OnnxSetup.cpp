#include "engine/onnx/OnnxSetup.h"

#include "engine/core/Error.h"
#include "engine/io/AtomicFile.h"
#include "engine/io/WholeFile.h"
#include "engine/model/LabelsFile.h"
#include "engine/onnx/OnnxGraph.h"
#include "engine/onnx/OnnxNetwork.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <torch/torch.h>

#include <filesystem>

namespace fcs {
namespace {

namespace fs = std::filesystem;

QJsonArray triple(const std::array<float, 3>& values)
{
    return {double(values[0]), double(values[1]), double(values[2])};
}

} // namespace

const std::vector<Normalization>& normalizationPresets()
{
    static const std::vector<Normalization> presets = {
        {"imagenet", {0.485f, 0.456f, 0.406f}, {0.229f, 0.224f, 0.225f}}, // torchvision, Keras "torch" mode
        {"minus-one-to-one", {0.5f, 0.5f, 0.5f}, {0.5f, 0.5f, 0.5f}}, // Keras "tf" mode (MobileNet, Inception)
        {"zero-to-one", {0, 0, 0}, {1, 1, 1}}, // pixels / 255
    };
    return presets;
}

std::optional<Normalization> normalizationPreset(const std::string& name)
{
    for (const auto& preset : normalizationPresets())
        if (preset.preset == name)
            return preset;
    return std::nullopt;
}

std::string normalizationPresetList()
{
    std::string list;
    for (const auto& preset : normalizationPresets())
        list += (list.empty() ? "" : ", ") + preset.preset;
    return list;
}

OnnxFileFacts readOnnxFileFacts(const std::string& onnxPath)
{
    const OnnxGraph graph = readOnnxGraph(onnxPath);
    OnnxFileFacts facts;
    facts.producer = graph.producer;
    facts.opset = graph.opset;
    if (graph.inputDims.size() == 4 && graph.inputDims[2] > 0 && graph.inputDims[3] > 0 && graph.inputDims[2] <= 4096
        && graph.inputDims[3] <= 4096) {
        facts.declaredHeight = int(graph.inputDims[2]);
        facts.declaredWidth = int(graph.inputDims[3]);
    }
    return facts;
}

std::vector<std::string> missingOnnxAnswers(const OnnxFileFacts& facts, const OnnxAnswers& answers)
{
    std::vector<std::string> missing;
    if (answers.inputHeight <= 0 && facts.declaredHeight <= 0)
        missing.push_back("input size");
    if (!answers.normalization)
        missing.push_back("normalization");
    return missing;
}

Sidecar sidecarFromAnswers(const std::string& onnxPath, const OnnxFileFacts& facts, const OnnxAnswers& answers)
{
    const auto missing = missingOnnxAnswers(facts, answers);
    if (!missing.empty()) {
        std::string list;
        for (const auto& item : missing)
            list += (list.empty() ? "" : " and ") + item;
        throw Error(ErrorCode::InvalidArgument,
            "The ONNX model \"" + onnxPath + "\" has no sidecar, and its " + list
                + (missing.size() > 1 ? " are" : " is") + " not given.");
    }
    const fs::path onnx(onnxPath);
    Sidecar sidecar;
    sidecar.id = onnx.stem().string();
    sidecar.jsonPath = fs::path(onnx).replace_extension(".json").string();
    sidecar.modelPath = onnxPath;
    sidecar.name = sidecar.id;
    sidecar.architecture = facts.producer.empty() ? "ONNX" : "ONNX from " + facts.producer;
    sidecar.inputHeight = answers.inputHeight > 0 ? answers.inputHeight : facts.declaredHeight;
    sidecar.inputWidth = answers.inputWidth > 0 ? answers.inputWidth : facts.declaredWidth;
    if (sidecar.inputHeight < 16 || sidecar.inputWidth < 16 || sidecar.inputHeight > 4096 || sidecar.inputWidth > 4096)
        throw Error(ErrorCode::InvalidArgument,
            "An input size of " + std::to_string(sidecar.inputHeight) + "×" + std::to_string(sidecar.inputWidth)
                + " is out of range (16 to 4096 pixels a side).");
    sidecar.bgr = answers.bgr;
    sidecar.mean = answers.normalization->mean;
    sidecar.std = answers.normalization->std;
    for (const float s : sidecar.std)
        if (!(s > 0))
            throw Error(ErrorCode::InvalidArgument, "The normalization's std must be positive.");
    sidecar.source = fs::absolute(onnx).string();
    sidecar.license = "unknown (the user's model)";

    // The logits' width, from one probe run (which also refuses a graph the importer cannot run).
    std::int64_t classes = 0;
    {
        const auto network = OnnxNetwork::load(onnxPath, "", sidecar.inputHeight, sidecar.inputWidth);
        torch::NoGradGuard noGrad;
        const torch::Tensor logits = network->forward(torch::zeros({1, 3, sidecar.inputHeight, sidecar.inputWidth}));
        if (logits.dim() != 2 || logits.size(0) != 1)
            throw Error(ErrorCode::ContractMismatch,
                "The ONNX model \"" + onnxPath + "\" gives an output of shape " + c10::str(logits.sizes())
                    + ", not logits [N, classes]: is it a classifier?");
        classes = logits.size(1);
    }
    sidecar.numClasses = int(classes);
    sidecar.labelsPath = (onnx.parent_path() / (sidecar.id + "_labels.txt")).string();
    if (answers.labelsFile.empty()) {
        for (std::int64_t k = 0; k < classes; ++k)
            sidecar.labels.push_back("class " + std::to_string(k));
    } else {
        std::string whyNot;
        const auto text = readWholeFile(answers.labelsFile, &whyNot);
        if (!text)
            throw Error(
                ErrorCode::ReadFailed, "Cannot read the labels file \"" + answers.labelsFile + "\": " + whyNot + ".");
        sidecar.labels = parseLabelLines(*text);
        if (std::int64_t(sidecar.labels.size()) != classes)
            throw Error(ErrorCode::BadData,
                "The labels file \"" + answers.labelsFile + "\" has " + std::to_string(sidecar.labels.size())
                    + " lines, but the model gives " + std::to_string(classes)
                    + " classes: one class name a line, in the model's output order.");
    }
    return sidecar;
}

void saveSidecar(const Sidecar& sidecar)
{
    if (fs::exists(sidecar.jsonPath))
        throw Error(ErrorCode::WriteFailed, "\"" + sidecar.jsonPath + "\" exists already; it is not overwritten.");
    std::string labels;
    for (const auto& label : sidecar.labels)
        labels += label + "\n";
    QJsonObject json{
        {"name", QString::fromStdString(sidecar.name)},
        {"architecture", QString::fromStdString(sidecar.architecture)},
        {"file", QString::fromStdString(fs::path(sidecar.modelPath).filename().string())},
        {"input_size", QJsonArray{sidecar.inputHeight, sidecar.inputWidth}},
        {"color_order", sidecar.bgr ? "BGR" : "RGB"},
        {"mean", triple(sidecar.mean)},
        {"std", triple(sidecar.std)},
        {"labels", QString::fromStdString(fs::path(sidecar.labelsPath).filename().string())},
        {"num_classes", sidecar.numClasses},
        {"source", QString::fromStdString(sidecar.source)},
        {"license", QString::fromStdString(sidecar.license)},
        {"kind", "classifier"},
    };
    if (!sidecar.targetLayer.empty())
        json.insert("target_layer", QString::fromStdString(sidecar.targetLayer));
    writeFileAtomically(sidecar.labelsPath, labels);
    writeFileAtomically(sidecar.jsonPath, QJsonDocument(json).toJson().toStdString());
}

OnnxLayers explainableOnnxLayers(const Sidecar& sidecar)
{
    const auto network = OnnxNetwork::load(sidecar.modelPath, "", sidecar.inputHeight, sidecar.inputWidth);
    OnnxLayers out;
    out.chosen = network->target();
    for (const auto& tensor : network->spatialTensors())
        if (network->canExplain(tensor.name))
            out.layers.push_back({tensor.name, tensor.shape});
    return out;
}

void saveTargetLayer(const std::string& sidecarPath, const std::string& layer)
{
    std::string whyNot;
    const auto text = readWholeFile(sidecarPath, &whyNot);
    if (!text)
        throw Error(ErrorCode::ReadFailed, "Cannot read the sidecar \"" + sidecarPath + "\": " + whyNot + ".");
    QJsonParseError parseError{};
    QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromStdString(*text), &parseError);
    if (!document.isObject())
        throw Error(ErrorCode::BadSidecar, "The sidecar \"" + sidecarPath + "\" is not a JSON object.");
    QJsonObject json = document.object();
    json.insert("target_layer", QString::fromStdString(layer));
    writeFileAtomically(sidecarPath, QJsonDocument(json).toJson().toStdString());
}

} // namespace fcs
