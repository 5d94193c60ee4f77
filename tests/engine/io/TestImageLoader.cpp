// Every supported kind of image decodes to 8-bit RGB, and every kind of bad file is a clear
// error naming the file, never a crash.

#include "TestPaths.h"

#include "engine/core/Error.h"
#include "engine/io/ImageLoader.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>

using namespace fcs;

class TestImageLoader : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    std::string path(const char* name) const { return m_dir.filePath(name).toStdString(); }

    void writeBytes(const char* name, const QByteArray& bytes) const
    {
        QFile file(m_dir.filePath(name));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
    }

    // Loading must fail with ImageUnreadable and a message naming the file and containing `why`.
    void expectError(const std::string& file, const QString& why, const ImageLimits& limits = {})
    {
        try {
            loadImageRgb(file, limits);
            QFAIL(qPrintable("no error for " + QString::fromStdString(file)));
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::ImageUnreadable);
            const QString message = QString::fromStdString(e.userMessage());
            QVERIFY2(message.contains(QString::fromStdString(file)), qPrintable(message));
            QVERIFY2(message.contains(why), qPrintable(message));
        }
    }

    // A 4×3 BGR test pattern: pixel (0,0) is pure red in RGB terms.
    static cv::Mat pattern()
    {
        cv::Mat bgr(3, 4, CV_8UC3, cv::Scalar(0, 255, 0));
        bgr.at<cv::Vec3b>(0, 0) = cv::Vec3b(0, 0, 255);
        return bgr;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void decodesLosslessFormatsToRgb_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addRow("png") << "p.png";
        QTest::addRow("bmp") << "p.bmp";
        QTest::addRow("tiff") << "p.tiff";
        QTest::addRow("webp lossless") << "p.webp";
    }

    void decodesLosslessFormatsToRgb()
    {
        QFETCH(QString, name);
        const std::vector<int> params
            = name.endsWith("webp") ? std::vector<int>{cv::IMWRITE_WEBP_QUALITY, 101} : std::vector<int>{};
        QVERIFY(cv::imwrite(path(qPrintable(name)), pattern(), params));
        const cv::Mat rgb = loadImageRgb(path(qPrintable(name)));
        QCOMPARE(rgb.type(), CV_8UC3);
        QCOMPARE(rgb.size(), cv::Size(4, 3));
        QCOMPARE(rgb.at<cv::Vec3b>(0, 0), cv::Vec3b(255, 0, 0));
        QCOMPARE(rgb.at<cv::Vec3b>(1, 1), cv::Vec3b(0, 255, 0));
    }

    void decodesJpeg()
    {
        QVERIFY(cv::imwrite(path("p.jpg"), cv::Mat(16, 16, CV_8UC3, cv::Scalar(0, 0, 200))));
        const cv::Mat rgb = loadImageRgb(path("p.jpg"));
        QCOMPARE(rgb.type(), CV_8UC3);
        QVERIFY(qAbs(rgb.at<cv::Vec3b>(8, 8)[0] - 200) <= 3);
        QVERIFY(rgb.at<cv::Vec3b>(8, 8)[2] <= 3);
    }

    void sixteenBitIsScaledToEightBit()
    {
        cv::Mat gray16(2, 2, CV_16U, cv::Scalar(65535));
        gray16.at<ushort>(0, 0) = 257 * 100;
        QVERIFY(cv::imwrite(path("g16.png"), gray16));
        const cv::Mat rgb = loadImageRgb(path("g16.png"));
        QCOMPARE(rgb.type(), CV_8UC3);
        QCOMPARE(rgb.at<cv::Vec3b>(0, 0), cv::Vec3b(100, 100, 100));
        QCOMPARE(rgb.at<cv::Vec3b>(1, 1), cv::Vec3b(255, 255, 255));
        cv::Mat bgr16(2, 2, CV_16UC3, cv::Scalar(0, 0, 65535));
        QVERIFY(cv::imwrite(path("c16.png"), bgr16));
        QCOMPARE(loadImageRgb(path("c16.png")).at<cv::Vec3b>(0, 0), cv::Vec3b(255, 0, 0));
    }

    void grayIsReplicated()
    {
        QVERIFY(cv::imwrite(path("g.png"), cv::Mat(3, 3, CV_8U, cv::Scalar(77))));
        QCOMPARE(loadImageRgb(path("g.png")).at<cv::Vec3b>(1, 1), cv::Vec3b(77, 77, 77));
    }

    void alphaIsCompositedOverWhite()
    {
        cv::Mat bgra(1, 3, CV_8UC4);
        bgra.at<cv::Vec4b>(0, 0) = cv::Vec4b(0, 0, 255, 255); // opaque red
        bgra.at<cv::Vec4b>(0, 1) = cv::Vec4b(0, 0, 0, 0); // transparent
        bgra.at<cv::Vec4b>(0, 2) = cv::Vec4b(0, 0, 0, 128); // half-transparent black
        QVERIFY(cv::imwrite(path("a.png"), bgra));
        const cv::Mat rgb = loadImageRgb(path("a.png"));
        QCOMPARE(rgb.at<cv::Vec3b>(0, 0), cv::Vec3b(255, 0, 0));
        QCOMPARE(rgb.at<cv::Vec3b>(0, 1), cv::Vec3b(255, 255, 255));
        QVERIFY(qAbs(rgb.at<cv::Vec3b>(0, 2)[0] - 127) <= 1);
    }

    void realPhotoDecodes()
    {
        FCS_REQUIRE_SAMPLE_DATA();
        const cv::Mat rgb = loadImageRgb(test::samplePhoto("n01440764_tench.JPEG").toStdString());
        QCOMPARE(rgb.size(), cv::Size(500, 375));
    }

    void missingFile() { expectError(path("nope.png"), "does not exist"); }

    void folder() { expectError(m_dir.path().toStdString(), "folder"); }

    void zeroByteFile()
    {
        writeBytes("empty.jpg", {});
        expectError(path("empty.jpg"), "empty");
    }

    void textFileNamedPng()
    {
        writeBytes("notes.png", "these are my notes, not a picture\n");
        expectError(path("notes.png"), "not an image");
    }

    void truncatedJpeg()
    {
        cv::Mat noise(64, 64, CV_8UC3);
        cv::randu(noise, 0, 255);
        std::vector<uchar> bytes;
        QVERIFY(cv::imencode(".jpg", noise, bytes));
        writeBytes("cut.jpg", QByteArray(reinterpret_cast<const char*>(bytes.data()), int(bytes.size() / 2)));
        expectError(path("cut.jpg"), "truncated");
    }

    void truncatedPng()
    {
        cv::Mat noise(64, 64, CV_8UC3);
        cv::randu(noise, 0, 255);
        std::vector<uchar> bytes;
        QVERIFY(cv::imencode(".png", noise, bytes));
        writeBytes("cut.png", QByteArray(reinterpret_cast<const char*>(bytes.data()), int(bytes.size() / 2)));
        expectError(path("cut.png"), "corrupt");
    }

    void oversizedImageIsRefusedFromItsHeader()
    {
        // A PNG signature and IHDR claiming 50000×50000: refused before any decoding.
        QByteArray header("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", 16);
        header += QByteArray("\x00\x00\xc3\x50\x00\x00\xc3\x50\x08\x02\x00\x00\x00", 13);
        writeBytes("huge.png", header);
        expectError(path("huge.png"), "megapixels");
    }

    void limitApplies()
    {
        QVERIFY(cv::imwrite(path("big.bmp"), cv::Mat(2000, 1000, CV_8UC3, cv::Scalar(1, 2, 3))));
        ImageLimits limits;
        limits.maxPixels = 1'000'000;
        expectError(path("big.bmp"), "megapixels", limits);
        QCOMPARE(loadImageRgb(path("big.bmp")).rows, 2000);
    }
};

QTEST_GUILESS_MAIN(TestImageLoader)
#include "TestImageLoader.moc"
