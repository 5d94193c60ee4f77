// Rendering shared by every map: the four colormaps, the overlay on the image, the 16-bit export.

#include "engine/core/Error.h"
#include "engine/render/Colormap.h"

#include <QtTest>

using namespace fcs;

class TestColormap : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jetGoesFromBlueToRed()
    {
        const cv::Mat map = (cv::Mat_<float>(1, 3) << 0, 0.5f, 1);
        const cv::Mat rgb = colorize(map, Colormap::Jet);
        QCOMPARE(rgb.type(), CV_8UC3);
        const auto low = rgb.at<cv::Vec3b>(0, 0), high = rgb.at<cv::Vec3b>(0, 2);
        QVERIFY(low[2] > 100 && low[0] < 10); // dark blue (RGB order)
        QVERIFY(high[0] > 100 && high[2] < 10); // dark red
    }

    void everyColormapIsDistinctAndMonotoneInBrightness_data()
    {
        QTest::addColumn<QString>("name");
        for (const auto& name : colormapNames())
            QTest::addRow("%s", name.c_str()) << QString::fromStdString(name);
    }

    void everyColormapIsDistinctAndMonotoneInBrightness()
    {
        QFETCH(QString, name);
        const Colormap colormap = colormapFromName(name.toStdString());
        const cv::Mat map = (cv::Mat_<float>(1, 2) << 0, 1);
        const cv::Mat rgb = colorize(map, colormap);
        QVERIFY(rgb.at<cv::Vec3b>(0, 0) != rgb.at<cv::Vec3b>(0, 1));
        if (colormap == Colormap::Gray) {
            QCOMPARE(rgb.at<cv::Vec3b>(0, 0), cv::Vec3b(0, 0, 0));
            QCOMPARE(rgb.at<cv::Vec3b>(0, 1), cv::Vec3b(255, 255, 255));
        }
    }

    void unknownColormapIsRejected() { QVERIFY_THROWS_EXCEPTION(Error, colormapFromName("rainbow")); }

    void overlayBlendsByOpacity()
    {
        const cv::Mat image(1, 1, CV_8UC3, cv::Scalar(200, 100, 0));
        const cv::Mat map(1, 1, CV_32F, cv::Scalar(1)); // gray colormap: white
        QCOMPARE(overlay(image, map, Colormap::Gray, 0).at<cv::Vec3b>(0, 0), cv::Vec3b(200, 100, 0));
        QCOMPARE(overlay(image, map, Colormap::Gray, 1).at<cv::Vec3b>(0, 0), cv::Vec3b(255, 255, 255));
        QCOMPARE(overlay(image, map, Colormap::Gray, 0.5).at<cv::Vec3b>(0, 0), cv::Vec3b(228, 178, 128));
    }

    void sixteenBitKeepsPrecision()
    {
        const cv::Mat map = (cv::Mat_<float>(1, 3) << 0, 0.5f, 1);
        const cv::Mat out = toSixteenBit(map);
        QCOMPARE(out.type(), CV_16U);
        QCOMPARE(out.at<ushort>(0, 1), ushort(32768));
        QCOMPARE(out.at<ushort>(0, 2), ushort(65535));
    }
};

QTEST_GUILESS_MAIN(TestColormap)
#include "TestColormap.moc"
