#pragma once
// The Live view's engine: a reader thread takes frames from a camera or a video file (a file at
// its own frame rate) and hands them to a one-slot FrameMailbox, where the newest frame always
// wins; an engine thread explains the newest with a fast method and sends the overlay to the GUI
// thread. A method too slow for a stream is not run on it: the frames show plain, and the view
// says to pause and explain the frame. Lives on the GUI thread. Torch-free header.

#include "engine/catalog/MethodParameters.h"
#include "engine/live/FrameMailbox.h"

#include <QImage>
#include <QObject>
#include <QString>

#include <opencv2/core.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cv {
class VideoCapture;
}

namespace fcs {

struct LiveSource
{
    QString source; // a video file, or a camera index ("0")
    std::string modelPath;
    std::vector<std::string> modelDirs;
    std::string method;
    MethodParameters parameters;
};

class LiveRunner : public QObject
{
    Q_OBJECT

public:
    explicit LiveRunner(QObject* parent = nullptr);
    ~LiveRunner() override; // stops and joins

    // Opens the source at once (false and the reason when it cannot); the model loads on the
    // engine thread (failed() when it cannot).
    bool start(const LiveSource& source, QString* error);
    void stop();
    bool isRunning() const { return m_reader.joinable(); }
    void setPaused(bool paused); // the reader stops handing frames over; the last one stays
    bool isPaused() const { return m_paused; }
    bool explainsLive() const { return m_live; } // false: the method is too slow for a stream
    cv::Mat lastFrame() const; // RGB8, the frame last shown, unexplained
    MailboxCounts counts() const;
    static double steadySeconds();

Q_SIGNALS:
    // The newest frame's picture; `capturedAt`: when it was read, on steadySeconds()' clock (the
    // view measures the latency once the picture is on screen).
    void frameShown(const QImage& picture, const QString& caption, double capturedAt, double framesPerSecond);
    void failed(const QString& message);
    void ended(); // the video file is over

private:
    void readFrames(cv::VideoCapture* capture, double framesPerSecond);
    void explainFrames(LiveSource source);

    std::unique_ptr<FrameMailbox> m_mailbox;
    std::unique_ptr<cv::VideoCapture> m_capture;
    std::thread m_reader, m_engine;
    std::atomic<bool> m_stop{false}, m_paused{false}, m_live{true};
    std::atomic<double> m_offeredAt{0}; // steady-clock seconds of the newest frame offered
    mutable std::mutex m_frameMutex;
    cv::Mat m_lastFrame;
};

} // namespace fcs
