// An ONNX model that came without a sidecar (issue 27, item 3): what the file says, what is
// missing, the sidecar the answers make (class count from the graph, labels read or numbered),
// saved once and never overwritten; the layers the window's picker lists, and a picked layer
// saved in the sidecar and used. On the shared MobileNetV2 ONNX, copied alone into a folder.

#include "TestPaths.h"

#include "engine/core/Error.h"
#include "engine/explain/Explainer.h"
#include "engine/io/ImageLoader.h"
#include "engine/model/ModelCatalog.h"
#include "engine/onnx/OnnxSetup.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace fcs;

class TestOnnxSetup : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_onnx;
    QString m_shared;

private Q_SLOTS:
    void initTestCase()
    {
        m_shared = test::modelsDir() + "/onnx";
        if (!QFile::exists(m_shared + "/mobilenet_v2_1.0_224.onnx"))
            QSKIP(qPrintable("the ONNX MobileNetV2 is not in " + m_shared));
        m_onnx = m_dir.filePath("mynet.onnx");
        QVERIFY(QFile::copy(m_shared + "/mobilenet_v2_1.0_224.onnx", m_onnx));
    }

    void theFileSaysItsSizeAndTheRestIsAsked()
    {
        const OnnxFileFacts facts = readOnnxFileFacts(m_onnx.toStdString());
        QCOMPARE(facts.declaredHeight, 224);
        QCOMPARE(facts.declaredWidth, 224);
        QCOMPARE(facts.opset, std::int64_t(13));
        QCOMPARE(missingOnnxAnswers(facts, {}), std::vector<std::string>{"normalization"});
        OnnxFileFacts open = facts;
        open.declaredHeight = open.declaredWidth = 0;
        QCOMPARE(missingOnnxAnswers(open, {}), (std::vector<std::string>{"input size", "normalization"}));
        QVERIFY_THROWS_EXCEPTION(Error, sidecarFromAnswers(m_onnx.toStdString(), facts, {}));
    }

    void answersMakeASidecarThatClassifiesAsTheSharedOne()
    {
        const OnnxFileFacts facts = readOnnxFileFacts(m_onnx.toStdString());
        OnnxAnswers answers;
        answers.normalization = normalizationPreset("minus-one-to-one");
        const Sidecar numbered = sidecarFromAnswers(m_onnx.toStdString(), facts, answers);
        QCOMPARE(numbered.numClasses, 1000);
        QCOMPARE(numbered.labels.at(7), std::string("class 7"));

        answers.labelsFile = (m_shared + "/imagenet_labels.txt").toStdString();
        const Sidecar sidecar = sidecarFromAnswers(m_onnx.toStdString(), facts, answers);
        saveSidecar(sidecar);
        QVERIFY_THROWS_EXCEPTION(Error, saveSidecar(sidecar)); // never overwritten

        // Found on the path by its name now, and the same top-5 as the shared model's sidecar gives.
        const Sidecar found = findModel({m_dir.path().toStdString()}, "mynet");
        QCOMPARE(found.modelPath, m_onnx.toStdString());
        QCOMPARE(found.labels, sidecar.labels);
        const cv::Mat photo = loadImageRgb(test::samplePhoto("n02391049_zebra.JPEG").toStdString());
        Explainer saved(found);
        Explainer shared(findModel({m_shared.toStdString()}, "mobilenet_v2_1.0_224"));
        const auto a = saved.classify({photo}, 5).front();
        const auto b = shared.classify({photo}, 5).front();
        for (std::size_t k = 0; k < 5; ++k) {
            QCOMPARE(a[k].classIndex, b[k].classIndex);
            QCOMPARE(a[k].label, b[k].label);
        }
        QCOMPARE(a.front().label.substr(0, 5), std::string("zebra"));
    }

    void labelsThatDoNotMatchAreRefused()
    {
        const QString labels = m_dir.filePath("short.txt");
        std::ofstream(labels.toStdString()) << "cat\ndog\n";
        OnnxAnswers answers;
        answers.normalization = normalizationPreset("imagenet");
        answers.labelsFile = labels.toStdString();
        try {
            sidecarFromAnswers(m_onnx.toStdString(), readOnnxFileFacts(m_onnx.toStdString()), answers);
            QFAIL("two labels for 1000 classes were accepted");
        } catch (const Error& e) {
            QVERIFY2(QString::fromStdString(e.userMessage()).contains("2 lines, but the model gives 1000"), e.what());
        }
    }

    void aPickedLayerIsSavedAndUsed()
    {
        const Sidecar sidecar = findModel({m_dir.path().toStdString()}, "mynet");
        const OnnxLayers layers = explainableOnnxLayers(sidecar);
        QVERIFY(layers.layers.size() >= 10);
        QCOMPARE(layers.layers.back().name, layers.chosen);
        QCOMPARE(layers.layers.back().shape, (std::vector<std::int64_t>{1, 1280, 7, 7}));
        // A block's output before the last: 14x14 maps.
        std::string earlier;
        for (const auto& layer : layers.layers)
            if (layer.shape[2] == 14)
                earlier = layer.name;
        QVERIFY(!earlier.empty());
        ExplainSettings settings;
        settings.methods = {"gradcam"};
        const cv::Mat photo = loadImageRgb(test::samplePhoto("n02391049_zebra.JPEG").toStdString());
        const cv::Mat atLast = Explainer(sidecar).explain(photo, settings).methods.front().map;

        saveTargetLayer(sidecar.jsonPath, earlier);
        const Sidecar picked = findModel({m_dir.path().toStdString()}, "mynet");
        QCOMPARE(picked.targetLayer, earlier);
        QCOMPARE(picked.labels, sidecar.labels); // the other fields kept
        Explainer explainer(picked);
        QCOMPARE(explainer.sidecar().targetLayer, earlier);
        const cv::Mat atEarlier = explainer.explain(photo, settings).methods.front().map;
        QCOMPARE(atEarlier.size(), atLast.size());
        QVERIFY(cv::norm(atEarlier - atLast, cv::NORM_INF) > 0.05); // another layer, another map
    }
};

QTEST_GUILESS_MAIN(TestOnnxSetup)
#include "TestOnnxSetup.moc"
