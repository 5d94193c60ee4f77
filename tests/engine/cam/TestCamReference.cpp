// Every CAM method of the catalogue against an independent implementation (pytorch-grad-cam, in
// the shared models folder's cam-reference/ and cam-reference-block12/): Pearson r >= 0.999 on
// each of the ten photos, on MobileNetV2 (where its pooling + linear head makes several methods
// nearly equal Grad-CAM) and on the same network cut after block 12 (where they differ).
// Eigen-CAM's and EigenGrad-CAM's reference sign is arbitrary (an SVD's): the reference must
// match our map or the map of the opposite sign, and the test says which.

#include "TestPaths.h"

#include "engine/cam/CamMethod.h"
#include "engine/cam/EigenCam.h"
#include "engine/cam/MapOps.h"
#include "engine/catalog/MethodCatalog.h"
#include "engine/core/Threads.h"
#include "engine/io/ImageLoader.h"
#include "engine/model/ClassifierModel.h"
#include "engine/model/ModelCatalog.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>

#include <map>

using namespace fcs;

namespace {

double pearson(const torch::Tensor& map, const cv::Mat& reference)
{
    cv::Mat y;
    reference.convertTo(y, CV_64F);
    const auto x = map.squeeze().to(torch::kDouble).contiguous();
    const cv::Mat ours(int(x.size(0)), int(x.size(1)), CV_64F, x.data_ptr<double>());
    cv::Mat a = ours - cv::mean(ours)[0], b = y - cv::mean(y)[0];
    return a.dot(b) / std::sqrt(a.dot(a) * b.dot(b));
}

struct Reference
{
    QString dir;
    QJsonArray images;
};

Reference loadReference(const QString& folder)
{
    const QString dir = test::modelsDir() + "/" + folder;
    QFile manifest(dir + "/manifest.json");
    if (!manifest.open(QIODevice::ReadOnly))
        return {};
    return {dir, QJsonDocument::fromJson(manifest.readAll()).object()["images"].toArray()};
}

} // namespace

class TestCamReference : public QObject
{
    Q_OBJECT

private:
    std::map<QString, std::unique_ptr<ClassifierModel>> m_models;
    CancelToken m_cancel;

    ClassifierModel& model(const QString& id)
    {
        auto& slot = m_models[id];
        if (!slot)
            slot = ClassifierModel::load(findModel({test::modelsDir().toStdString()}, id.toStdString()));
        return *slot;
    }

private Q_SLOTS:
    void initTestCase()
    {
        setComputeThreads(0); // one per core: Score-CAM is 1280 forward passes per photo
    }

    // One row per model × method × photo: Score-CAM on MobileNetV2 is 1280 forward passes a
    // photo, and a row must end within Qt Test's per-function time limit.
    void matchesTheIndependentImplementation_data()
    {
        QTest::addColumn<QString>("modelId");
        QTest::addColumn<QString>("referenceFolder");
        QTest::addColumn<QString>("method");
        QTest::addColumn<int>("photo");
        const std::vector<std::pair<QString, QString>> models
            = {{"mobilenet_v2_1.0_224", "cam-reference"}, {"mobilenet_v2_1.0_224_block12", "cam-reference-block12"}};
        for (const auto& [modelId, folder] : models)
            for (const auto& method : methodCatalog())
                if (method.id != "smoothgradcampp" && method.id != "cam") // random noise; CAM is Grad-CAM here
                    for (int photo = 0; photo < 10; ++photo)
                        QTest::addRow("%s %s %d", qPrintable(modelId), method.id.c_str(), photo)
                            << modelId << folder << QString::fromStdString(method.id) << photo;
    }

    void matchesTheIndependentImplementation()
    {
        QFETCH(QString, modelId);
        QFETCH(QString, referenceFolder);
        QFETCH(QString, method);
        QFETCH(int, photo);
        if (!QFile::exists(test::modelsDir() + "/" + modelId + ".pt"))
            QSKIP(qPrintable("model " + modelId + " not found in " + test::modelsDir()
                + "; set FEATURECAM_MODEL_PATH to the shared models folder"));
        const Reference reference = loadReference(referenceFolder);
        if (reference.images.isEmpty())
            QSKIP(qPrintable(referenceFolder + "/manifest.json not found in the models folder"));
        QCOMPARE(reference.images.size(), 10);
        ClassifierModel& classifier = model(modelId);
        const auto camMethod = makeCamMethod(method.toStdString(), MethodParameters());
        const QJsonObject entry = reference.images[photo].toObject();
        const QString file = entry[method].toString();
        QVERIFY2(!file.isEmpty(), qPrintable("the manifest has no " + method + " map"));
        const cv::Mat expected = cv::imread((reference.dir + "/" + file).toStdString(), cv::IMREAD_UNCHANGED);
        QCOMPARE(expected.type(), CV_16U);
        // cam-reference-block12 reuses the photos of cam-reference ("inputs: … in ../cam-reference").
        QString input = reference.dir + "/" + entry["input"].toString();
        if (!QFile::exists(input))
            input = test::modelsDir() + "/cam-reference/" + entry["input"].toString();
        const cv::Mat rgb = loadImageRgb(input.toStdString());
        CamContext context(classifier, classifier.toInput({rgb}), std::nullopt, m_cancel);
        QCOMPARE(int(context.targetClass()), entry["top1_class_index"].toInt());
        double r = pearson(camMethod->compute(context), expected);
        if ((method == "eigencam" || method == "eigengradcam") && r < 0.999) {
            // The reference took the other sign of the singular vector.
            const GradientPass& pass = context.gradients();
            const auto projected = method == "eigencam" ? firstPrincipalProjection(pass.activations)
                                                        : firstPrincipalProjection(pass.grads * pass.activations);
            r = pearson(mapops::finalize(torch::relu(-projected), rgb.rows, rgb.cols), expected);
            qInfo("%s on %s, %s: the reference has the opposite sign (r = %.6f)", qPrintable(method),
                qPrintable(modelId), qPrintable(file), r);
        }
        QVERIFY2(r >= 0.999, qPrintable(QString("%1 %2 on %3: r = %4").arg(modelId, method, file).arg(r, 0, 'f', 6)));
        double& lowest = m_lowest[modelId + " " + method];
        lowest = lowest == 0 ? r : std::min(lowest, r);
    }

    void cleanupTestCase()
    {
        for (auto it = m_lowest.begin(); it != m_lowest.end(); ++it) // for the notes: the worst photo
            qInfo("lowest r of %s over the ten photos: %.6f", qPrintable(it.key()), it.value());
    }

private:
    QMap<QString, double> m_lowest;
};

QTEST_GUILESS_MAIN(TestCamReference)
#include "TestCamReference.moc"
