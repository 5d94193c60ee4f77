#include "engine/model/Sidecar.h"

#include "engine/core/Error.h"
#include "engine/core/Limits.h"
#include "engine/model/LabelsFile.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fcs {
namespace {

namespace fs = std::filesystem;

class FieldReader
{
public:
    FieldReader(const QJsonObject& object, std::string path)
        : m_object(object)
        , m_path(std::move(path))
    {
    }

    [[noreturn]] void fail(const std::string& field, const std::string& what) const
    {
        throw Error(ErrorCode::BadSidecar,
            "The model sidecar \"" + m_path + "\" is invalid: field \"" + field + "\" " + what + ".");
    }

    QJsonValue require(const char* field) const
    {
        const QJsonValue value = m_object.value(QLatin1String(field));
        if (value.isUndefined())
            fail(field, "is missing");
        return value;
    }

    std::string string(const char* field) const
    {
        const QJsonValue value = require(field);
        if (!value.isString())
            fail(field, "must be a string");
        return value.toString().toStdString();
    }

    std::string optionalString(const char* field, const std::string& fallback) const
    {
        return m_object.contains(QLatin1String(field)) ? string(field) : fallback;
    }

    // Provenance fields (source, license) are free text; some exporters write an object.
    std::string text(const char* field) const
    {
        const QJsonValue value = require(field);
        if (value.isString())
            return value.toString().toStdString();
        if (value.isObject())
            return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact).toStdString();
        fail(field, "must be a string");
    }

    int positiveInt(const char* field) const
    {
        const QJsonValue value = require(field);
        const double number = value.toDouble(-1);
        // Range first: converting a double past INT_MAX to int is undefined (found by fuzzing).
        if (!value.isDouble() || !(number >= 1 && number <= 1e9) || number != std::floor(number))
            fail(field, "must be a positive whole number");
        return int(number);
    }

    std::array<float, 3> triple(const char* field, bool positive) const
    {
        const QJsonValue value = require(field);
        const QJsonArray array = value.toArray();
        if (!value.isArray() || array.size() != 3)
            fail(field, "must be a list of three numbers (R, G, B)");
        std::array<float, 3> out{};
        for (int i = 0; i < 3; ++i) {
            if (!array[i].isDouble())
                fail(field, "must be a list of three numbers (R, G, B)");
            out[std::size_t(i)] = float(array[i].toDouble());
            if (!std::isfinite(out[std::size_t(i)]))
                fail(field, "must hold finite numbers (got " + std::to_string(array[i].toDouble()) + ")");
            if (positive && !(out[std::size_t(i)] > 0))
                fail(field, "must hold positive numbers");
        }
        return out;
    }

private:
    QJsonObject m_object;
    std::string m_path;
};

std::vector<std::string> readLabels(const std::string& path, const FieldReader& fields)
{
    std::ifstream in(path);
    if (!in)
        fields.fail("labels", "names the file \"" + path + "\", which cannot be opened");
    std::ostringstream text;
    text << in.rdbuf();
    return parseLabelLines(text.str());
}

} // namespace

bool isOnnxModel(const Sidecar& sidecar)
{
    return fs::path(sidecar.modelPath).extension() == ".onnx";
}

std::string kindName(ModelKind kind)
{
    return kind == ModelKind::Edge ? "edge" : "classifier";
}

Sidecar readSidecar(const std::string& jsonPath)
{
    QFile file(QString::fromStdString(jsonPath));
    if (!file.open(QIODevice::ReadOnly))
        throw Error(ErrorCode::BadSidecar, "Cannot open the model sidecar \"" + jsonPath + "\".",
            file.errorString().toStdString());
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (document.isNull() || !document.isObject())
        throw Error(ErrorCode::BadSidecar, "The model sidecar \"" + jsonPath + "\" is not a JSON object.",
            parseError.errorString().toStdString() + " at offset " + std::to_string(parseError.offset));
    const FieldReader fields(document.object(), jsonPath);

    Sidecar sidecar;
    const fs::path json(jsonPath);
    sidecar.id = json.stem().string();
    sidecar.jsonPath = jsonPath;
    // The network beside the sidecar: `file` names it (a TorchScript .pt or an .onnx); without
    // it, NAME.pt, else NAME.onnx.
    const std::string networkFile = fields.optionalString("file", "");
    if (!networkFile.empty()) {
        const fs::path named(networkFile);
        if (named.has_parent_path() || networkFile == ".."
            || (named.extension() != ".pt" && named.extension() != ".onnx"))
            fields.fail("file", "must name a .pt or .onnx file beside the sidecar (a file name, no folder)");
        sidecar.modelPath = (json.parent_path() / named).string();
    } else {
        sidecar.modelPath = (json.parent_path() / (sidecar.id + ".pt")).string();
        const fs::path onnx = json.parent_path() / (sidecar.id + ".onnx");
        if (!fs::exists(sidecar.modelPath) && fs::exists(onnx))
            sidecar.modelPath = onnx.string();
    }

    const std::string kind = fields.optionalString("kind", "classifier");
    if (kind != "classifier" && kind != "edge")
        fields.fail("kind", "must be \"classifier\" or \"edge\"");
    sidecar.kind = kind == "edge" ? ModelKind::Edge : ModelKind::Classifier;
    sidecar.name = fields.string("name");
    sidecar.architecture = fields.string("architecture");
    const std::string colorOrder = fields.string("color_order");
    if (colorOrder != "RGB" && colorOrder != "BGR")
        fields.fail("color_order", "must be \"RGB\" or \"BGR\"");
    sidecar.bgr = colorOrder == "BGR";
    sidecar.mean = fields.triple("mean", false);
    sidecar.std = fields.triple("std", true);
    // A tiny std overflows float32 once a pixel is divided by it: the model would see inf.
    for (std::size_t c = 0; c < 3; ++c)
        for (const float pixel : {0.0f, 1.0f})
            if (!std::isfinite((pixel - sidecar.mean[c]) / sidecar.std[c]))
                fields.fail("std",
                    "is so small that a normalized pixel overflows (std "
                        + QString::number(double(sidecar.std[c])).toStdString() + ", mean "
                        + QString::number(double(sidecar.mean[c])).toStdString() + ")");
    if (sidecar.kind == ModelKind::Edge)
        return sidecar;

    const QJsonArray size = fields.require("input_size").toArray();
    if (size.size() != 2 || !size[0].isDouble() || !size[1].isDouble())
        fields.fail("input_size", "must be [height, width]");
    sidecar.inputHeight = size[0].toInt();
    sidecar.inputWidth = size[1].toInt();
    constexpr int kMinSide = 16, kMaxSide = limits::kMaxModelInputSide;
    if (sidecar.inputHeight < kMinSide || sidecar.inputWidth < kMinSide || sidecar.inputHeight > kMaxSide
        || sidecar.inputWidth > kMaxSide)
        fields.fail("input_size", "must have sides between 16 and " + std::to_string(kMaxSide) + " pixels");
    sidecar.numClasses = fields.positiveInt("num_classes");
    // An ONNX model without one gets the last spatial tensor before its pooling (OnnxNetwork.h).
    sidecar.targetLayer
        = isOnnxModel(sidecar) ? fields.optionalString("target_layer", "") : fields.string("target_layer");
    sidecar.source = fields.text("source");
    sidecar.license = fields.text("license");
    sidecar.labelsPath = (json.parent_path() / fields.string("labels")).string();
    sidecar.labels = readLabels(sidecar.labelsPath, fields);
    if (int(sidecar.labels.size()) != sidecar.numClasses)
        fields.fail("num_classes",
            "says " + std::to_string(sidecar.numClasses) + " but the labels file \"" + sidecar.labelsPath + "\" has "
                + std::to_string(sidecar.labels.size()) + " lines");
    return sidecar;
}

} // namespace fcs
