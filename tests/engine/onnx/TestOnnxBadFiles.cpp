// Bad ONNX files (issue 27) are refused at load with a sentence that names what is wrong, never a
// crash, a hang or a wrong number: a file cut at any byte, a loop in the graph, missing weights, a
// node reading a tensor that does not exist, an unsupported operator or attribute (named with the
// node and the opset), a 10 GB declared tensor, an input that is not an image. Each starts from a
// tiny valid model built here (Conv → Relu → GlobalAveragePool → Flatten → Gemm), which loads.

#include "engine/core/Error.h"
#include "engine/onnx/OnnxGraph.h"
#include "engine/onnx/OnnxNetwork.h"

#include <onnx/onnx_pb.h>

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace fcs;

namespace {

void addFloats(onnx::GraphProto& graph, const std::string& name, std::vector<std::int64_t> dims)
{
    onnx::TensorProto* tensor = graph.add_initializer();
    tensor->set_name(name);
    tensor->set_data_type(onnx::TensorProto::FLOAT);
    std::int64_t count = 1;
    for (const std::int64_t dim : dims) {
        tensor->add_dims(dim);
        count *= dim;
    }
    for (std::int64_t k = 0; k < count; ++k)
        tensor->add_float_data(0.01f * float(k % 7) - 0.02f);
}

onnx::NodeProto* addNode(
    onnx::GraphProto& graph, const std::string& op, std::vector<std::string> inputs, const std::string& output)
{
    onnx::NodeProto* node = graph.add_node();
    node->set_name("/" + op);
    node->set_op_type(op);
    for (const auto& input : inputs)
        node->add_input(input);
    node->add_output(output);
    return node;
}

void declareImage(onnx::ValueInfoProto* value, const std::string& name, std::vector<std::int64_t> dims)
{
    value->set_name(name);
    auto* type = value->mutable_type()->mutable_tensor_type();
    type->set_elem_type(onnx::TensorProto::FLOAT);
    for (const std::int64_t dim : dims)
        type->mutable_shape()->add_dim()->set_dim_value(dim);
}

onnx::ModelProto tinyClassifier()
{
    onnx::ModelProto model;
    model.set_ir_version(8);
    model.set_producer_name("TestOnnxBadFiles");
    model.add_opset_import()->set_version(13);
    onnx::GraphProto& graph = *model.mutable_graph();
    declareImage(graph.add_input(), "image", {1, 3, 8, 8});
    declareImage(graph.add_output(), "logits", {1, 2});
    addFloats(graph, "conv.weight", {4, 3, 3, 3});
    addFloats(graph, "fc.weight", {2, 4});
    onnx::NodeProto* conv = addNode(graph, "Conv", {"image", "conv.weight"}, "conv");
    onnx::AttributeProto* pads = conv->add_attribute();
    pads->set_name("pads");
    pads->set_type(onnx::AttributeProto::INTS);
    for (int k = 0; k < 4; ++k)
        pads->add_ints(1);
    addNode(graph, "Relu", {"conv"}, "relu");
    addNode(graph, "GlobalAveragePool", {"relu"}, "pool");
    addNode(graph, "Flatten", {"pool"}, "flat");
    onnx::NodeProto* gemm = addNode(graph, "Gemm", {"flat", "fc.weight"}, "logits");
    onnx::AttributeProto* transB = gemm->add_attribute();
    transB->set_name("transB");
    transB->set_type(onnx::AttributeProto::INT);
    transB->set_i(1);
    return model;
}

} // namespace

class TestOnnxBadFiles : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString write(const QString& name, const std::string& bytes)
    {
        const QString path = m_dir.filePath(name);
        std::ofstream(path.toStdString(), std::ios::binary) << bytes;
        return path;
    }

    // The message the importer refuses `bytes` with ("" when it loads).
    QString refusal(const std::string& bytes)
    {
        const QString path = write("model.onnx", bytes);
        try {
            OnnxNetwork::load(path.toStdString(), "", 8, 8);
            return "";
        } catch (const Error& e) {
            if (e.code() != ErrorCode::BadModel && e.code() != ErrorCode::ModelNotFound)
                return "wrong error code: " + QString::fromStdString(e.what());
            return QString::fromStdString(e.what());
        }
    }

    QString refusal(const onnx::ModelProto& model) { return refusal(model.SerializeAsString()); }

private Q_SLOTS:
    void theTinyModelLoadsAndSplits()
    {
        const QString path = write("tiny.onnx", tinyClassifier().SerializeAsString());
        const auto network = OnnxNetwork::load(path.toStdString(), "", 8, 8);
        QCOMPARE(network->target(), std::string("relu"));
        QVERIFY(network->targetWasChosen());
        QCOMPARE(network->spatialTensors().size(), std::size_t(2)); // conv and relu
    }

    void aFileCutAtAnyByteIsRefused()
    {
        const std::string bytes = tinyClassifier().SerializeAsString();
        int refused = 0;
        for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
            const QString why = refusal(bytes.substr(0, cut));
            QVERIFY2(!why.startsWith("wrong"), qPrintable(why));
            refused += !why.isEmpty();
        }
        // Protobuf has no length of its own: a cut between the graph's last fields is a smaller
        // valid message, which must then fail the graph checks (no output computed).
        QCOMPARE(refused, int(bytes.size()));
        QVERIFY(refusal(bytes.substr(0, bytes.size() / 2)).contains("cannot be used"));
    }

    void aLoopInTheGraphIsRefused()
    {
        onnx::ModelProto model = tinyClassifier();
        model.mutable_graph()->mutable_node(1)->set_input(0, "flat"); // Relu reads Flatten, which reads it
        const QString why = refusal(model);
        QVERIFY2(why.contains("loop or is out of order") && why.contains("/Relu"), qPrintable(why));
    }

    void missingWeightsAreRefused()
    {
        onnx::ModelProto model = tinyClassifier();
        model.mutable_graph()->mutable_initializer()->DeleteSubrange(0, 1); // conv.weight
        const QString why = refusal(model);
        QVERIFY2(why.contains("\"conv.weight\"") && why.contains("missing weights"), qPrintable(why));
    }

    void aNodeReadingNothingIsRefused()
    {
        onnx::ModelProto model = tinyClassifier();
        model.mutable_graph()->mutable_node(2)->set_input(0, "nowhere");
        const QString why = refusal(model);
        QVERIFY2(why.contains("\"nowhere\"") && why.contains("/GlobalAveragePool"), qPrintable(why));
    }

    void anUnsupportedOperatorIsNamedWithItsNodeAndOpset()
    {
        onnx::ModelProto model = tinyClassifier();
        model.mutable_graph()->mutable_node(1)->set_op_type("Hardmax");
        const QString why = refusal(model);
        QVERIFY2(why.contains("/Relu") && why.contains("Hardmax") && why.contains("13"), qPrintable(why));

        model = tinyClassifier();
        model.mutable_graph()->mutable_node(1)->set_domain("com.microsoft");
        QVERIFY(refusal(model).contains("com.microsoft"));
    }

    void anUnsupportedAttributeIsRefused()
    {
        onnx::ModelProto model = tinyClassifier();
        onnx::AttributeProto* odd = model.mutable_graph()->mutable_node(0)->add_attribute();
        odd->set_name("dilation_mode");
        odd->set_type(onnx::AttributeProto::INT);
        const QString why = refusal(model);
        QVERIFY2(why.contains("dilation_mode") && why.contains("/Conv"), qPrintable(why));
    }

    void aTenGigabyteTensorIsRefusedBeforeItIsRead()
    {
        onnx::ModelProto model = tinyClassifier();
        onnx::TensorProto* huge = model.mutable_graph()->mutable_initializer(1);
        huge->clear_float_data();
        huge->clear_dims();
        huge->add_dims(50'000);
        huge->add_dims(50'000); // 2.5e9 floats: 10 GB declared, nothing held
        const QString why = refusal(model);
        QVERIFY2(why.contains("\"fc.weight\"") && why.contains("MB"), qPrintable(why));

        huge->clear_dims();
        huge->add_dims(2);
        huge->add_dims(400); // 800 elements declared, none held
        QVERIFY(refusal(model).contains("truncated or damaged"));
    }

    void anInputThatIsNotAnImageIsRefused()
    {
        onnx::ModelProto model = tinyClassifier();
        declareImage(model.mutable_graph()->mutable_input(0), "image", {1, 8, 8, 3});
        const QString why = refusal(model);
        QVERIFY2(why.contains("NCHW") && why.contains("inputs-as-nchw"), qPrintable(why));

        model = tinyClassifier();
        declareImage(model.mutable_graph()->add_input(), "mask", {1, 1, 8, 8});
        QVERIFY(refusal(model).contains("2 inputs"));
    }

    void anOldOpsetAndOtherFilesAreRefused()
    {
        onnx::ModelProto model = tinyClassifier();
        model.mutable_opset_import(0)->set_version(9);
        QVERIFY(refusal(model).contains("opset 9"));
        QVERIFY(refusal(std::string("this is a text file\n")).contains("not an ONNX model"));
        QVERIFY(refusal(std::string()).contains("not an ONNX model"));
    }
};

QTEST_GUILESS_MAIN(TestOnnxBadFiles)
#include "TestOnnxBadFiles.moc"
