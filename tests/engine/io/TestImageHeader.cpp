// Images as the user sees them: EXIF orientation applied for all eight values (JPEG, PNG,
// TIFF), files with data after the JPEG end marker accepted, and sizes read from every
// supported format's header so that a huge declared image is refused before decoding.

#include "engine/core/Error.h"
#include "engine/io/ImageHeader.h"
#include "engine/io/ImageLoader.h"

#include "ImageFixtures.h"

#include <QtTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace fcs;
using namespace fcs::test;

namespace {

std::uint32_t crc32(const unsigned char* data, std::size_t n)
{
    std::uint32_t crc = 0xFFFFFFFFu;
    for (std::size_t i = 0; i < n; ++i) {
        crc ^= data[i];
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

// An eXIf chunk (with a valid CRC, or libpng drops it) right after IHDR.
Bytes pngWithOrientation(const cv::Mat& bgr, int orientation)
{
    Bytes png = encode(".png", bgr);
    const Bytes tiff = exifTiff(orientation);
    Bytes chunk;
    put32be(chunk, std::uint32_t(tiff.size()));
    const std::size_t typeAt = chunk.size();
    chunk.insert(chunk.end(), {'e', 'X', 'I', 'f'});
    chunk.insert(chunk.end(), tiff.begin(), tiff.end());
    put32be(chunk, crc32(chunk.data() + typeAt, chunk.size() - typeAt));
    png.insert(png.begin() + 33, chunk.begin(), chunk.end()); // signature 8 + IHDR 25
    return png;
}

// An uncompressed little-endian RGB TIFF, one strip, with an Orientation tag.
Bytes tiffWithOrientation(const cv::Mat& bgr, int orientation)
{
    const std::uint32_t pixelBytes = std::uint32_t(bgr.total() * 3);
    Bytes t = {'I', 'I', 42, 0};
    put32le(t, 8);
    const auto entry = [&t](unsigned tag, unsigned type, std::uint32_t count, std::uint32_t value) {
        t.insert(t.end(), {uchar(tag), uchar(tag >> 8), uchar(type), 0});
        put32le(t, count);
        put32le(t, value); // a SHORT sits in the low bytes, as little-endian wants
    };
    const std::uint32_t bitsAt = 8 + 2 + 11 * 12 + 4, dataAt = bitsAt + 6;
    t.insert(t.end(), {11, 0});
    entry(256, 4, 1, std::uint32_t(bgr.cols));
    entry(257, 4, 1, std::uint32_t(bgr.rows));
    entry(258, 3, 3, bitsAt);
    entry(259, 3, 1, 1); // no compression
    entry(262, 3, 1, 2); // RGB
    entry(273, 4, 1, dataAt);
    entry(274, 3, 1, std::uint32_t(orientation));
    entry(277, 3, 1, 3);
    entry(278, 4, 1, std::uint32_t(bgr.rows));
    entry(279, 4, 1, pixelBytes);
    entry(284, 3, 1, 1); // chunky
    put32le(t, 0);
    t.insert(t.end(), {8, 0, 8, 0, 8, 0});
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    t.insert(t.end(), rgb.data, rgb.data + pixelBytes);
    return t;
}

// A 64×32 stored image in four solid quadrants, so JPEG's loss cannot confuse the corners.
const cv::Vec3b kRed(255, 0, 0), kGreen(0, 255, 0), kBlue(0, 0, 255), kWhite(255, 255, 255);

cv::Mat storedQuadrantsBgr()
{
    cv::Mat rgb(32, 64, CV_8UC3);
    rgb(cv::Rect(0, 0, 32, 16)).setTo(cv::Scalar(kRed[0], kRed[1], kRed[2])); // top-left
    rgb(cv::Rect(32, 0, 32, 16)).setTo(cv::Scalar(kGreen[0], kGreen[1], kGreen[2])); // top-right
    rgb(cv::Rect(0, 16, 32, 16)).setTo(cv::Scalar(kBlue[0], kBlue[1], kBlue[2])); // bottom-left
    rgb(cv::Rect(32, 16, 32, 16)).setTo(cv::Scalar(kWhite[0], kWhite[1], kWhite[2])); // bottom-right
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    return bgr;
}

bool near(const cv::Vec3b& a, const cv::Vec3b& b)
{
    return std::abs(a[0] - b[0]) <= 8 && std::abs(a[1] - b[1]) <= 8 && std::abs(a[2] - b[2]) <= 8;
}

} // namespace

class TestImageHeader : public QObject
{
    Q_OBJECT

    // The displayed corners, per the EXIF 2.3 table (orientation_data): where the stored top-left
    // (red) and stored top-right (green) quadrants are seen, and whether width and height swap.
    static cv::Vec3b corner(const cv::Mat& rgb, const QString& which)
    {
        const int x = which.endsWith('L') ? 2 : rgb.cols - 3;
        const int y = which.startsWith('T') ? 2 : rgb.rows - 3;
        return rgb.at<cv::Vec3b>(y, x);
    }

    static void checkDisplayed(const cv::Mat& rgb, int orientation, const QString& red, const QString& green)
    {
        const bool swapped = orientation >= 5;
        QCOMPARE(rgb.size(), swapped ? cv::Size(32, 64) : cv::Size(64, 32));
        QVERIFY2(near(corner(rgb, red), kRed), qPrintable("red not at " + red));
        QVERIFY2(near(corner(rgb, green), kGreen), qPrintable("green not at " + green));
    }

private Q_SLOTS:
    // Every orientation in every container that carries one: JPEG's APP1, PNG's eXIf and TIFF's
    // own IFD (whose decoder orients by itself: it must not be turned twice).
    void orientation_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<int>("orientation");
        QTest::addColumn<QString>("redCorner");
        QTest::addColumn<QString>("greenCorner");
        const std::pair<const char*, std::pair<const char*, const char*>> corners[]
            = {{"1 top-left", {"TL", "TR"}}, {"2 mirrored", {"TR", "TL"}}, {"3 rotated 180", {"BR", "BL"}},
                {"4 flipped", {"BL", "BR"}}, {"5 transposed", {"TL", "BL"}}, {"6 rotated 90 cw", {"TR", "BR"}},
                {"7 transverse", {"BR", "TR"}}, {"8 rotated 90 ccw", {"BL", "TL"}}};
        for (const char* format : {"jpeg", "png", "tiff"})
            for (int i = 0; i < 8; ++i)
                QTest::addRow("%s %s", format, corners[i].first)
                    << QString(format) << i + 1 << corners[i].second.first << corners[i].second.second;
    }
    void orientation()
    {
        QFETCH(QString, format);
        QFETCH(int, orientation);
        QFETCH(QString, redCorner);
        QFETCH(QString, greenCorner);
        const cv::Mat stored = storedQuadrantsBgr();
        const Bytes bytes = format == "jpeg" ? jpegWithOrientation(stored, orientation)
            : format == "png"                ? pngWithOrientation(stored, orientation)
                                             : tiffWithOrientation(stored, orientation);
        const ImageHeader header = readImageHeader(bytes);
        QCOMPARE(header.width, 64);
        QCOMPARE(header.height, 32);
        QCOMPARE(header.orientation, orientation);
        checkDisplayed(decodeImageRgb(bytes, "photo." + format.toStdString()), orientation, redCorner, greenCorner);
    }

    void webpOrientation()
    {
        // An extended WebP: VP8X (EXIF flag, canvas size), the lossless image, then an EXIF chunk.
        const Bytes simple = encode(".webp", storedQuadrantsBgr()); // lossless: no quality given
        QVERIFY(simple.size() > 20 && std::equal(simple.begin() + 12, simple.begin() + 16, "VP8L"));
        Bytes webp
            = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'X', 10, 0, 0, 0, 0x08, 0, 0, 0};
        const auto put24 = [&webp](unsigned v) { webp.insert(webp.end(), {uchar(v), uchar(v >> 8), uchar(v >> 16)}); };
        put24(64 - 1);
        put24(32 - 1);
        webp.insert(webp.end(), simple.begin() + 12, simple.end()); // the VP8L chunk as encoded
        const Bytes tiff = exifTiff(6);
        webp.insert(webp.end(), {'E', 'X', 'I', 'F'});
        put32le(webp, std::uint32_t(tiff.size()));
        webp.insert(webp.end(), tiff.begin(), tiff.end());
        if (tiff.size() % 2)
            webp.push_back(0);
        const std::uint32_t riffSize = std::uint32_t(webp.size() - 8);
        for (int i = 0; i < 4; ++i)
            webp[std::size_t(4 + i)] = uchar(riffSize >> (8 * i));
        QCOMPARE(readImageHeader(webp).orientation, 6);
        checkDisplayed(decodeImageRgb(webp, "phone.webp"), 6, "TR", "BR");
    }

    void invalidOrientationIsIgnored()
    {
        const Bytes jpeg = jpegWithOrientation(storedQuadrantsBgr(), 9);
        QCOMPARE(readImageHeader(jpeg).orientation, 1);
        checkDisplayed(decodeImageRgb(jpeg, "odd.jpg"), 1, "TL", "TR");
    }

    void jpegWithTrailingDataIsAccepted()
    {
        // A "motion photo": a complete JPEG followed by megabytes of video.
        Bytes jpeg = encode(".jpg", storedQuadrantsBgr());
        Bytes trailer(3'000'000, 0);
        for (std::size_t i = 0; i < trailer.size(); ++i)
            trailer[i] = uchar((i * 2654435761u) >> 24);
        jpeg.insert(jpeg.end(), trailer.begin(), trailer.end());
        QVERIFY(readImageHeader(jpeg).jpegComplete);
        checkDisplayed(decodeImageRgb(jpeg, "motion.jpg"), 1, "TL", "TR");
    }

    void jpegCutInsideItsScanIsTruncated()
    {
        cv::Mat noise(64, 64, CV_8UC3);
        cv::randu(noise, 0, 255);
        Bytes jpeg = encode(".jpg", noise);
        jpeg.resize(jpeg.size() * 3 / 4);
        QVERIFY(!readImageHeader(jpeg).jpegComplete);
        try {
            decodeImageRgb(jpeg, "cut.jpg");
            QFAIL("a truncated JPEG was accepted");
        } catch (const Error& e) {
            QVERIFY(QString::fromStdString(e.userMessage()).contains("truncated"));
        }
    }

    void sizesFromEveryFormatsHeader_data()
    {
        QTest::addColumn<QString>("ext");
        for (const char* ext : {".jpg", ".png", ".bmp", ".tiff", ".webp", ".ppm"})
            QTest::addRow("%s", ext) << QString(ext);
    }
    void sizesFromEveryFormatsHeader()
    {
        QFETCH(QString, ext);
        const ImageHeader header = readImageHeader(encode(qPrintable(ext), cv::Mat(37, 53, CV_8UC3, cv::Scalar(9))));
        QCOMPARE(header.width, 53);
        QCOMPARE(header.height, 37);
    }

    void hugeDeclaredSizesAreRefusedBeforeDecoding_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        Bytes tiff = {'I', 'I', 42, 0};
        put32le(tiff, 8);
        tiff.insert(tiff.end(), {2, 0}); // two entries: width, height = 100000 (LONG)
        for (unsigned tag : {256u, 257u}) {
            tiff.insert(tiff.end(), {uchar(tag & 0xFF), uchar(tag >> 8), 4, 0, 1, 0, 0, 0});
            put32le(tiff, 100000);
        }
        put32le(tiff, 0);
        QTest::addRow("tiff 100000x100000") << QByteArray(reinterpret_cast<const char*>(tiff.data()), int(tiff.size()));

        Bytes vp8x = {'R', 'I', 'F', 'F', 30, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'X', 10, 0, 0, 0};
        vp8x.insert(vp8x.end(), {0, 0, 0, 0, 0xFF, 0x3F, 0, 0xFF, 0x3F, 0}); // 16384 × 16384 canvas
        QTest::addRow("webp vp8x 16384x16384")
            << QByteArray(reinterpret_cast<const char*>(vp8x.data()), int(vp8x.size()));

        Bytes vp8l = {'R', 'I', 'F', 'F', 26, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'L', 5, 0, 0, 0, 0x2F};
        put32le(vp8l, 0x3FFF | (0x3FFFu << 14)); // 16384 × 16384
        QTest::addRow("webp vp8l 16384x16384")
            << QByteArray(reinterpret_cast<const char*>(vp8l.data()), int(vp8l.size()));

        Bytes sof = {0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 8, 0xFF, 0xFF, 0xFF, 0xFF, 1, 1, 0x11, 0, 0xFF, 0xD9};
        QTest::addRow("jpeg 65535x65535") << QByteArray(reinterpret_cast<const char*>(sof.data()), int(sof.size()));
    }
    void hugeDeclaredSizesAreRefusedBeforeDecoding()
    {
        QFETCH(QByteArray, bytes);
        const Bytes data(bytes.begin(), bytes.end());
        try {
            decodeImageRgb(data, "huge");
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(QString::fromStdString(e.userMessage()).contains("megapixels"), e.userMessage().c_str());
        }
    }

    void unsupportedFormatsAreRefusedByName_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("why");
        QTest::addRow("pfm") << QByteArray("PF\n2 2\n-1.0\n0123456789ab") << "not an image in a supported format";
        QTest::addRow("bigtiff") << QByteArray("II+\0\x08\0\0\0", 8) << "BigTIFF";
        QTest::addRow("png without IHDR") << QByteArray("\x89PNG\r\n\x1a\n", 8) << "header is truncated";
        QTest::addRow("bmp zero width") << QByteArray("BM" + QByteArray(52, '\0')) << "header is truncated";
    }
    void bytesThatWouldReachGdalAreRefused()
    {
        // A WebP that libwebp rejects, with GDAL's DTED signature at byte 140 (found by fuzzing).
        cv::Mat noise(30, 40, CV_8UC3);
        cv::randu(noise, 0, 256);
        Bytes webp = encode(".webp", noise);
        QVERIFY(webp.size() > 144);
        webp[16] ^= 0xFF; // the VP8 chunk's size: libwebp now refuses the header
        std::copy_n("DTED", 4, webp.begin() + 140);
        try {
            decodeImageRgb(webp, "odd.webp");
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(QString::fromStdString(e.userMessage()).contains("corrupt"), e.userMessage().c_str());
        }
    }

    void unsupportedFormatsAreRefusedByName()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, why);
        try {
            decodeImageRgb(Bytes(bytes.begin(), bytes.end()), "odd");
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(QString::fromStdString(e.userMessage()).contains(why), e.userMessage().c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestImageHeader)
#include "TestImageHeader.moc"
