#pragma once
// An ONNX file that came without a sidecar (issue 27, item 3): what the file itself says (its
// declared input size), what the user must answer (normalization, colour order, labels), the
// sidecar those answers make, and the graph's layers a CAM can explain. Torch-free header: the
// window's dialog and the CLI use it; the layers come from a probe run in the engine.

#include "engine/model/Sidecar.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fcs {

// How pixels become the network's input: x = (pixel/255 - mean) / std.
struct Normalization
{
    std::string preset; // "imagenet", "minus-one-to-one", "zero-to-one", or "" for custom
    std::array<float, 3> mean{};
    std::array<float, 3> std{};
};
const std::vector<Normalization>& normalizationPresets();
std::optional<Normalization> normalizationPreset(const std::string& name);
std::string normalizationPresetList(); // "imagenet, minus-one-to-one, zero-to-one"

struct OnnxAnswers
{
    int inputHeight = 0, inputWidth = 0; // 0: not answered
    bool bgr = false;
    std::optional<Normalization> normalization;
    std::string labelsFile; // "" for numbered classes ("class 0", …)
};

struct OnnxFileFacts
{
    int declaredHeight = 0, declaredWidth = 0; // 0 where the file leaves the size open
    std::string producer;
    std::int64_t opset = 0;
};
// Reads the file's header and graph (no LibTorch). Throws fcs::Error(BadModel) for a bad file.
OnnxFileFacts readOnnxFileFacts(const std::string& onnxPath);

// What is still missing from `answers` for this file, as option-like words ("input size",
// "normalization"); empty when the answers suffice (the size may come from the file).
std::vector<std::string> missingOnnxAnswers(const OnnxFileFacts& facts, const OnnxAnswers& answers);

// The sidecar the answers make for NAME.onnx (its path NAME.json beside it; labels read, or
// numbered to the logits' width, which a probe run learns). Throws fcs::Error with the reason.
Sidecar sidecarFromAnswers(const std::string& onnxPath, const OnnxFileFacts& facts, const OnnxAnswers& answers);

// Writes `sidecar` as NAME.json, and its labels as NAME_labels.txt, beside the .onnx (atomic
// files; an existing sidecar is never overwritten). Throws fcs::Error(WriteFailed) with the reason.
void saveSidecar(const Sidecar& sidecar);

// The spatial tensors [1, K, h, w] of the graph a CAM can explain (every path to the output
// passes through them), in graph order, and the importer's own choice.
struct OnnxLayer
{
    std::string name;
    std::vector<std::int64_t> shape;
};
struct OnnxLayers
{
    std::vector<OnnxLayer> layers;
    std::string chosen; // the last of them: the importer's pick without target_layer
};
OnnxLayers explainableOnnxLayers(const Sidecar& sidecar);

// Rewrites the sidecar's target_layer (the window's layer picker), keeping its other fields.
void saveTargetLayer(const std::string& sidecarPath, const std::string& layer);

} // namespace fcs
