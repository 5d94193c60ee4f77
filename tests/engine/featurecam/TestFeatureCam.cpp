// The three perturbed inputs and the three experiments against hand-computed pixels
// (docs/definitions.md, "Feature CAM"), the variant names, and the top 5.

#include "engine/core/Error.h"
#include "engine/featurecam/FeatureCam.h"

#include <QtTest>

#include <opencv2/core.hpp>

using namespace fcs;

namespace {

cv::Mat map2x2(float a, float b, float c, float d)
{
    return (cv::Mat_<float>(2, 2) << a, b, c, d);
}

void compareMaps(const cv::Mat& actual, const cv::Mat& expected)
{
    QCOMPARE(actual.size(), expected.size());
    QCOMPARE(actual.type(), CV_32F);
    const double difference = cv::norm(actual, expected, cv::NORM_INF);
    QVERIFY2(difference < 1e-6, qPrintable(QString("max |difference| %1").arg(difference)));
}

// G = [[0, 0.6], [0.3, 0.9]], E = [[0.9, 0], [0.3, 0.6]], M = [[1, 0.5], [0, 0.25]].
const cv::Mat kGrey = map2x2(0, 0.6f, 0.3f, 0.9f);
const cv::Mat kEdges = map2x2(0.9f, 0, 0.3f, 0.6f);
const cv::Mat kSaliency = map2x2(1, 0.5f, 0, 0.25f);

} // namespace

Q_DECLARE_METATYPE(fcs::PerturbedInput)
Q_DECLARE_METATYPE(fcs::Experiment)

class TestFeatureCam : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void perturbedInputs_data()
    {
        QTest::addColumn<PerturbedInput>("input");
        QTest::addColumn<cv::Mat>("expected");
        QTest::addRow("I1 = E") << PerturbedInput::I1 << kEdges;
        // (2G + E)/3: (0 + 0.9)/3, (1.2 + 0)/3, (0.6 + 0.3)/3, (1.8 + 0.6)/3
        QTest::addRow("I2 = (2G+E)/3") << PerturbedInput::I2 << map2x2(0.3f, 0.4f, 0.3f, 0.8f);
        // (G + E)/2
        QTest::addRow("I3 = (G+E)/2") << PerturbedInput::I3 << map2x2(0.45f, 0.3f, 0.3f, 0.75f);
    }

    void perturbedInputs()
    {
        QFETCH(PerturbedInput, input);
        QFETCH(cv::Mat, expected);
        compareMaps(perturbedInput(kGrey, kEdges, input), expected);
    }

    void experiments_data()
    {
        // With P = I3 = [[0.45, 0.3], [0.3, 0.75]] and M = [[1, 0.5], [0, 0.25]]:
        QTest::addColumn<Experiment>("experiment");
        QTest::addColumn<double>("k");
        QTest::addColumn<cv::Mat>("expected");
        // X1, k = 0.25: S = [[1.1125, 0.575], [0.075, 0.4375]] -> (S - 0.075) / 1.0375
        QTest::addRow("X1 k=0.25") << Experiment::X1 << 0.25 << map2x2(1, 0.5f / 1.0375f, 0, 0.3625f / 1.0375f);
        // X1, k = 0.5: S = [[1.225, 0.65], [0.15, 0.625]] -> (S - 0.15) / 1.075
        QTest::addRow("X1 k=0.5") << Experiment::X1 << 0.5 << map2x2(1, 0.5f / 1.075f, 0, 0.475f / 1.075f);
        // X1, k = 0: S = M, already in [0,1]
        QTest::addRow("X1 k=0") << Experiment::X1 << 0.0 << kSaliency;
        // X2: S = P∘M = [[0.45, 0.15], [0, 0.1875]] -> / 0.45
        QTest::addRow("X2") << Experiment::X2 << 0.25 << map2x2(1, 0.15f / 0.45f, 0, 0.1875f / 0.45f);
        // X3: S = (1-P)∘M = [[0.55, 0.35], [0, 0.0625]] -> / 0.55
        QTest::addRow("X3") << Experiment::X3 << 0.25 << map2x2(1, 0.35f / 0.55f, 0, 0.0625f / 0.55f);
    }

    void experiments()
    {
        QFETCH(Experiment, experiment);
        QFETCH(double, k);
        QFETCH(cv::Mat, expected);
        const cv::Mat p = perturbedInput(kGrey, kEdges, PerturbedInput::I3);
        compareMaps(combineWithSaliency(p, kSaliency, experiment, k), expected);
    }

    void flatResultIsZeroNotNaN()
    {
        // P = 1 everywhere makes X3's (1 - P)∘M zero: the normalized map is all zeros.
        const cv::Mat ones = cv::Mat::ones(2, 2, CV_32F);
        compareMaps(combineWithSaliency(ones, kSaliency, Experiment::X3, 0.25), cv::Mat::zeros(2, 2, CV_32F));
    }

    void kOutsideItsRangeIsRejected()
    {
        QVERIFY_THROWS_EXCEPTION(Error, combineWithSaliency(kEdges, kSaliency, Experiment::X1, 0.6));
        QVERIFY_THROWS_EXCEPTION(Error, combineWithSaliency(kEdges, kSaliency, Experiment::X1, -0.1));
    }

    void variantNamesAndSets()
    {
        QStringList names;
        for (const auto& variant : allFeatureCamVariants())
            names << QString::fromStdString(variant.name());
        QCOMPARE(names, QStringList({"X1-I1", "X1-I2", "X1-I3", "X2-I1", "X2-I2", "X2-I3", "X3-I1", "X3-I2", "X3-I3"}));
        QStringList top;
        for (const auto& variant : topFiveFeatureCamVariants())
            top << QString::fromStdString(variant.name());
        QCOMPARE(top, QStringList({"X1-I1", "X1-I2", "X1-I3", "X3-I1", "X3-I3"}));
        QVERIFY(parseFeatureCamVariant("X2-I3") == (FeatureCamVariant{Experiment::X2, PerturbedInput::I3}));
        QVERIFY_THROWS_EXCEPTION(Error, parseFeatureCamVariant("X4-I1"));
    }

    void mapsFromAnImageUseItsGreyAndResizedEdges()
    {
        // A 4×4 RGB image of grey 51 (G = 0.2) and a 2×2 edge map of 0.8 resized to 4×4:
        // I2 = (0.4 + 0.8)/3 = 0.4 everywhere; X2 = 0.4·M, normalized = M's normalization.
        const cv::Mat rgb(4, 4, CV_8UC3, cv::Scalar(51, 51, 51));
        const cv::Mat edges(2, 2, CV_32F, cv::Scalar(0.8));
        cv::Mat saliency(4, 4, CV_32F);
        for (int i = 0; i < 16; ++i)
            saliency.at<float>(i / 4, i % 4) = float(i) / 15.0f;
        const auto maps = featureCamMaps(
            rgb, edges, saliency, {{Experiment::X2, PerturbedInput::I2}, {Experiment::X1, PerturbedInput::I1}}, 0.25);
        QCOMPARE(maps.size(), std::size_t(2));
        compareMaps(maps[0], saliency);
        compareMaps(maps[1], saliency); // k·0.8 + M: a constant shift, normalized away
        QCOMPARE(greyIntensity(rgb).at<float>(0, 0), 0.2f);
    }
};

QTEST_GUILESS_MAIN(TestFeatureCam)
#include "TestFeatureCam.moc"
