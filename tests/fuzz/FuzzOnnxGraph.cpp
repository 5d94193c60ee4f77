// libFuzzer: any bytes as an ONNX model file (issue 27), read by the importer's parser and checks
// (engine/onnx/OnnxGraph: protobuf, opsets, tensors' declared and held sizes, graph order).
// fcs::Error is the expected answer to a bad file; a crash, a sanitizer report, another
// exception or a tensor whose bytes do not match its dimensions is a bug.

#include "engine/core/Error.h"
#include "engine/onnx/OnnxGraph.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

void checkTensor(const fcs::OnnxTensor& tensor)
{
    std::size_t count = 1;
    for (const std::int64_t dim : tensor.dims) {
        if (dim < 0)
            __builtin_trap();
        count *= std::size_t(dim);
    }
    if (tensor.bytes.size() != count * fcs::onnxTypeSize(tensor.type))
        __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    try {
        const fcs::OnnxGraph graph
            = fcs::parseOnnxGraph(std::string(reinterpret_cast<const char*>(data), size), "fuzz.onnx");
        for (const auto& tensor : graph.initializers)
            checkTensor(tensor);
        for (const auto& node : graph.nodes)
            for (const auto& attribute : node.attributes)
                if (attribute.kind == fcs::OnnxAttribute::Kind::Tensor)
                    checkTensor(attribute.t);
        if (graph.input.empty() || graph.output.empty())
            __builtin_trap();
    } catch (const fcs::Error&) {
    }
    return 0;
}
