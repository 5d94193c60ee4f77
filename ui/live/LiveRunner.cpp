#include "ui/live/LiveRunner.h"

#include "engine/catalog/MethodCatalog.h"
#include "engine/core/Error.h"
#include "engine/core/Threads.h"
#include "engine/explain/Explainer.h"
#include "engine/live/LiveExplainer.h"
#include "engine/model/ModelCatalog.h"
#include "ui/widgets/ImageConversion.h"

#include <QFileInfo>
#include <QRegularExpression>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <chrono>
#include <cmath>

namespace fcs {
namespace {

double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

} // namespace

double LiveRunner::steadySeconds()
{
    return now();
}

LiveRunner::LiveRunner(QObject* parent)
    : QObject(parent)
{
}

LiveRunner::~LiveRunner()
{
    stop();
}

bool LiveRunner::start(const LiveSource& source, QString* error)
{
    stop();
    const bool camera = QRegularExpression("^\\d{1,3}$").match(source.source).hasMatch();
    auto capture = std::make_unique<cv::VideoCapture>();
    if (camera)
        capture->open(source.source.toInt());
    else if (QFileInfo(source.source).isFile())
        capture->open(source.source.toStdString());
    if (!capture->isOpened()) {
        *error = camera ? QString("There is no camera with index %1. Open a video file instead.").arg(source.source)
                        : QString("Cannot open \"%1\" as a video.").arg(source.source);
        return false;
    }
    const double rate = capture->get(cv::CAP_PROP_FPS);
    m_capture = std::move(capture);
    m_mailbox = std::make_unique<FrameMailbox>();
    m_stop = false;
    m_paused = false;
    m_live = runsLive(source.method);
    // A camera gives frames as they come; a file is played at its own rate (not decoded flat out).
    m_reader = std::thread(&LiveRunner::readFrames, this, m_capture.get(), camera ? 0.0 : (rate > 0 ? rate : 15.0));
    m_engine = std::thread(&LiveRunner::explainFrames, this, source);
    return true;
}

void LiveRunner::stop()
{
    m_stop = true;
    if (m_mailbox)
        m_mailbox->close();
    if (m_reader.joinable())
        m_reader.join();
    if (m_engine.joinable())
        m_engine.join();
    m_capture.reset();
}

void LiveRunner::setPaused(bool paused)
{
    m_paused = paused;
}

cv::Mat LiveRunner::lastFrame() const
{
    std::lock_guard<std::mutex> lock(m_frameMutex);
    return m_lastFrame.clone();
}

MailboxCounts LiveRunner::counts() const
{
    return m_mailbox ? m_mailbox->counts() : MailboxCounts();
}

void LiveRunner::readFrames(cv::VideoCapture* capture, double framesPerSecond)
{
    const double start = now();
    std::int64_t read = 0;
    cv::Mat bgr;
    while (!m_stop) {
        if (m_paused) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            continue;
        }
        if (!capture->read(bgr)) {
            // A file that stops before the frames its header declares is damaged: said, not "over".
            const double declared = framesPerSecond > 0 ? capture->get(cv::CAP_PROP_FRAME_COUNT) : 0;
            if (declared > 0 && double(read) + 1 < declared) {
                const QString message = QString("The video stopped after %1 of the %2 frames it declares: frame %3 "
                                                "cannot be read (a damaged or truncated file).")
                                            .arg(read)
                                            .arg(std::llround(declared))
                                            .arg(read + 1);
                QMetaObject::invokeMethod(this, [this, message]() { Q_EMIT failed(message); });
            } else {
                QMetaObject::invokeMethod(this, [this]() { Q_EMIT ended(); });
            }
            break;
        }
        ++read;
        cv::Mat rgb;
        cv::cvtColor(bgr, rgb, bgr.channels() == 1 ? cv::COLOR_GRAY2RGB : cv::COLOR_BGR2RGB);
        m_offeredAt = now();
        m_mailbox->offer(std::move(rgb));
        if (framesPerSecond > 0) { // a file: the next frame at its time
            const double due = start + read / framesPerSecond;
            const double wait = due - now();
            if (wait > 0)
                std::this_thread::sleep_for(std::chrono::duration<double>(wait));
        }
    }
    m_mailbox->close();
}

void LiveRunner::explainFrames(LiveSource source)
{
    std::unique_ptr<Explainer> explainer;
    std::unique_ptr<LiveExplainer> live;
    try {
        prepareComputeThread(computeThreads());
        if (m_live) {
            explainer = std::make_unique<Explainer>(findModel(source.modelDirs, source.modelPath));
            live = std::make_unique<LiveExplainer>(*explainer, source.method, source.parameters);
        }
    } catch (const Error& e) {
        const QString message = QString::fromStdString(errorHeadline(e.code()) + " " + e.userMessage());
        QMetaObject::invokeMethod(this, [this, message]() { Q_EMIT failed(message); });
        m_mailbox->close();
        return;
    }
    std::vector<double> shownAt; // the last second's display times, for the rate
    while (auto frame = m_mailbox->take()) {
        const double capturedAt = m_offeredAt; // the frame taken is the newest offered
        QImage picture;
        QString caption;
        try {
            if (live) {
                const double rate = double(shownAt.size());
                const LiveFrame explained = live->explainFrame(*frame, rate);
                picture = toQImage(explained.overlay);
                caption = QString("%1 %2%")
                              .arg(QString::fromStdString(explained.label))
                              .arg(100 * explained.probability, 0, 'f', 1);
            } else {
                picture = toQImage(*frame);
            }
        } catch (const std::exception& e) {
            const QString message = QString("The engine failed on a frame: %1").arg(e.what());
            QMetaObject::invokeMethod(this, [this, message]() { Q_EMIT failed(message); });
            m_mailbox->done();
            break;
        }
        {
            std::lock_guard<std::mutex> lock(m_frameMutex);
            m_lastFrame = *frame;
        }
        m_mailbox->done();
        const double shown = now();
        shownAt.push_back(shown);
        shownAt.erase(shownAt.begin(), std::lower_bound(shownAt.begin(), shownAt.end(), shown - 1.0));
        const double rate = double(shownAt.size());
        QMetaObject::invokeMethod(this,
            [this, picture, caption, capturedAt, rate]() { Q_EMIT frameShown(picture, caption, capturedAt, rate); });
    }
}

} // namespace fcs
