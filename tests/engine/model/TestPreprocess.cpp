// The center crop samples only its window: the same pixels as scaling the whole image and
// cropping it (the textbook definition, computed here), at input-size memory on any shape.

#include "engine/model/Preprocess.h"

#include <QtTest>

#include <opencv2/imgproc.hpp>

#include <sys/resource.h>

using namespace fcs;

namespace {

// Scale the shorter side to input / 0.875, then cut the central window: what torchvision's
// Resize(256) + CenterCrop(224) does, done the expensive way.
cv::Mat cropByScalingEverything(const cv::Mat& rgb, int height, int width)
{
    const double scale = std::max(height, width) / 0.875 / std::min(rgb.rows, rgb.cols);
    const int scaledW = std::max(width, int(std::lround(rgb.cols * scale)));
    const int scaledH = std::max(height, int(std::lround(rgb.rows * scale)));
    cv::Mat scaled;
    cv::resize(rgb, scaled, cv::Size(scaledW, scaledH), 0, 0, cv::INTER_LINEAR);
    return scaled(cv::Rect((scaledW - width) / 2, (scaledH - height) / 2, width, height)).clone();
}

long peakResidentKilobytes()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

} // namespace

class TestPreprocess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void centerCropMatchesScaleThenCrop_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addRow("landscape 375x500") << 375 << 500;
        QTest::addRow("portrait 640x427") << 640 << 427;
        QTest::addRow("small 100x120 (upscaled)") << 100 << 120;
    }
    void centerCropMatchesScaleThenCrop()
    {
        QFETCH(int, rows);
        QFETCH(int, cols);
        cv::Mat photo(rows, cols, CV_8UC3);
        cv::randu(photo, 0, 256);
        cv::GaussianBlur(photo, photo, cv::Size(5, 5), 1.5); // photo-like, not white noise
        const cv::Mat ours = fitToInput(photo, 224, 224, ResizeMode::CenterCrop);
        const cv::Mat reference = cropByScalingEverything(photo, 224, 224);
        QCOMPARE(ours.size(), cv::Size(224, 224));
        double maxDifference = 0;
        cv::Mat diff;
        cv::absdiff(ours, reference, diff);
        cv::minMaxLoc(diff.reshape(1), nullptr, &maxDifference);
        // Fixed-point interpolation: warpAffine and resize round differently, by a level or two.
        QVERIFY2(maxDifference <= 2, qPrintable(QString::number(maxDifference)));
        QVERIFY(cv::mean(diff)[0] < 0.5);
    }

    void extremeAspectRatioCostsNoMemory()
    {
        const long before = peakResidentKilobytes();
        const cv::Mat strip(1, 20000, CV_8UC3, cv::Scalar(10, 20, 30));
        const cv::Mat out = fitToInput(strip, 224, 224, ResizeMode::CenterCrop);
        QCOMPARE(out.size(), cv::Size(224, 224));
        QCOMPARE(out.at<cv::Vec3b>(100, 100), cv::Vec3b(10, 20, 30));
        // Scaling the whole strip first would take 20000·256 × 256 × 3 bytes = 3.9 GB.
        QVERIFY2(
            peakResidentKilobytes() - before < 50'000, qPrintable(QString::number(peakResidentKilobytes() - before)));
    }
};

QTEST_GUILESS_MAIN(TestPreprocess)
#include "TestPreprocess.moc"
