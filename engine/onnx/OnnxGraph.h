#pragma once
// An ONNX model file read into plain structures (issue 27): the nodes of its main graph in order,
// their attributes, and the initializers' bytes. Everything that can be checked without running
// the graph is checked here — a node reading a tensor nobody computes, a graph out of order (a
// loop), a tensor whose data does not match its declared size — so a bad file is refused with a
// sentence before LibTorch sees it. Torch-free (protobuf only), so that it can be fuzzed alone.

#include <cstdint>
#include <string>
#include <vector>

namespace fcs {

// ONNX TensorProto data types this importer reads (onnx.proto's numbering).
enum class OnnxType : int { Float = 1, Uint8 = 2, Int8 = 3, Int32 = 6, Int64 = 7, Bool = 9, Float16 = 10, Double = 11 };

struct OnnxTensor
{
    std::string name;
    OnnxType type = OnnxType::Float;
    std::vector<std::int64_t> dims;
    std::string bytes; // little-endian, packed, product(dims) elements
};

struct OnnxAttribute
{
    enum class Kind { Float, Int, String, Tensor, Floats, Ints, Strings, Other };
    std::string name;
    Kind kind = Kind::Other;
    float f = 0;
    std::int64_t i = 0;
    std::string s;
    OnnxTensor t;
    std::vector<float> floats;
    std::vector<std::int64_t> ints;
    std::vector<std::string> strings;
};

struct OnnxNode
{
    std::string name; // as written, or "#index" when the file gives none
    std::string opType;
    std::string domain;
    std::vector<std::string> inputs; // "" for an optional input left out
    std::vector<std::string> outputs;
    std::vector<OnnxAttribute> attributes;

    const OnnxAttribute* attribute(const std::string& attributeName) const;
    std::string describe() const; // "node \"/a/Conv\" (Conv)"
};

struct OnnxGraph
{
    std::int64_t opset = 0; // of the default domain
    std::string producer; // e.g. "pytorch 1.13.1", "tf2onnx 1.9.3"
    std::string input; // the one image input
    std::vector<std::int64_t> inputDims; // as declared; -1 where symbolic
    std::string output; // the one output (logits)
    std::vector<OnnxNode> nodes; // in an order where every input is computed before it is read
    std::vector<OnnxTensor> initializers;
};

constexpr std::int64_t kMaxOnnxFileBytes = 2'000'000'000; // protobuf's own limit; larger models use external data
constexpr std::int64_t kMaxOnnxTensorBytes = 1'000'000'000; // one initializer or constant

// Throws fcs::Error(BadModel) naming the file and what is wrong with it.
OnnxGraph readOnnxGraph(const std::string& path);
// The same from bytes (the fuzzer's entry); `path` only names the model in messages.
OnnxGraph parseOnnxGraph(const std::string& bytes, const std::string& path);

std::size_t onnxTypeSize(OnnxType type); // 0 for a type this importer does not read
std::string onnxTypeName(int type);

} // namespace fcs
