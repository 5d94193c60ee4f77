#pragma once
// The JSON sidecar of a model (models/README.md, the model format), read and validated.
// Torch-free so that the CLI and the GUI can list models without loading them. Any thread.

#include <array>
#include <string>
#include <vector>

namespace fcs {

enum class ModelKind { Classifier, Edge };

struct Sidecar
{
    std::string id; // file stem, e.g. "mobilenet_v2_1.0_224": what --model takes
    std::string jsonPath;
    std::string modelPath; // the network beside the sidecar: a TorchScript .pt or an .onnx
    ModelKind kind = ModelKind::Classifier;
    std::string name;
    std::string architecture;
    int inputHeight = 0; // 0 for edge models, which take any size
    int inputWidth = 0;
    bool bgr = false; // color_order "BGR"; "RGB" otherwise
    std::array<float, 3> mean{};
    std::array<float, 3> std{};
    std::string labelsPath;
    std::vector<std::string> labels;
    int numClasses = 0;
    std::string targetLayer; // for ONNX: a tensor's name, or "" to let the importer choose
    std::string source;
    std::string license;
};

// Reads NAME.json and, for a classifier, its labels file. Throws fcs::Error(BadSidecar) naming
// the file and the field at fault.
Sidecar readSidecar(const std::string& jsonPath);

std::string kindName(ModelKind kind);

// The network is an ONNX file (engine/onnx), not a TorchScript archive.
bool isOnnxModel(const Sidecar& sidecar);

} // namespace fcs
