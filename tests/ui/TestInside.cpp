// The inside-the-method window on the demo model: it shows the steps of the explain view's
// photo (the weights chart in the engine's order, the channels adding up to the sum before the
// ReLU), walks them with the arrow keys and a lesson's photos with Page Down, presents with F11,
// exports one PDF page per step, and says why for a method it cannot take apart.

#include "TestPaths.h"
#include "engine/demo/ShapeGenerator.h"
#include "ui/MainWindow.h"
#include "ui/inside/InsideView.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace fcs;

class TestInside : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QStringList m_photos;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        fcs::test::isolateWindowSettings(m_dir.filePath("config"), "TestInside");
        ShapeGenerator generator(99);
        std::string list = "file\n";
        for (int i = 0; i < 2; ++i) {
            const auto sample = generator.next();
            cv::Mat bgr;
            cv::cvtColor(sample.rgb, bgr, cv::COLOR_RGB2BGR);
            const QString path = m_dir.filePath(QString("shape%1.png").arg(i));
            QVERIFY(cv::imwrite(path.toStdString(), bgr));
            m_photos << path;
            list += QFileInfo(path).fileName().toStdString() + "\n";
        }
        QFile lesson(m_dir.filePath("lesson.csv"));
        QVERIFY(lesson.open(QIODevice::WriteOnly));
        lesson.write(list.data(), qint64(list.size()));
    }

    void stepsOfTheExplainedPhoto()
    {
        MainWindow window({FCS_DEMO_MODEL_DIR});
        window.resize(1200, 800);
        window.show();
        QVERIFY(window.selectModel("featurecam_demo_shapes"));
        QVERIFY(window.selectMethod("gradcampp"));
        window.openImage(m_photos[0]);
        QTRY_VERIFY_WITH_TIMEOUT(window.lastResult() && !window.lastResult()->explanation.partial, 60000);

        InsideView* inside = window.showInside();
        QTRY_VERIFY_WITH_TIMEOUT(inside->hasSteps(), 60000);
        const auto result = window.lastResult();
        const MethodAnatomy& anatomy = result->anatomy;
        QCOMPARE(anatomy.methodId, std::string("gradcampp"));
        QCOMPARE(anatomy.explainedClass, result->explanation.explainedClass);
        // Features, weights, sum, Grad-CAM++'s alphas, Feature CAM's blend (edges are there), mask.
        QCOMPARE(inside->stepCount(), 6);
        QVERIFY(inside->stepTitle(3).contains("Grad-CAM++"));

        // The chart's bars are the engine's weights, largest first.
        const auto& bars = inside->chartedChannels();
        QCOMPARE(int(bars.size()), int(anatomy.weights.size()));
        for (std::size_t i = 1; i < bars.size(); ++i)
            QVERIFY(anatomy.weights[std::size_t(bars[i - 1])] >= anatomy.weights[std::size_t(bars[i])]);
        // The channels shown add up to the map before the ReLU; the finished map is the one shown.
        cv::Mat sum = cv::Mat::zeros(anatomy.weightedSum.size(), CV_32F);
        for (std::size_t k = 0; k < anatomy.weights.size(); ++k)
            sum += float(anatomy.weights[k]) * anatomy.activations[k];
        QVERIFY(cv::norm(sum, anatomy.weightedSum, cv::NORM_INF) < 1e-4 * std::max(1.0, cv::norm(sum, cv::NORM_INF)));
        QCOMPARE(cv::norm(anatomy.map, result->explanation.methods.front().map, cv::NORM_INF), 0.0);

        const QString shots = qEnvironmentVariable("FCS_SCREENSHOT_DIR"); // to look at what a person sees
        for (int step = 0; !shots.isEmpty() && step < inside->stepCount(); ++step) {
            inside->setStep(step);
            QTest::qWait(50);
            inside->grab().save(QString("%1/inside-step%2.png").arg(shots).arg(step + 1));
        }
        // Keyboard first: arrows walk the steps, F11 presents, Escape ends it.
        inside->activateWindow();
        inside->setStep(0);
        QTest::keyClick(inside, Qt::Key_Right);
        QCOMPARE(inside->currentStep(), 1);
        QTest::keyClick(inside, Qt::Key_Right);
        QTest::keyClick(inside, Qt::Key_Left);
        QCOMPARE(inside->currentStep(), 1);
        QTest::keyClick(inside, Qt::Key_F11);
        QVERIFY(inside->windowState() & Qt::WindowFullScreen);
        QTest::keyClick(inside, Qt::Key_Escape);
        QVERIFY(!(inside->windowState() & Qt::WindowFullScreen));

        // The handout: one page per step.
        QString error;
        const QString pdf = m_dir.filePath("steps.pdf");
        QVERIFY2(inside->exportPdf(pdf, &error), qPrintable(error));
        QFile file(pdf);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QCOMPARE(
            int(bytes.count("/Type /Page\n")) + int(bytes.count("/Type /Page\r")) + int(bytes.count("/Type /Page ")),
            inside->stepCount());
        QCOMPARE(inside->currentStep(), 1); // the export leaves the step shown

        // A lesson: its first photo, then the next with Page Down, each shown with its steps.
        QVERIFY(inside->setLesson(m_dir.filePath("lesson.csv"), &error));
        QTRY_COMPARE_WITH_TIMEOUT(window.imagePath(), m_photos[0], 10000);
        QTest::keyClick(inside, Qt::Key_PageDown);
        QTRY_COMPARE_WITH_TIMEOUT(window.imagePath(), m_photos[1], 10000);
        QTRY_VERIFY_WITH_TIMEOUT(window.lastResult() && window.lastResult()->request.imagePath == m_photos[1]
                && !window.lastResult()->anatomy.methodId.empty(),
            60000);
        QCOMPARE(inside->lessonPosition(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(inside->hasSteps(), 30000);
        inside->setStep(0);
        QTest::keyClick(inside, Qt::Key_Left); // before the first step: the lesson's previous photo
        QTRY_COMPARE_WITH_TIMEOUT(window.imagePath(), m_photos[0], 10000);
        QCOMPARE(inside->lessonPosition(), 0);

        // Smooth Grad-CAM++: Grad-CAM++'s steps on the photo, then its noisy copies and running mean.
        QVERIFY(window.selectMethod("smoothgradcampp"));
        QTRY_VERIFY_WITH_TIMEOUT(window.lastResult() && !window.lastResult()->explanation.partial
                && window.lastResult()->anatomy.methodId == "smoothgradcampp",
            60000);
        QTRY_COMPARE_WITH_TIMEOUT(inside->stepCount(), 7, 10000);
        QVERIFY(inside->stepTitle(4).contains("noisy copies"));
        if (!shots.isEmpty()) {
            inside->setStep(4);
            QTest::qWait(50);
            inside->grab().save(shots + "/inside-smooth.png");
        }
        // The view drew the photo's own Grad-CAM++ map without touching the result's.
        QCOMPARE(cv::norm(window.lastResult()->anatomy.map, window.lastResult()->explanation.methods.front().map,
                     cv::NORM_INF),
            0.0);

        // A method that is not a weighted sum of channels: said, no steps.
        QVERIFY(window.selectMethod("eigencam"));
        QTRY_VERIFY_WITH_TIMEOUT(window.lastResult()
                && window.lastResult()->request.settings.methods.front() == "eigencam"
                && !window.lastResult()->explanation.partial,
            60000);
        QTRY_VERIFY_WITH_TIMEOUT(!inside->hasSteps(), 10000);
        inside->close();
        QTRY_VERIFY(!window.insideView());
    }
};

QTEST_MAIN(TestInside)
#include "TestInside.moc"
