// The live pipeline: the newest frame always wins (never more than two frames in flight, memory
// flat, over 1,000 frames fed faster than the engine runs); the map follows a demo-model shape
// moving across a generated video (MJPG in AVI); `featurecam-cli live` writes every frame, in a
// file that decodes with the right count and size, and refuses slow methods and missing sources
// with a reason; and, where the shared model is, its frame rate on 640×480 MobileNetV2 frames.

#include "MovingShapeVideo.h"
#include "TestPaths.h"
#include "engine/evaluate/PointingGame.h"
#include "engine/explain/Explainer.h"
#include "engine/io/ImageLoader.h"
#include "engine/live/FrameMailbox.h"
#include "engine/live/LiveExplainer.h"
#include "engine/model/ModelCatalog.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <chrono>
#include <thread>

using namespace fcs;

namespace {

const int kFrames = 60;

double residentMegabytes()
{
    QFile status("/proc/self/status");
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS"))
            return line.mid(line.indexOf(':') + 1).trimmed().split(' ').front().toDouble() / 1024;
    return -1;
}

int runCli(const QStringList& arguments, QString* out, QString* err)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("FEATURECAM_MODEL_PATH", fcs::test::modelsDir());
    process.setProcessEnvironment(env);
    process.start(FCS_CLI_PATH, arguments);
    if (!process.waitForFinished(600000))
        return -1;
    *out = QString::fromUtf8(process.readAllStandardOutput());
    *err = QString::fromUtf8(process.readAllStandardError());
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
}

QByteArray fileBytes(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Frames and size of a video as OpenCV decodes it.
std::pair<int, cv::Size> decodedFrames(const QString& path)
{
    cv::VideoCapture capture(path.toStdString());
    int frames = 0;
    cv::Size size;
    cv::Mat frame;
    while (capture.read(frame)) {
        ++frames;
        size = frame.size();
    }
    return {frames, size};
}

} // namespace

class TestLive : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Explainer> m_demo;
    QString m_video; // the moving shape
    std::vector<cv::Rect> m_boxes; // its box in each frame

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_demo = std::make_unique<Explainer>(findModel({FCS_DEMO_MODEL_DIR}, "featurecam_demo_shapes"));
        m_video = m_dir.filePath("moving.avi");
        m_boxes = test::writeMovingShapeVideo(m_video.toStdString(), kFrames, *m_demo);
        QCOMPARE(int(m_boxes.size()), kFrames);
    }

    void theNewestFrameWins()
    {
        FrameMailbox mailbox;
        const int total = 1000;
        std::thread camera([&mailbox]() {
            for (int i = 0; i < total; ++i) { // ~2,000 frames/s: far faster than the consumer
                mailbox.offer(cv::Mat(480, 640, CV_8UC3, cv::Scalar(i % 256, 0, 0)));
                std::this_thread::sleep_for(std::chrono::microseconds(500));
            }
            mailbox.close();
        });
        double rssAfterWarmUp = -1;
        int shown = 0, lastValue = -1;
        bool inOrder = true;
        while (auto frame = mailbox.take()) {
            const int value = int(frame->at<cv::Vec3b>(0, 0)[0]);
            inOrder = inOrder && (shown == 0 || value != lastValue);
            lastValue = value;
            std::this_thread::sleep_for(std::chrono::milliseconds(5)); // the engine's work
            mailbox.done();
            if (++shown == 20)
                rssAfterWarmUp = residentMegabytes();
        }
        camera.join();
        const double rssAtEnd = residentMegabytes();
        const auto counts = mailbox.counts();
        qInfo("%lld frames offered, %lld explained, %lld dropped; at most %d in flight; resident %.1f -> %.1f MB",
            static_cast<long long>(counts.offered), static_cast<long long>(counts.taken),
            static_cast<long long>(counts.dropped), counts.maxInFlight, rssAfterWarmUp, rssAtEnd);
        QCOMPARE(counts.offered, std::int64_t(total));
        QCOMPARE(counts.taken + counts.dropped, counts.offered);
        QVERIFY(counts.dropped > total / 2); // the engine kept up with a fraction only
        QVERIFY(counts.maxInFlight <= 2);
        QVERIFY(inOrder);
        QVERIFY2(rssAtEnd <= rssAfterWarmUp * 1.05, "memory grew with the frames");
    }

    void theMapFollowsTheMovingShape()
    {
        LiveExplainer live(*m_demo, "gradcam");
        cv::VideoCapture capture(m_video.toStdString());
        int hits = 0, frames = 0;
        cv::Mat bgr, rgb;
        while (capture.read(bgr)) {
            cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
            const LiveFrame frame = live.explainFrame(rgb, 15);
            QCOMPARE(frame.overlay.size(), rgb.size());
            hits += pointingScore(frame.map, {cv::Rect2d(m_boxes[std::size_t(frames)])}, 4).hit;
            ++frames;
        }
        QCOMPARE(frames, kFrames);
        qInfo("the map's peak is within 4 px of the moving shape in %d of %d frames", hits, frames);
        QVERIFY(hits >= frames * 8 / 10);
    }

    void theCliWritesEveryFrame()
    {
        QString out, err;
        const QString written = m_dir.filePath("overlaid.avi");
        QCOMPARE(runCli({"live", m_video, "--model", "featurecam_demo_shapes", "--out", written}, &out, &err), 0);
        QVERIFY2(out.contains(QString("%1 frames in").arg(kFrames)) && out.contains("frames/s"), qPrintable(out + err));
        const auto [frames, size] = decodedFrames(written);
        QCOMPARE(frames, kFrames);
        QCOMPARE(size, cv::Size(64, 64));
        QCOMPARE(runCli({"live", m_video, "--model", "featurecam_demo_shapes", "--frames", "7", "--out", written}, &out,
                     &err),
            0);
        QCOMPARE(decodedFrames(written).first, 7);
    }

    // Issue 25: `live clip.avi --out clip.avi` turned a 400-frame clip into 2 frames. The output
    // is refused when it is the input under any name, and written beside the target and renamed,
    // so a run that fails leaves the target as it was and no partial file behind.
    void theOutputNeverDestroysTheInput()
    {
        QString out, err;
        const QString clip = m_dir.filePath("clip.avi");
        QFile::remove(clip);
        QVERIFY(QFile::copy(m_video, clip));
        const QByteArray original = fileBytes(clip);
        const QString link = m_dir.filePath("link-to-clip.avi");
        QVERIFY(QFile::link(clip, link));
        const QString dotted = m_dir.path() + "/./clip.avi";
        for (const QString& target : {clip, link, dotted}) {
            QCOMPARE(runCli({"live", clip, "--model", "featurecam_demo_shapes", "--out", target}, &out, &err), 1);
            QVERIFY2(err.contains("is the input"), qPrintable(err));
            QCOMPARE(fileBytes(clip), original);
        }

        const QString kept = m_dir.filePath("kept.avi");
        QFile precious(kept);
        QVERIFY(precious.open(QIODevice::WriteOnly));
        precious.write("an earlier recording");
        precious.close();
        const QString empty = m_dir.filePath("no-frames.avi");
        cv::VideoWriter(empty.toStdString(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 15, cv::Size(64, 64))
            .release();
        const int failed = runCli({"live", empty, "--model", "featurecam_demo_shapes", "--out", kept}, &out, &err);
        QVERIFY2(failed == 1, qPrintable(err));
        QCOMPARE(fileBytes(kept), QByteArray("an earlier recording"));
        QCOMPARE(
            runCli({"live", m_video, "--model", "featurecam_demo_shapes", "--frames", "3", "--out", kept}, &out, &err),
            0);
        QCOMPARE(decodedFrames(kept).first, 3);
        QCOMPARE(QDir(m_dir.path()).entryList({".fcs-partial-*"}, QDir::Files | QDir::Hidden), QStringList());
        QCOMPARE(runCli({"live", m_video, "--model", "featurecam_demo_shapes", "--out", m_dir.path()}, &out, &err), 1);
        QVERIFY2(err.contains("is a folder"), qPrintable(err));
    }

    // Issue 25: a damaged video stopped at its first bad frame with exit 0, and a full disk gave
    // "100 frames written" with 6 readable. A source that stops before the frames it declares
    // exits 1 saying so (the frames before it kept); a video the disk did not take is not written.
    void aDamagedSourceOrAFullDiskIsNeverASuccess()
    {
        QString out, err;
        const QByteArray whole = fileBytes(m_video);
        const QString truncated = m_dir.filePath("truncated.avi");
        {
            QFile file(truncated);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(whole.left(whole.size() * 6 / 10));
        }
        const int readable = decodedFrames(truncated).first;
        QVERIFY2(readable > 0 && readable + 1 < kFrames, qPrintable(QString::number(readable)));
        const QString written = m_dir.filePath("from-truncated.avi");
        QCOMPARE(runCli({"live", truncated, "--model", "featurecam_demo_shapes", "--out", written}, &out, &err), 1);
        QVERIFY2(err.contains(QString("stopped after %1 of the %2 frames").arg(readable).arg(kFrames))
                && err.contains("damaged or truncated"),
            qPrintable(err));
        QCOMPARE(decodedFrames(written).first, readable);

        // A full disk: a 16 KiB tmpfs in a mount namespace of the test's own (skipped where the
        // kernel does not let a process make one).
        const QString small = m_dir.filePath("small-disk");
        QVERIFY(QDir().mkpath(small));
        QProcess probe;
        probe.start("unshare", {"-rm", "sh", "-c", "mount -t tmpfs -o size=16k tmpfs \"$0\"", small});
        if (!probe.waitForFinished(30000) || probe.exitStatus() != QProcess::NormalExit || probe.exitCode() != 0)
            QSKIP("this kernel does not let the test mount a small file system (unshare -rm), so a full disk is not "
                  "tried here");
        QProcess full;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("FEATURECAM_MODEL_PATH", fcs::test::modelsDir());
        full.setProcessEnvironment(env);
        full.start("unshare",
            {"-rm", "sh", "-c",
                "mount -t tmpfs -o size=16k tmpfs \"$0\" && exec \"$1\" live \"$2\" --model "
                "featurecam_demo_shapes --out \"$0/out.avi\"",
                small, FCS_CLI_PATH, m_video});
        QVERIFY(full.waitForFinished(300000));
        err = QString::fromUtf8(full.readAllStandardError());
        QCOMPARE(full.exitCode(), 1);
        QVERIFY2(err.contains("reached the disk (is it full?)"), qPrintable(err));
    }

    void slowMethodsAndMissingSourcesSayWhy()
    {
        QString out, err;
        const QString written = m_dir.filePath("x.avi");
        QCOMPARE(runCli({"live", m_video, "--model", "featurecam_demo_shapes", "--method", "smoothgradcampp", "--out",
                            written},
                     &out, &err),
            1);
        QVERIFY2(err.contains("too slow for a live stream"), qPrintable(err));
        QCOMPARE(runCli({"live", "7", "--model", "featurecam_demo_shapes", "--out", written}, &out, &err), 1);
        QVERIFY2(err.contains("no camera with index 7"), qPrintable(err));
        QCOMPARE(runCli({"live", m_dir.filePath("none.avi"), "--out", written}, &out, &err), 1);
        QVERIFY2(err.contains("does not exist"), qPrintable(err));
        QFile text(m_dir.filePath("notes.avi"));
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("not a video at all\n");
        text.close();
        QCOMPARE(
            runCli({"live", text.fileName(), "--model", "featurecam_demo_shapes", "--out", written}, &out, &err), 1);
        QVERIFY2(err.contains("Cannot open"), qPrintable(err));
        QCOMPARE(runCli({"live", m_video, "--model", "featurecam_demo_shapes"}, &out, &err), 2);
    }

    // The rate on 640×480 frames of MobileNetV2 at 2 threads (reported; this machine drifts too
    // much for a bound): a pan across a sample photo.
    void rateOnMobileNetFrames()
    {
        FCS_REQUIRE_SHARED_MODEL("mobilenet_v2_1.0_224");
        FCS_REQUIRE_SAMPLE_DATA();
        const cv::Mat photo = loadImageRgb(fcs::test::samplePhoto("n02099601_golden_retriever.JPEG").toStdString());
        cv::Mat big;
        cv::resize(photo, big, {960, 720});
        const QString pan = m_dir.filePath("pan.avi");
        cv::VideoWriter writer(pan.toStdString(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 25, {640, 480});
        for (int t = 0; t < 90; ++t) {
            cv::Mat bgr;
            cv::cvtColor(big(cv::Rect(t * 320 / 89, t * 240 / 89, 640, 480)), bgr, cv::COLOR_RGB2BGR);
            writer.write(bgr);
        }
        writer.release();
        QString out, err;
        const QString written = m_dir.filePath("pan-out.avi");
        QCOMPARE(
            runCli({"live", pan, "--model", "mobilenet_v2_1.0_224", "--threads", "2", "--out", written}, &out, &err),
            0);
        qInfo("%s", qPrintable(out.trimmed()));
        QCOMPARE(decodedFrames(written), std::make_pair(90, cv::Size(640, 480)));
    }
};

QTEST_GUILESS_MAIN(TestLive)
#include "TestLive.moc"
