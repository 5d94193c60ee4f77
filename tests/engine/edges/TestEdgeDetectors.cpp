// Edge detectors: PiDiNet equals the official implementation's reference maps, every detector
// puts a filled square's edges on its border, HED's missing or malformed files are clear errors,
// and the cache computes an image's edges once.

#include "TestPaths.h"

#include "engine/core/Error.h"
#include "engine/edges/EdgeCache.h"
#include "engine/edges/EdgeDetector.h"
#include "engine/io/ImageLoader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace fcs;

namespace {

EdgeOptions sharedOptions()
{
    EdgeOptions options;
    options.modelDirs = {test::modelsDir().toStdString()};
    return options;
}

} // namespace

class TestEdgeDetectors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pidinetMatchesTheReference_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addRow("pidinet") << "pidinet";
        QTest::addRow("pidinet_tiny") << "pidinet_tiny";
    }

    void pidinetMatchesTheReference()
    {
        QFETCH(QString, model);
        FCS_REQUIRE_SHARED_MODEL("pidinet");
        FCS_REQUIRE_SAMPLE_DATA();
        const QString refDir = test::modelsDir() + "/pidinet-reference/" + model;
        QFile manifest(refDir + "/manifest.json");
        QVERIFY(manifest.open(QIODevice::ReadOnly));
        const auto images = QJsonDocument::fromJson(manifest.readAll()).object()["images"].toArray();
        QCOMPARE(images.size(), 6);
        auto detector = makeEdgeDetector(model.toStdString(), sharedOptions());
        for (const auto& value : images) {
            const QJsonObject entry = value.toObject();
            const QString file = entry["input"].toString().section('/', -1);
            const cv::Mat edges = detector->detect(loadImageRgb(test::samplePhoto(file).toStdString()));
            const cv::Mat reference
                = cv::imread((refDir + "/" + entry["reference"].toString()).toStdString(), cv::IMREAD_UNCHANGED);
            QCOMPARE(edges.size(), reference.size());
            // The reference PNG holds floor(255 p); compare at that quantization.
            cv::Mat levels;
            edges.convertTo(levels, CV_32F, 255.0);
            cv::Mat floored(levels.size(), CV_8U);
            for (int r = 0; r < levels.rows; ++r)
                for (int c = 0; c < levels.cols; ++c)
                    floored.at<uchar>(r, c) = cv::saturate_cast<uchar>(std::floor(levels.at<float>(r, c)));
            cv::Mat difference;
            cv::absdiff(floored, reference, difference);
            double worst = 0;
            cv::minMaxLoc(difference, nullptr, &worst);
            qInfo("%s %s: max difference %g levels, %d of %d pixels differ", qPrintable(model), qPrintable(file), worst,
                cv::countNonZero(difference), int(difference.total()));
            QVERIFY2(worst <= 1, qPrintable(file + QString(": %1 levels").arg(worst)));
            QVERIFY2(cv::countNonZero(difference) <= 10,
                qPrintable(file + QString(": %1 pixels differ").arg(cv::countNonZero(difference))));
        }
    }

    void squareEdgesLieOnItsBorder_data()
    {
        QTest::addColumn<QString>("detector");
        QTest::addRow("canny") << "canny";
        QTest::addRow("sobel") << "sobel";
        QTest::addRow("pidinet") << "pidinet";
        QTest::addRow("pidinet_tiny") << "pidinet_tiny";
    }

    void squareEdgesLieOnItsBorder()
    {
        QFETCH(QString, detector);
        if (detector.startsWith("pidinet"))
            FCS_REQUIRE_SHARED_MODEL("pidinet");
        // A white square (rows and columns 40..87) on black, 128×128.
        cv::Mat image(128, 128, CV_8UC3, cv::Scalar::all(0));
        image(cv::Rect(40, 40, 48, 48)).setTo(cv::Scalar::all(255));
        const cv::Mat edges = makeEdgeDetector(detector.toStdString(), sharedOptions())->detect(image);
        QCOMPARE(edges.size(), image.size());
        QCOMPARE(edges.type(), CV_32F);
        double lo = 0, hi = 0;
        cv::minMaxLoc(edges, &lo, &hi);
        QVERIFY(lo >= 0 && hi <= 1 && hi > 0.5);
        // The strong responses (at least half the maximum) lie within 4 px of the square's outline,
        // and the outline band responds far more than the rest (deep detectors leave a faint haze).
        cv::Mat outline = cv::Mat::zeros(image.size(), CV_8U);
        cv::rectangle(outline, cv::Rect(40, 40, 48, 48), cv::Scalar(255), 1);
        cv::Mat band;
        cv::dilate(outline, band, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(9, 9)));
        const cv::Mat strong = edges >= 0.5 * hi;
        const double strongNearBorder = cv::countNonZero(strong & band) / double(cv::countNonZero(strong));
        QVERIFY2(strongNearBorder > 0.95,
            qPrintable(QString("%1 of the strong edges near the border").arg(strongNearBorder)));
        const double bandMean = cv::mean(edges, band)[0], restMean = cv::mean(edges, ~band)[0];
        QVERIFY2(bandMean > 5 * restMean, qPrintable(QString("band %1, elsewhere %2").arg(bandMean).arg(restMean)));
        for (const cv::Point side : {cv::Point(64, 40), cv::Point(64, 87), cv::Point(40, 64), cv::Point(87, 64)}) {
            double sideMax = 0;
            cv::minMaxLoc(edges(cv::Rect(side.x - 3, side.y - 3, 7, 7)), nullptr, &sideMax);
            QVERIFY2(sideMax >= 0.5 * hi, "a side of the square has no edge");
        }
        QVERIFY(edges.at<float>(64, 64) < 0.1 && edges.at<float>(5, 5) < 0.1); // centre and far corner
    }

    void hedWithoutItsFilesIsAClearError()
    {
        EdgeOptions options;
        try {
            makeEdgeDetector("hed", options);
            QFAIL("HED without files was accepted");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::ModelNotFound);
            QVERIFY(QString::fromStdString(e.userMessage()).contains("--hed-prototxt"));
        }
        options.hedPrototxt = "/nonexistent/deploy.prototxt";
        options.hedWeights = "/nonexistent/hed.caffemodel";
        try {
            makeEdgeDetector("hed", options);
            QFAIL("missing HED files were accepted");
        } catch (const Error& e) {
            QVERIFY(QString::fromStdString(e.userMessage()).contains("/nonexistent/deploy.prototxt"));
        }
    }

    void malformedHedFilesAreAClearError()
    {
        QTemporaryDir dir;
        QFile prototxt(dir.filePath("deploy.prototxt"));
        QVERIFY(prototxt.open(QIODevice::WriteOnly));
        prototxt.write("name: \"HED\" layer { this is not { valid");
        prototxt.close();
        QFile weights(dir.filePath("hed.caffemodel"));
        QVERIFY(weights.open(QIODevice::WriteOnly));
        weights.write("garbage");
        weights.close();
        EdgeOptions options;
        options.hedPrototxt = prototxt.fileName().toStdString();
        options.hedWeights = weights.fileName().toStdString();
        try {
            makeEdgeDetector("hed", options);
            QFAIL("malformed HED files were accepted");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::BadModel);
            QVERIFY(QString::fromStdString(e.userMessage()).contains("deploy.prototxt"));
        }
    }

    void unknownDetectorIsAClearError()
    {
        try {
            makeEdgeDetector("laplace", sharedOptions());
            QFAIL("unknown detector accepted");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::ModelNotFound);
            QVERIFY(QString::fromStdString(e.userMessage()).contains("laplace"));
        }
    }

    void cacheComputesEachImageOnce()
    {
        auto detector = makeEdgeDetector("sobel", {});
        EdgeCache cache;
        cv::Mat image(300, 700, CV_8UC3);
        cv::randu(image, 0, 255);
        const cv::Mat first = cache.edges(*detector, image, 512);
        QCOMPARE(cache.computations(), std::size_t(1));
        QCOMPARE(first.size(), cv::Size(512, 219)); // longer side shrunk to 512
        const cv::Mat second = cache.edges(*detector, image.clone(), 512);
        QCOMPARE(cache.computations(), std::size_t(1)); // same content: served from the cache
        QCOMPARE(cv::norm(first, second, cv::NORM_INF), 0.0);
        cache.edges(*detector, image, 1024); // another size limit: computed
        image.at<cv::Vec3b>(0, 0)[0] ^= 1; // one pixel changed: computed
        cache.edges(*detector, image, 512);
        QCOMPARE(cache.computations(), std::size_t(3));
        QCOMPARE(cache.edges(*detector, cv::Mat(100, 80, CV_8UC3, cv::Scalar::all(9)), 512).size(), cv::Size(80, 100));
    }
};

QTEST_GUILESS_MAIN(TestEdgeDetectors)
#include "TestEdgeDetectors.moc"
