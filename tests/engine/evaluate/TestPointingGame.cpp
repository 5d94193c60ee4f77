// The pointing game: box files read with messages that name the line, boxes brought to the
// model's input exactly as the photo is (checked against fitToInput's own pixels), and the hit
// and energy scores counted by hand on small maps.

#include "engine/core/Error.h"
#include "engine/evaluate/PointingGame.h"

#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

#include <opencv2/imgproc.hpp>

#include <fstream>

using namespace fcs;

namespace {

std::vector<ObjectBox> oneBox(double x0, double y0, double x1, double y1, std::optional<int> classIndex = {})
{
    return {ObjectBox{x0, y0, x1, y1, classIndex, 2}};
}

// The white rectangle's bounds in an image that is black elsewhere (pixels brighter than half).
cv::Rect brightBounds(const cv::Mat& rgb)
{
    cv::Mat grey, bright;
    cv::cvtColor(rgb, grey, cv::COLOR_RGB2GRAY);
    cv::threshold(grey, bright, 127, 255, cv::THRESH_BINARY);
    return cv::boundingRect(bright);
}

} // namespace

class TestPointingGame : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    std::string write(const char* name, const std::string& text)
    {
        const std::string path = m_dir.filePath(name).toStdString();
        std::ofstream(path, std::ios::binary) << text;
        return path;
    }

    void expectBadData(const std::string& csv, const QStringList& mentions)
    {
        try {
            readObjectBoxes(csv);
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::BadData);
            for (const auto& mention : mentions)
                QVERIFY2(QString::fromStdString(e.userMessage()).contains(mention),
                    qPrintable(QString::fromStdString(e.userMessage()) + "\n  should mention: " + mention));
        }
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void hitsAndEnergyCountedByHand()
    {
        // A 10×10 map: 4 at pixel (2,3), 1 on the four pixels (5..6, 5..6), 0 elsewhere.
        cv::Mat map = cv::Mat::zeros(10, 10, CV_32F);
        map.at<float>(3, 2) = 4;
        map(cv::Rect(5, 5, 2, 2)) = 1;
        const std::vector<cv::Rect2d> box = {cv::Rect2d(4, 4, 4, 4)}; // covers x, y in [4, 8)
        // The peak's centre (2.5, 3.5) is 1.5 px left of and 0.5 px above the box: 1.58 px away.
        QVERIFY(!pointingScore(map, box, 1.5).hit);
        QVERIFY(pointingScore(map, box, 1.6).hit);
        QCOMPARE(pointingScore(map, box, 0).energyInside, 4.0 / 8.0); // the four 1s of the 8
        // Inside a box is a hit at zero tolerance; a second box anywhere counts too.
        QVERIFY(pointingScore(map, {cv::Rect2d(0, 0, 4, 4)}, 0).hit);
        QVERIFY(pointingScore(map, {cv::Rect2d(9, 9, 1, 1), cv::Rect2d(2, 3, 1, 1)}, 0).hit);
        // Ties: the first maximum in row order is the peak.
        map.at<float>(9, 9) = 4;
        QVERIFY(pointingScore(map, {cv::Rect2d(2, 3, 1, 1)}, 0).hit);
        QVERIFY(!pointingScore(map, {cv::Rect2d(9, 9, 1, 1)}, 0).hit);
        // A map with nothing positive points nowhere.
        const auto flat = pointingScore(cv::Mat::zeros(10, 10, CV_32F), box, 100);
        QVERIFY(!flat.hit);
        QCOMPARE(flat.energyInside, 0.0);
        QCOMPARE(pointingScore(map, {}, 100).energyInside, 0.0); // no box of this class
    }

    void boxesFollowThePhotoToTheInput_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::addRow("plain, landscape") << int(ResizeMode::Plain) << 400 << 300;
        QTest::addRow("plain, portrait") << int(ResizeMode::Plain) << 300 << 500;
        QTest::addRow("center crop, landscape") << int(ResizeMode::CenterCrop) << 400 << 300;
        QTest::addRow("center crop, portrait") << int(ResizeMode::CenterCrop) << 300 << 500;
    }

    void boxesFollowThePhotoToTheInput()
    {
        // A white box on a black photo, fitted to a 224×224 input by the engine's own resize: the
        // mapped box and the white pixels agree to a pixel (bilinear edges blur by one).
        QFETCH(int, mode);
        QFETCH(int, width);
        QFETCH(int, height);
        cv::Mat photo = cv::Mat::zeros(height, width, CV_8UC3);
        const cv::Rect white(width / 3, height / 3, width / 4, height / 5);
        photo(white).setTo(cv::Scalar::all(255));
        const auto boxes = oneBox(white.x, white.y, white.x + white.width, white.y + white.height); // pixel edges
        const cv::Mat fitted = fitToInput(photo, 224, 224, ResizeMode(mode));
        const auto mapped = boxesAtInput(boxes, 0, photo.size(), {224, 224}, ResizeMode(mode));
        QCOMPARE(mapped.size(), std::size_t(1));
        const cv::Rect seen = brightBounds(fitted);
        QVERIFY2(std::abs(mapped[0].x - seen.x) <= 1 && std::abs(mapped[0].y - seen.y) <= 1
                && std::abs(mapped[0].br().x - seen.br().x) <= 1 && std::abs(mapped[0].br().y - seen.br().y) <= 1,
            qPrintable(QString("mapped %1,%2 %3x%4, seen %5,%6 %7x%8")
                           .arg(mapped[0].x)
                           .arg(mapped[0].y)
                           .arg(mapped[0].width)
                           .arg(mapped[0].height)
                           .arg(seen.x)
                           .arg(seen.y)
                           .arg(seen.width)
                           .arg(seen.height)));
    }

    void boxesOfOtherClassesAndOutsideTheCropAreLeftOut()
    {
        std::vector<ObjectBox> boxes = oneBox(0, 0, 40, 40, 7);
        boxes.push_back(ObjectBox{100, 100, 200, 200, std::nullopt, 3});
        const cv::Size photo(400, 300);
        QCOMPARE(boxesAtInput(boxes, 7, photo, {224, 224}, ResizeMode::Plain).size(), std::size_t(2));
        QCOMPARE(boxesAtInput(boxes, 1, photo, {224, 224}, ResizeMode::Plain).size(), std::size_t(1));
        // The center crop of a 400×300 photo drops its left 68 columns: the first box is outside.
        QCOMPARE(boxesAtInput(boxes, 7, photo, {224, 224}, ResizeMode::CenterCrop).size(), std::size_t(1));
    }

    void boxesInAnotherScaleAreRefused()
    {
        checkBoxesFitThePhoto(oneBox(0, 0, 400, 300), {400, 300}, "photo.jpg"); // the whole photo is fine
        try {
            checkBoxesFitThePhoto(oneBox(100, 100, 600, 450), {400, 300}, "photo.jpg");
            QFAIL("no error");
        } catch (const Error& e) {
            const QString message = QString::fromStdString(e.userMessage());
            QVERIFY2(message.contains("line 2") && message.contains("photo.jpg") && message.contains("400×300")
                    && message.contains("another scale"),
                qPrintable(message));
        }
    }

    void boxFilesAreReadAsSpreadsheetsWriteThem()
    {
        const auto csv = write("boxes.csv",
            "\xEF\xBB\xBF File , X0,y0,x1,y1,class_index\n"
            "a.jpg,10,20,30,40,3\n"
            "\n"
            "a.jpg, 1.5 ,2,3.5,4,\n"
            "dir/b.png,0,0,5,5,0\n");
        const auto boxes = readObjectBoxes(csv);
        QCOMPARE(boxes.size(), std::size_t(2));
        const auto& a = boxes.at("a.jpg");
        QCOMPARE(a.size(), std::size_t(2));
        QCOMPARE(a[0].x0, 10.0);
        QCOMPARE(a[0].y1, 40.0);
        QCOMPARE(a[0].classIndex.value_or(-1), 3);
        QCOMPARE(a[1].x0, 1.5);
        QVERIFY(!a[1].classIndex);
        QCOMPARE(a[1].line, 4);
        QCOMPARE(boxes.at("dir/b.png").front().classIndex.value_or(-1), 0);
    }

    // Issue 25: a box of a class the classifier does not have was never played, silently (the
    // image list refuses the same mistake).
    void boxClassesOutOfRangeNameTheLine()
    {
        const std::string file = write("classes.csv", "file,x0,y0,x1,y1,class_index\na.jpg,1,1,4,4,3\na.jpg,0,0,2,2,4\n");
        std::vector<EvaluationImage> images(1);
        images[0].name = "a.jpg";
        attachBoxes(images, readObjectBoxes(file));
        checkBoxClasses(images, 5, "five", file); // classes 0-4: both fine
        try {
            checkBoxClasses(images, 4, "four", file);
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::BadData);
            const QString message = QString::fromStdString(e.userMessage());
            QVERIFY2(message.contains("Line 3") && message.contains("class_index 4") && message.contains("\"four\" has 4"),
                qPrintable(message));
        }
    }

    // Each image gets the boxes the file names for it; names of no image come back for a warning.
    // The digest follows the boxes, not the file's row order or spacing.
    void boxesAreAttachedToTheirImagesAndDigested()
    {
        const auto boxes = readObjectBoxes(write("attach.csv", "file,x0,y0,x1,y1\na.jpg,1,1,4,4\nz.jpg,0,0,2,2\n"));
        std::vector<EvaluationImage> images(2);
        images[0].name = "a.jpg";
        images[1].name = "b.jpg";
        const auto unknown = attachBoxes(images, boxes);
        QCOMPARE(unknown, std::vector<std::string>{"z.jpg"});
        QVERIFY(images[0].boxes && images[0].boxes->size() == 1);
        QCOMPARE(images[0].boxes->front().x1, 4.0);
        QVERIFY(!images[1].boxes);

        const auto reordered
            = readObjectBoxes(write("reordered.csv", "file,x0,y0,x1,y1\n z.jpg ,0,0,2,2\na.jpg,1,1,4.0,4\n"));
        QCOMPARE(boxesDigest(reordered), boxesDigest(boxes));
        const auto moved = readObjectBoxes(write("moved.csv", "file,x0,y0,x1,y1\na.jpg,1,1,4,5\nz.jpg,0,0,2,2\n"));
        QVERIFY(boxesDigest(moved) != boxesDigest(boxes));
    }

    void brokenBoxFilesNameTheLine()
    {
        expectBadData(write("nocol.csv", "file,x0,y0,x1\na.jpg,1,2,3\n"), {"no `y1` column", "file,x0,y0,x1,y1"});
        expectBadData(
            write("nan.csv", "file,x0,y0,x1,y1\na.jpg,1,2,3,4\nb.jpg,1,two,3,4\n"), {"Line 3", "y0 \"two\"", "number"});
        expectBadData(write("short.csv", "file,x0,y0,x1,y1\na.jpg,1,2,3\n"), {"Line 2", "y1 \"\""});
        expectBadData(write("inverted.csv", "file,x0,y0,x1,y1\na.jpg,5,2,3,4\n"), {"Line 2", "x0 < x1"});
        expectBadData(
            write("class.csv", "file,x0,y0,x1,y1,class_index\na.jpg,1,2,3,4,cat\n"), {"Line 2", "class_index \"cat\""});
        expectBadData(write("nofile.csv", "file,x0,y0,x1,y1\n,1,2,3,4\n"), {"Line 2", "no file name"});
        expectBadData(write("empty.csv", ""), {"empty"});
        try {
            readObjectBoxes(m_dir.filePath("missing.csv").toStdString());
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::ReadFailed);
        }
    }

    // Issue 25: a pipe as the box file hung the reader, /dev/zero grew until the OOM killer.
    void filesThatAreNotFilesAreRefusedAtOnce()
    {
        const std::string fifo = m_dir.filePath("boxes.fifo").toStdString();
        QCOMPARE(mkfifo(fifo.c_str(), 0600), 0);
        for (const std::string& path : {fifo, std::string("/dev/zero"), m_dir.path().toStdString()}) {
            try {
                readObjectBoxes(path);
                QFAIL("no error");
            } catch (const Error& e) {
                QCOMPARE(e.code(), ErrorCode::ReadFailed);
                QVERIFY2(QString::fromStdString(e.userMessage()).contains("not a regular file"), e.userMessage().c_str());
            }
        }
        for (const std::string& path : {fifo, std::string("/dev/zero")}) { // and as an image list
            try {
                readImageSet(path);
                QFAIL("no error");
            } catch (const Error& e) {
                QVERIFY2(QString::fromStdString(e.userMessage()).contains("neither a folder nor a regular file"),
                    e.userMessage().c_str());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestPointingGame)
#include "TestPointingGame.moc"
