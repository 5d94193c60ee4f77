#include "engine/onnx/OnnxGraph.h"

#include "engine/core/Error.h"
#include "engine/io/WholeFile.h"

#include <onnx/onnx_pb.h>

#include <cstring>
#include <limits>
#include <map>
#include <set>

namespace fcs {
namespace {

constexpr std::int64_t kOldestOpset = 11; // Clip with inputs, Pad with inputs, Resize's modes
constexpr std::int64_t kNewestOpset = 18;

[[noreturn]] void refuse(const std::string& path, const std::string& why)
{
    throw Error(ErrorCode::BadModel, "The ONNX model \"" + path + "\" cannot be used: " + why);
}

OnnxTensor readTensor(const onnx::TensorProto& proto, const std::string& path, const std::string& where)
{
    OnnxTensor tensor;
    tensor.name = proto.name();
    const std::string what = where + " \"" + proto.name() + "\"";
    if (proto.data_location() == onnx::TensorProto::EXTERNAL || proto.external_data_size() > 0)
        refuse(path,
            what
                + " keeps its data in a separate file (ONNX external data), which this importer does not "
                  "read. Save the model as one file: onnx.save(model, \"model.onnx\").");
    tensor.type = OnnxType(proto.data_type());
    const std::size_t elementSize = onnxTypeSize(tensor.type);
    if (elementSize == 0)
        refuse(path, what + " is of type " + onnxTypeName(proto.data_type()) + ", which this importer does not read.");
    std::int64_t count = 1;
    for (const std::int64_t dim : proto.dims()) {
        if (dim < 0)
            refuse(path, what + " declares a negative dimension (" + std::to_string(dim) + ").");
        if (dim > 0 && count > kMaxOnnxTensorBytes / std::int64_t(elementSize) / dim)
            refuse(path,
                what + " declares more than " + std::to_string(kMaxOnnxTensorBytes / 1'000'000)
                    + " MB of data; a classifier's tensors are far smaller (a damaged or hostile file).");
        count *= dim;
        tensor.dims.push_back(dim);
    }
    const std::size_t bytes = std::size_t(count) * elementSize;
    const auto mismatch = [&](std::size_t held) {
        refuse(path,
            what + " declares " + std::to_string(count) + " elements (" + std::to_string(bytes) + " bytes) but holds "
                + std::to_string(held) + " bytes (a truncated or damaged file).");
    };
    if (proto.has_raw_data()) {
        if (proto.raw_data().size() != bytes)
            mismatch(proto.raw_data().size());
        tensor.bytes = proto.raw_data();
        return tensor;
    }
    tensor.bytes.resize(bytes);
    const auto copy = [&](const auto& values, auto cast) {
        if (std::size_t(values.size()) != std::size_t(count))
            mismatch(std::size_t(values.size()) * elementSize);
        for (std::int64_t k = 0; k < count; ++k) {
            const auto value = cast(values.Get(int(k)));
            std::memcpy(tensor.bytes.data() + std::size_t(k) * elementSize, &value, elementSize);
        }
    };
    switch (tensor.type) {
    case OnnxType::Float:
        copy(proto.float_data(), [](float v) { return v; });
        break;
    case OnnxType::Double:
        copy(proto.double_data(), [](double v) { return v; });
        break;
    case OnnxType::Int64:
        copy(proto.int64_data(), [](std::int64_t v) { return v; });
        break;
    case OnnxType::Int32:
        copy(proto.int32_data(), [](std::int32_t v) { return v; });
        break;
    case OnnxType::Float16:
        copy(proto.int32_data(), [](std::int32_t v) { return std::uint16_t(v); });
        break;
    case OnnxType::Uint8:
    case OnnxType::Bool:
        copy(proto.int32_data(), [](std::int32_t v) { return std::uint8_t(v); });
        break;
    case OnnxType::Int8:
        copy(proto.int32_data(), [](std::int32_t v) { return std::int8_t(v); });
        break;
    }
    return tensor;
}

OnnxAttribute readAttribute(const onnx::AttributeProto& proto, const std::string& path, const std::string& node)
{
    OnnxAttribute a;
    a.name = proto.name();
    switch (proto.type()) {
    case onnx::AttributeProto::FLOAT:
        a.kind = OnnxAttribute::Kind::Float;
        a.f = proto.f();
        break;
    case onnx::AttributeProto::INT:
        a.kind = OnnxAttribute::Kind::Int;
        a.i = proto.i();
        break;
    case onnx::AttributeProto::STRING:
        a.kind = OnnxAttribute::Kind::String;
        a.s = proto.s();
        break;
    case onnx::AttributeProto::TENSOR:
        a.kind = OnnxAttribute::Kind::Tensor;
        a.t = readTensor(proto.t(), path, "the attribute " + proto.name() + " of " + node);
        break;
    case onnx::AttributeProto::FLOATS:
        a.kind = OnnxAttribute::Kind::Floats;
        a.floats.assign(proto.floats().begin(), proto.floats().end());
        break;
    case onnx::AttributeProto::INTS:
        a.kind = OnnxAttribute::Kind::Ints;
        a.ints.assign(proto.ints().begin(), proto.ints().end());
        break;
    case onnx::AttributeProto::STRINGS:
        a.kind = OnnxAttribute::Kind::Strings;
        a.strings.assign(proto.strings().begin(), proto.strings().end());
        break;
    default:
        a.kind = OnnxAttribute::Kind::Other; // graphs, sparse tensors: no supported operator takes them
    }
    return a;
}

std::vector<std::int64_t> declaredDims(const onnx::ValueInfoProto& value)
{
    std::vector<std::int64_t> dims;
    for (const auto& dim : value.type().tensor_type().shape().dim())
        dims.push_back(dim.has_dim_value() ? dim.dim_value() : -1);
    return dims;
}

} // namespace

const OnnxAttribute* OnnxNode::attribute(const std::string& attributeName) const
{
    for (const auto& a : attributes)
        if (a.name == attributeName)
            return &a;
    return nullptr;
}

std::string OnnxNode::describe() const
{
    return "node \"" + name + "\" (" + opType + ")";
}

std::size_t onnxTypeSize(OnnxType type)
{
    switch (type) {
    case OnnxType::Float:
    case OnnxType::Int32:
        return 4;
    case OnnxType::Int64:
    case OnnxType::Double:
        return 8;
    case OnnxType::Float16:
        return 2;
    case OnnxType::Uint8:
    case OnnxType::Int8:
    case OnnxType::Bool:
        return 1;
    }
    return 0;
}

std::string onnxTypeName(int type)
{
    return onnx::TensorProto::DataType_IsValid(type)
        ? onnx::TensorProto::DataType_Name(onnx::TensorProto::DataType(type))
        : "number " + std::to_string(type);
}

OnnxGraph readOnnxGraph(const std::string& path)
{
    std::string whyNot;
    const auto bytes = readWholeFile(path, &whyNot);
    if (!bytes)
        throw Error(ErrorCode::ModelNotFound, "Cannot read the ONNX model \"" + path + "\": " + whyNot + ".");
    return parseOnnxGraph(*bytes, path);
}

OnnxGraph parseOnnxGraph(const std::string& bytes, const std::string& path)
{
    if (std::int64_t(bytes.size()) > kMaxOnnxFileBytes)
        refuse(path,
            "it is larger than 2 GB; save its weights as ONNX external data… which this importer does "
            "not read either — such a model is too large for a laptop's CAM.");
    onnx::ModelProto model;
    if (bytes.empty() || !model.ParseFromString(bytes) || !model.has_graph())
        refuse(path, "it is not an ONNX model (the file is damaged, truncated or of another format).");

    OnnxGraph graph;
    graph.producer = model.producer_name() + (model.producer_version().empty() ? "" : " " + model.producer_version());
    for (const auto& opset : model.opset_import())
        if (opset.domain().empty() || opset.domain() == "ai.onnx")
            graph.opset = opset.version();
    if (graph.opset < kOldestOpset || graph.opset > kNewestOpset)
        refuse(path,
            "it uses ONNX opset " + std::to_string(graph.opset) + "; this importer reads opsets "
                + std::to_string(kOldestOpset) + " to " + std::to_string(kNewestOpset)
                + ". Convert it: onnx.version_converter.convert_version(model, 13), or export again with "
                  "opset_version=13.");

    const onnx::GraphProto& proto = model.graph();
    std::set<std::string> available;
    for (const auto& initializer : proto.initializer()) {
        if (!available.insert(initializer.name()).second)
            refuse(path, "it holds the weights \"" + initializer.name() + "\" twice.");
        graph.initializers.push_back(readTensor(initializer, path, "the weights"));
    }
    std::vector<const onnx::ValueInfoProto*> inputs; // older files list the weights as inputs too
    for (const auto& input : proto.input())
        if (!available.count(input.name()))
            inputs.push_back(&input);
    if (inputs.size() != 1)
        refuse(path,
            "it has " + std::to_string(inputs.size())
                + " inputs; an image classifier has one (the image tensor [N, 3, H, W]).");
    graph.input = inputs.front()->name();
    graph.inputDims = declaredDims(*inputs.front());
    available.insert(graph.input);
    if (proto.output_size() < 1)
        refuse(path, "its graph has no output.");
    graph.output = proto.output(0).name();

    std::map<std::string, std::string> producers; // tensor → the node computing it
    for (int k = 0; k < proto.node_size(); ++k)
        for (const auto& output : proto.node(k).output())
            producers.emplace(output, proto.node(k).name().empty() ? "#" + std::to_string(k) : proto.node(k).name());
    for (int k = 0; k < proto.node_size(); ++k) {
        const onnx::NodeProto& n = proto.node(k);
        OnnxNode node;
        node.name = n.name().empty() ? "#" + std::to_string(k) : n.name();
        node.opType = n.op_type();
        node.domain = n.domain();
        for (const auto& input : n.input()) {
            if (!input.empty() && !available.count(input)) {
                const auto later = producers.find(input);
                if (later != producers.end())
                    refuse(path,
                        node.describe() + " reads \"" + input + "\", which node \"" + later->second
                            + "\" computes only later: the graph has a loop or is out of order.");
                refuse(path,
                    node.describe() + " reads \"" + input
                        + "\", which no node computes and the file does not hold (missing weights?).");
            }
            node.inputs.push_back(input);
        }
        for (const auto& output : n.output()) {
            if (!output.empty() && !available.insert(output).second)
                refuse(path, node.describe() + " computes \"" + output + "\", which already exists.");
            node.outputs.push_back(output);
        }
        for (const auto& attribute : n.attribute())
            node.attributes.push_back(readAttribute(attribute, path, node.describe()));
        graph.nodes.push_back(std::move(node));
    }
    if (!available.count(graph.output))
        refuse(path, "no node computes its output \"" + graph.output + "\".");
    return graph;
}

} // namespace fcs
