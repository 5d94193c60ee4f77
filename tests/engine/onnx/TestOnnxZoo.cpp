// The ONNX importer (issue 27) on the torchvision families: resnet50, densenet121,
// efficientnet_b0, vit_b_16 and swin_t with random weights, exported by torch.onnx at opsets 13
// and 17 (export_zoo.py), give the eager PyTorch module's logits within 1e-4 relative; the split
// at the target is exact (classify(features(x)) = forward(x)); and the convnets give the Grad-CAM
// of their CAM-ready TorchScript export (models/export.py) of the same weights. The test command
// runs efficientnet_b0 and vit_b_16; scripts/test-onnx-zoo.sh all five.

#include "MapStatistics.h"
#include "TestPaths.h"

#include "engine/explain/Explainer.h"
#include "engine/io/ImageLoader.h"
#include "engine/model/ModelCatalog.h"
#include "engine/onnx/OnnxNetwork.h"

#include <torch/torch.h>

#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace fcs;

namespace {

const QString kExportZoo = QFileInfo(FCS_EXPORTER).absolutePath() + "/../tests/engine/onnx/export_zoo.py";

torch::Tensor readFloats(const QString& path, std::vector<std::int64_t> shape)
{
    torch::Tensor tensor = torch::empty(shape);
    std::ifstream stream(path.toStdString(), std::ios::binary);
    stream.read(reinterpret_cast<char*>(tensor.data_ptr<float>()), std::streamsize(tensor.numel() * 4));
    return stream.gcount() == std::streamsize(tensor.numel() * 4) ? tensor : torch::Tensor();
}

double relativeDifference(const torch::Tensor& got, const torch::Tensor& expected)
{
    const double scale = expected.abs().max().item<double>();
    return (got - expected).abs().max().item<double>() / scale;
}

} // namespace

class TestOnnxZoo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QProcess probe;
        probe.start(FCS_PYTHON, {"-c", "import torch, torchvision, onnx"});
        if (!probe.waitForFinished(120000) || probe.exitCode() != 0)
            QSKIP("python3 with torch, torchvision and onnx is not installed (scripts/install-deps.sh installs them)");
    }

    // The test command's short version: one convnet and one transformer (about a minute each);
    // scripts/test-onnx-zoo.sh runs all five (FCS_ONNX_ZOO=all).
    void efficientnetB0() { check("efficientnet_b0", true); }
    void vitB16() { check("vit_b_16", false); }
    void resnet50()
    {
        if (allOnly())
            QSKIP("in scripts/test-onnx-zoo.sh only (FCS_ONNX_ZOO=all)");
        check("resnet50", true);
    }
    void densenet121()
    {
        if (allOnly())
            QSKIP("in scripts/test-onnx-zoo.sh only (FCS_ONNX_ZOO=all)");
        check("densenet121", true);
    }
    void swinT()
    {
        if (allOnly())
            QSKIP("in scripts/test-onnx-zoo.sh only (FCS_ONNX_ZOO=all)");
        check("swin_t", false);
    }

private:
    static bool allOnly() { return qEnvironmentVariable("FCS_ONNX_ZOO") != "all"; }

    void check(const QString& arch, bool convnet)
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QProcess exporter;
        exporter.setProcessChannelMode(QProcess::MergedChannels);
        exporter.start(FCS_PYTHON, {kExportZoo, arch, dir.path(), FCS_EXPORTER});
        QVERIFY2(exporter.waitForFinished(240000) && exporter.exitCode() == 0,
            qPrintable("export_zoo.py failed: " + QString::fromUtf8(exporter.readAll()).right(2000)));

        const torch::Tensor input = readFloats(dir.filePath("input.bin"), {1, 3, 224, 224});
        const torch::Tensor expected = readFloats(dir.filePath("logits.bin"), {1, 1000});
        QVERIFY(input.defined() && expected.defined());
        // Logits that are all alike would make every comparison below pass.
        QVERIFY2(expected.std().item<double>() > 1e-2,
            qPrintable(QString("logits' spread %1").arg(expected.std().item<double>())));
        for (const int opset : {13, 17}) {
            const QString folder = dir.filePath(QString("opset%1").arg(opset));
            const Sidecar sidecar = findModel({folder.toStdString()}, arch.toStdString());
            const auto network = OnnxNetwork::load(sidecar.modelPath, sidecar.targetLayer, 224, 224);
            torch::NoGradGuard noGrad;
            const torch::Tensor logits = network->forward(input);
            const double difference = relativeDifference(logits, expected);
            const double split = relativeDifference(network->classify(network->features(input)), logits);
            qInfo("%s opset %d: target %s %s; logits differ by %.2g relative, the split by %.2g", qPrintable(arch),
                opset, network->target().c_str(), torch::str(network->features(input).sizes()).c_str(), difference,
                split);
            QVERIFY2(difference <= 1e-4, qPrintable(QString("opset %1: %2").arg(opset).arg(difference)));
            QVERIFY2(split <= 1e-5, qPrintable(QString("opset %1: %2").arg(opset).arg(split)));
        }
        if (!convnet)
            return;

        FCS_REQUIRE_SAMPLE_DATA();
        const cv::Mat photo = loadImageRgb(test::samplePhoto("n02391049_zebra.JPEG").toStdString());
        ExplainSettings settings;
        settings.methods = {"gradcam"};
        Explainer torchScript(findModel({dir.filePath("torchscript").toStdString()}, arch.toStdString()));
        const Explanation reference = torchScript.explain(photo, settings);
        for (const int opset : {13, 17}) {
            Explainer onnx(findModel({dir.filePath(QString("opset%1").arg(opset)).toStdString()}, arch.toStdString()));
            const Explanation imported = onnx.explain(photo, settings);
            QCOMPARE(imported.explainedClass, reference.explainedClass);
            const cv::Mat& a = reference.methods.front().map;
            const cv::Mat& b = imported.methods.front().map;
            const double r = test::pearson(a, b);
            const double largest = cv::norm(a - b, cv::NORM_INF);
            qInfo("%s opset %d: Grad-CAM r = %.6f, largest difference %.2g", qPrintable(arch), opset, r, largest);
            QVERIFY2(r >= 0.9999 && largest <= 1e-3, qPrintable(QString("r = %1, largest %2").arg(r).arg(largest)));
        }
    }
};

QTEST_GUILESS_MAIN(TestOnnxZoo)
#include "TestOnnxZoo.moc"
