// The ONNX importer (issue 27) against an independent implementation of the same network: the
// opset-13 ONNX export of MobileNetV2 (../shared/models/onnx) run by engine/onnx must give what
// LibTorch's TorchScript archive of that network gives — top-1 and probabilities on the 300
// sample photos, and every CAM method's map (Pearson r >= 0.9999). Its target tensor, named in
// the sidecar, is also the one the importer picks by itself.

#include "MapStatistics.h"
#include "TestPaths.h"

#include "engine/core/Error.h"
#include "engine/edges/EdgeDetector.h"
#include "engine/evaluate/ImageSet.h"
#include "engine/explain/Explainer.h"
#include "engine/featurecam/FeatureCam.h"
#include "engine/io/ImageLoader.h"
#include "engine/model/ClassifierModel.h"
#include "engine/model/ModelCatalog.h"
#include "engine/onnx/OnnxNetwork.h"

#include <QtTest>

using namespace fcs;

namespace {

QString onnxDir()
{
    return test::modelsDir() + "/onnx";
}

} // namespace

class TestOnnxImport : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Explainer> m_torchScript, m_onnx;

private Q_SLOTS:
    void initTestCase()
    {
        FCS_REQUIRE_SHARED_MODEL("mobilenet_v2_1.0_224");
        FCS_REQUIRE_SAMPLE_DATA();
        if (!QFile::exists(onnxDir() + "/mobilenet_v2_1.0_224.onnx"))
            QSKIP(qPrintable("the ONNX MobileNetV2 is not in " + onnxDir()));
        m_torchScript
            = std::make_unique<Explainer>(findModel({test::modelsDir().toStdString()}, "mobilenet_v2_1.0_224"));
        m_onnx = std::make_unique<Explainer>(findModel({onnxDir().toStdString()}, "mobilenet_v2_1.0_224"));
        QVERIFY(isOnnxModel(m_onnx->sidecar()));
    }

    void theImporterFindsTheSidecarsTargetByItself()
    {
        const Sidecar sidecar = findModel({onnxDir().toStdString()}, "mobilenet_v2_1.0_224");
        const auto chosen = OnnxNetwork::load(sidecar.modelPath, "", sidecar.inputHeight, sidecar.inputWidth);
        QVERIFY(chosen->targetWasChosen());
        QCOMPARE(chosen->target(), sidecar.targetLayer);
        QCOMPARE(chosen->spatialTensors().back().shape, (std::vector<std::int64_t>{1, 1280, 7, 7}));
    }

    void sameClassesAndProbabilitiesOnEverySamplePhoto()
    {
        const auto images = readImageSet((test::dataDir() + "/imagenet-sample/labels.csv").toStdString());
        QCOMPARE(images.size(), std::size_t(300));
        constexpr std::size_t kChunk = 30;
        double worst = 0;
        int sameTop1 = 0;
        for (std::size_t start = 0; start < images.size(); start += kChunk) {
            std::vector<cv::Mat> photos;
            for (std::size_t k = start; k < std::min(images.size(), start + kChunk); ++k)
                photos.push_back(loadImageRgb(images[k].path));
            const auto reference = m_torchScript->classify(photos, 5);
            const auto imported = m_onnx->classify(photos, 5);
            for (std::size_t k = 0; k < photos.size(); ++k) {
                sameTop1 += reference[k][0].classIndex == imported[k][0].classIndex;
                for (std::size_t r = 0; r < 5; ++r) {
                    QCOMPARE(imported[k][r].classIndex, reference[k][r].classIndex);
                    worst = std::max(worst, std::abs(imported[k][r].probability - reference[k][r].probability));
                }
            }
        }
        qInfo("top-1 equal on %d of 300 photos; largest probability difference (top-5) %.2g", sameTop1, worst);
        QCOMPARE(sameTop1, 300);
        QVERIFY2(worst <= 1e-4, qPrintable(QString::number(worst)));
    }

    void everyMethodGivesTheSameMap_data()
    {
        QTest::addColumn<QString>("method");
        for (const char* method : {"gradcam", "gradcampp", "smoothgradcampp", "scorecam", "xgradcam", "layercam"})
            QTest::addRow("%s", method) << method;
    }

    void everyMethodGivesTheSameMap()
    {
        QFETCH(QString, method);
        const cv::Mat photo = loadImageRgb(test::samplePhoto("n02391049_zebra.JPEG").toStdString());
        const auto sobel = makeEdgeDetector("sobel", {});
        const cv::Mat edges = sobel->detect(photo);
        ExplainSettings settings;
        settings.methods = {method.toStdString()};
        settings.smooth.samples = 8; // the same seed in both: the same noise
        settings.featureCam = {parseFeatureCamVariant("X1-I1"), parseFeatureCamVariant("X3-I3")};
        const Explanation reference = m_torchScript->explain(photo, settings, CancelToken(), edges);
        const Explanation imported = m_onnx->explain(photo, settings, CancelToken(), edges);
        QCOMPARE(imported.explainedClass, reference.explainedClass);
        const auto& a = reference.methods.front();
        const auto& b = imported.methods.front();
        const double r = test::pearson(a.map, b.map);
        QVERIFY2(r >= 0.9999, qPrintable(method + QString(": r = %1").arg(r, 0, 'f', 6)));
        for (std::size_t v = 0; v < a.featureCam.size(); ++v) {
            const double rv = test::pearson(a.featureCam[v].map, b.featureCam[v].map);
            QVERIFY2(rv >= 0.9999,
                qPrintable(method + " " + QString::fromStdString(a.featureCam[v].variant.name())
                    + QString(": r = %1").arg(rv, 0, 'f', 6)));
        }
    }
};

QTEST_GUILESS_MAIN(TestOnnxImport)
#include "TestOnnxImport.moc"
