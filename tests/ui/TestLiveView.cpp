// The Live tab driven by the keyboard on a generated video of a moving demo shape: frames arrive
// with the overlay and the label, Space pauses (no new frame shows), E sends the frame to the
// Explain view, R records the overlaid stream (a file that decodes with the frames and size
// written); a slow method shows the frames plain and says so; a missing camera says so.

#include "MovingShapeVideo.h"
#include "TestPaths.h"
#include "engine/explain/Explainer.h"
#include "engine/model/ModelCatalog.h"
#include "ui/MainWindow.h"
#include "ui/live/LiveView.h"

#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/videoio.hpp>

using namespace fcs;

class TestLiveView : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_video;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        fcs::test::isolateWindowSettings(m_dir.filePath("config"), "TestLiveView");
        Explainer demo(findModel({FCS_DEMO_MODEL_DIR}, "featurecam_demo_shapes"));
        m_video = m_dir.filePath("moving.avi");
        QCOMPARE(int(test::writeMovingShapeVideo(m_video.toStdString(), 90, demo).size()), 90); // 6 s at 15 fps
    }

    void pauseExplainAndRecordFromTheKeyboard()
    {
        MainWindow window({FCS_DEMO_MODEL_DIR});
        window.resize(1200, 800);
        window.show();
        QVERIFY(window.selectModel("featurecam_demo_shapes"));
        LiveView* live = window.liveView();
        live->setRecordFolder(m_dir.filePath("recordings"));
        QVERIFY(window.openLive(m_video));
        QTRY_VERIFY_WITH_TIMEOUT(live->framesShown() >= 5, 20000);
        QCOMPARE(live->shownPicture().size(), QSize(64, 64));

        if (const QString shots = qEnvironmentVariable("FCS_SCREENSHOT_DIR"); !shots.isEmpty())
            window.grab().save(shots + "/live.png"); // to look at what a person sees
        QTest::keyClick(live, Qt::Key_Space);
        QVERIFY(live->isPaused());
        QTest::qWait(300); // the frame in the engine may still arrive
        const int whilePaused = live->framesShown();
        QTest::qWait(500);
        QCOMPARE(live->framesShown(), whilePaused);

        QTest::keyClick(live, Qt::Key_E);
        QTRY_VERIFY_WITH_TIMEOUT(window.imagePath().endsWith(".png"), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(window.lastResult() && !window.lastResult()->explanation.partial
                && window.lastResult()->request.imagePath == window.imagePath(),
            30000);
        QCOMPARE(window.lastResult()->original.size(), cv::Size(64, 64));

        window.openLive(m_video); // back to the Live tab, from the start
        QTRY_VERIFY_WITH_TIMEOUT(live->framesShown() >= 3, 20000);
        QTest::keyClick(live, Qt::Key_R);
        QVERIFY(live->isRecording());
        QTRY_VERIFY_WITH_TIMEOUT(live->recordedFrames() >= 20, 20000);
        QTest::keyClick(live, Qt::Key_R);
        QVERIFY(!live->isRecording());
        const int recorded = live->recordedFrames();
        cv::VideoCapture capture(live->recordingPath().toStdString());
        int decoded = 0;
        cv::Mat frame;
        while (capture.read(frame)) {
            ++decoded;
            QCOMPARE(frame.size(), cv::Size(64, 64));
        }
        QCOMPARE(decoded, recorded);
        const auto counts = live->counts();
        QVERIFY(counts.maxInFlight <= 2);

        // Another method in the window: the running stream follows it at once.
        QVERIFY(window.selectMethod("smoothgradcampp"));
        const int before = live->framesShown();
        QTRY_VERIFY_WITH_TIMEOUT(live->framesShown() > before + 2, 20000);
        bool said = false;
        for (auto* label : live->findChildren<QLabel*>()) // (selecting a method shows the Explain tab)
            said = said || (!label->isHidden() && label->text().contains("too slow for a live stream"));
        QVERIFY(said);
        live->stop();
    }

    void slowMethodsAndMissingCamerasSayWhy()
    {
        MainWindow window({FCS_DEMO_MODEL_DIR});
        window.show();
        QVERIFY(window.selectModel("featurecam_demo_shapes"));
        QVERIFY(window.selectMethod("scorecam"));
        LiveView* live = window.liveView();
        QVERIFY(window.openLive(m_video));
        QTRY_VERIFY_WITH_TIMEOUT(live->framesShown() >= 3, 20000);
        bool said = false;
        for (auto* label : live->findChildren<QLabel*>())
            said = said || (label->isVisible() && label->text().contains("too slow for a live stream"));
        QVERIFY(said);
        live->stop();

        QVERIFY(!window.openLive("9"));
        QVERIFY2(window.errorMessage().contains("no camera with index 9"), qPrintable(window.errorMessage()));
    }

    // Issue 25: a damaged video ended as if it were over. The view says where it stopped.
    void aDamagedVideoSaysWhereItStopped()
    {
        QFile whole(m_video);
        QVERIFY(whole.open(QIODevice::ReadOnly));
        const QByteArray bytes = whole.readAll();
        const QString truncated = m_dir.filePath("truncated.avi");
        QFile cut(truncated);
        QVERIFY(cut.open(QIODevice::WriteOnly));
        cut.write(bytes.left(bytes.size() / 4));
        cut.close();
        MainWindow window({FCS_DEMO_MODEL_DIR});
        window.show();
        QVERIFY(window.selectModel("featurecam_demo_shapes"));
        LiveView* live = window.liveView();
        QSignalSpy errors(live, &LiveView::errorShown);
        QVERIFY(window.openLive(truncated));
        QTRY_VERIFY_WITH_TIMEOUT(!errors.isEmpty(), 30000);
        const QString message = errors.front().front().toString();
        QVERIFY2(message.contains("of the 90 frames it declares") && message.contains("damaged or truncated"),
            qPrintable(message));
        live->stop();
    }
};

QTEST_MAIN(TestLiveView)
#include "TestLiveView.moc"
