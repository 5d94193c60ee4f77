#include "CliSupport.h"
#include "Commands.h"
#include "engine/catalog/Defaults.h"
#include "engine/catalog/MethodCatalog.h"
#include "engine/core/Error.h"
#include "engine/core/Stopwatch.h"
#include "engine/explain/Explainer.h"
#include "engine/io/SameFile.h"
#include "engine/io/Utf8Name.h"
#include "engine/io/VideoFileWriter.h"
#include "engine/live/FrameMailbox.h"
#include "engine/live/LiveExplainer.h"

#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <QFileInfo>
#include <QRegularExpression>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <thread>

namespace fcs::cli {
namespace {

constexpr int kDefaultCameraFrames = 300;
constexpr double kFallbackFramesPerSecond = 15;

std::string presentCameras()
{
    // Probing an index with no camera makes OpenCV's backends print warnings: quiet while asking.
    const auto level = cv::utils::logging::getLogLevel();
    cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
    std::string present;
    for (int index = 0; index < 10; ++index)
        if (cv::VideoCapture(index).isOpened())
            present += (present.empty() ? "" : ", ") + std::to_string(index);
    cv::utils::logging::setLogLevel(level);
    return present.empty() ? "none" : present;
}

cv::VideoCapture openSource(const QString& source, bool* camera)
{
    *camera = QRegularExpression("^\\d{1,3}$").match(source).hasMatch();
    if (*camera) {
        cv::VideoCapture capture(source.toInt());
        if (!capture.isOpened())
            throw Error(ErrorCode::ReadFailed,
                "There is no camera with index " + source.toStdString() + " (cameras present: " + presentCameras()
                    + "). Give a video file instead.");
        return capture;
    }
    if (!QFileInfo(source).isFile())
        throw Error(ErrorCode::ReadFailed,
            "The video \"" + source.toStdString() + "\" does not exist." + lostBytesHint(source.toStdString()));
    cv::VideoCapture capture(source.toStdString());
    if (!capture.isOpened())
        throw Error(ErrorCode::BadData,
            "Cannot open \"" + source.toStdString() + "\" as a video: it is not a format this OpenCV can decode.");
    return capture;
}

// The overlays, converted for the video file (which takes BGR).
class OverlayWriter
{
public:
    OverlayWriter(const std::string& path, double framesPerSecond)
        : m_video(path, framesPerSecond)
    {
    }

    void write(const cv::Mat& rgb)
    {
        cv::Mat bgr;
        cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
        m_video.write(bgr);
    }
    void finish() { m_video.finish(); }
    int frames() const { return m_video.frames(); }

private:
    VideoFileWriter m_video;
};

cv::Mat rgbOf(const cv::Mat& bgr)
{
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, bgr.channels() == 1 ? cv::COLOR_GRAY2RGB : cv::COLOR_BGR2RGB);
    return rgb;
}

} // namespace

int runLive(const QStringList& arguments)
{
    CommandLine line("live", "VIDEO|CAMERA_INDEX",
        "Explain every frame of a video (or a camera's stream) with a fast CAM method and write the overlaid "
        "stream, each frame with its top-1 label, to OUT (Motion JPEG in AVI); prints the frame rate achieved.\nFrom "
        "a camera the newest frame always wins: frames the engine cannot keep up with are dropped, never queued.");
    line.addModelOptions();
    line.addOnnxSidecarOptions();
    line.parser().addOptions({
        {"method", "One of the methods fast enough for a stream (default gradcam).", "M"},
        {"out", "The overlaid video to write (required), e.g. out.avi.", "FILE"},
        {"frames",
            "Stop after N frames (default: the whole video; " + QString::number(kDefaultCameraFrames)
                + " from a camera).",
            "N"},
    });
    if (!line.parse(arguments))
        return kExitOk;
    const QStringList sources = line.parser().positionalArguments();
    if (sources.size() != 1)
        throw UsageError("Give one video file or camera index.");
    if (!line.isSet("out"))
        throw UsageError("--out is required.");
    const std::string method = line.isSet("method") ? line.value("method").toStdString() : defaults::kMethod;
    if (!findMethod(method))
        throw UsageError("Unknown method \"" + method + "\": use " + methodIdList() + ".");
    const int frameLimit = line.intValue("frames", 0, 1, 10'000'000);

    bool camera = false;
    cv::VideoCapture capture = openSource(sources.front(), &camera);
    if (!camera) // the output is written beside the target and renamed, but never over the video being read
        refuseOutputOverInput(line.value("out").toStdString(), sources.front().toStdString());
    if (QFileInfo(line.value("out")).isDir()) // found before the frames are explained, not after
        throw Error(ErrorCode::InvalidArgument,
            "--out \"" + line.value("out").toStdString() + "\" is a folder: give the video's file name, e.g. "
                + (line.value("out") + "/live.avi").toStdString() + ".");
    line.applyThreads();
    const auto loaded = line.loadExplainer();
    Explainer& explainer = *loaded;
    LiveExplainer live(explainer, method);
    const double sourceRate = capture.get(cv::CAP_PROP_FPS);
    OverlayWriter writer(line.value("out").toStdString(), sourceRate > 0 ? sourceRate : kFallbackFramesPerSecond);

    const Stopwatch clock;
    double engineSeconds = 0;
    double shownRate = -1;
    const auto explainAndWrite = [&](const cv::Mat& bgr) {
        const LiveFrame frame = live.explainFrame(rgbOf(bgr), shownRate);
        engineSeconds += frame.seconds;
        writer.write(frame.overlay);
        shownRate = writer.frames() / std::max(1e-9, clock.seconds());
    };
    MailboxCounts counts;
    if (!camera) { // a file: every frame, in order
        cv::Mat bgr;
        while ((frameLimit == 0 || writer.frames() < frameLimit) && capture.read(bgr))
            explainAndWrite(bgr);
    } else { // a camera: read on a thread of its own; the newest frame wins
        FrameMailbox mailbox;
        std::atomic<bool> stop{false};
        std::thread reader([&]() {
            cv::Mat bgr;
            while (!stop && capture.read(bgr))
                mailbox.offer(bgr.clone());
            mailbox.close();
        });
        const int limit = frameLimit > 0 ? frameLimit : kDefaultCameraFrames;
        while (writer.frames() < limit) {
            auto frame = mailbox.take();
            if (!frame)
                break;
            explainAndWrite(*frame);
            mailbox.done();
        }
        stop = true;
        mailbox.close();
        reader.join();
        counts = mailbox.counts();
    }
    if (writer.frames() == 0)
        throw Error(ErrorCode::BadData, "\"" + sources.front().toStdString() + "\" gave no frame to explain.");
    // A file that stops reading before the frames its header declares is damaged or truncated: what
    // was explained is kept, and the exit says the output is partial. (One frame of slack: some
    // containers round their count.)
    const double declared = camera ? 0 : capture.get(cv::CAP_PROP_FRAME_COUNT);
    const bool stoppedEarly
        = (frameLimit == 0 || writer.frames() < frameLimit) && declared > 0 && writer.frames() + 1 < declared;
    writer.finish();
    const double seconds = clock.seconds();
    std::printf("%d frames in %.2f s = %.1f frames/s (%s; the engine %.1f ms a frame); written to %s\n",
        writer.frames(), seconds, writer.frames() / seconds, requireMethod(method).displayName.c_str(),
        1000 * engineSeconds / writer.frames(), line.value("out").toStdString().c_str());
    if (camera)
        std::printf("camera: %lld frames, %lld dropped (%.0f%%) so that the newest frame always wins\n",
            static_cast<long long>(counts.offered), static_cast<long long>(counts.dropped),
            counts.offered ? 100.0 * counts.dropped / counts.offered : 0.0);
    if (stoppedEarly)
        throw Error(ErrorCode::BadData,
            "\"" + sources.front().toStdString() + "\" stopped after " + std::to_string(writer.frames()) + " of the "
                + std::to_string(std::llround(declared)) + " frames it declares: frame "
                + std::to_string(writer.frames() + 1)
                + " cannot be read (a damaged or truncated video). The video written holds the frames before it.");
    return kExitOk;
}

} // namespace fcs::cli
