// The mask keeps the keep% most salient pixels: strictly above the (100 - keep)-th percentile
// (docs/definitions.md, "Mask and explanation map").

#include "engine/core/Error.h"
#include "engine/explain/SaliencyMask.h"

#include <QtTest>

#include <opencv2/core.hpp>

using namespace fcs;

namespace {

double keptShare(const cv::Mat& mask)
{
    return cv::countNonZero(mask) / double(mask.total());
}

} // namespace

class TestSaliencyMask : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void percentileInterpolatesLikeNumPy()
    {
        // numpy.percentile([1, 2, 3, 4, 10], q): q=20 -> 1.8, q=50 -> 3, q=90 -> 7.6, q=0 -> 1, q=100 -> 10.
        const cv::Mat map = (cv::Mat_<float>(1, 5) << 4, 10, 1, 3, 2);
        QCOMPARE(percentile(map, 20), 1.8f);
        QCOMPARE(percentile(map, 50), 3.0f);
        QVERIFY(qAbs(percentile(map, 90) - 7.6f) < 1e-5f);
        QCOMPARE(percentile(map, 0), 1.0f);
        QCOMPARE(percentile(map, 100), 10.0f);
    }

    void keepsEightyPercentOfAMapNonZeroAlmostEverywhere()
    {
        cv::Mat map(224, 224, CV_32F);
        cv::RNG rng(1);
        rng.fill(map, cv::RNG::UNIFORM, 0.001, 1.0);
        QVERIFY(qAbs(keptShare(saliencyMask(map, 80)) - 0.80) < 0.01);
        QVERIFY(qAbs(keptShare(saliencyMask(map, 35)) - 0.35) < 0.01);
    }

    void keepsExactlyTheNonZeroPixelsOfAMostlyZeroMap()
    {
        // 30% of the pixels are zero: the 20th percentile is 0, so the mask is map > 0.
        cv::Mat map(100, 100, CV_32F);
        cv::RNG rng(2);
        rng.fill(map, cv::RNG::UNIFORM, 0.01, 1.0);
        map.rowRange(0, 30).setTo(0);
        const cv::Mat mask = saliencyMask(map, 80);
        const cv::Mat nonZero = map > 0;
        QCOMPARE(cv::countNonZero(mask != nonZero), 0);
        QCOMPARE(keptShare(mask), 0.70);
    }

    void allZeroMapGivesEmptyMask() { QCOMPARE(cv::countNonZero(saliencyMask(cv::Mat::zeros(50, 40, CV_32F), 80)), 0); }

    void keepOutsideRangeIsRejected_data()
    {
        QTest::addColumn<double>("keep");
        QTest::addRow("zero") << 0.0;
        QTest::addRow("negative") << -5.0;
        QTest::addRow("above 100") << 100.5;
        QTest::addRow("NaN") << std::numeric_limits<double>::quiet_NaN();
    }

    void keepOutsideRangeIsRejected()
    {
        QFETCH(double, keep);
        QVERIFY_THROWS_EXCEPTION(Error, saliencyMask(cv::Mat::ones(4, 4, CV_32F), keep));
    }

    void explanationBlacksOutTheRest()
    {
        const cv::Mat image(2, 2, CV_8UC3, cv::Scalar(10, 20, 30));
        const cv::Mat mask = (cv::Mat_<uchar>(2, 2) << 255, 0, 0, 255);
        const cv::Mat out = explanationImage(image, mask);
        QCOMPARE(out.at<cv::Vec3b>(0, 0), cv::Vec3b(10, 20, 30));
        QCOMPARE(out.at<cv::Vec3b>(0, 1), cv::Vec3b(0, 0, 0));
        QCOMPARE(out.at<cv::Vec3b>(1, 0), cv::Vec3b(0, 0, 0));
        QCOMPARE(out.at<cv::Vec3b>(1, 1), cv::Vec3b(10, 20, 30));
    }
};

QTEST_GUILESS_MAIN(TestSaliencyMask)
#include "TestSaliencyMask.moc"
