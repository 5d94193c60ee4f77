#pragma once
// The Live view: a camera's stream or a video file, each frame with the chosen method's overlay,
// the top-1 label and its probability, the frame rate and the latency. Keyboard-first: Space
// pauses (the frame stays), E sends the frame to the Explain view with every panel and variant,
// R records the overlaid stream to a video file. Which methods run live is said on screen: a
// slow one shows the frames plain, to be paused and explained. No camera: the message says so
// and offers a video file. GUI thread. Torch-free.

#include "engine/catalog/MethodParameters.h"
#include "engine/live/FrameMailbox.h"

#include <QImage>
#include <QTemporaryDir>
#include <QWidget>

#include <opencv2/core.hpp>

#include <memory>
#include <string>
#include <vector>

class QComboBox;
class QLabel;

namespace cv {
class VideoWriter;
}

namespace fcs {

class ImagePanel;
class LiveRunner;

class LiveView : public QWidget
{
    Q_OBJECT

public:
    explicit LiveView(QWidget* parent = nullptr);
    ~LiveView() override;

    void setExplainSource(const std::string& modelPath, const std::vector<std::string>& modelDirs,
        const std::string& method, const MethodParameters& parameters); // a running stream restarts with it
    bool start(const QString& source, QString* error); // a video file or a camera index
    void stop();

    void togglePause();
    bool isPaused() const;
    bool explainFrame(); // emits explainRequested with the paused (or last) frame as a PNG
    bool toggleRecording(QString* error);
    bool isRecording() const;
    QString recordingPath() const { return m_recordingPath; }
    int recordedFrames() const { return m_recorded; }
    void setRecordFolder(const QString& folder) { m_recordFolder = folder; }

    int framesShown() const { return m_shown; }
    double latencyMilliseconds() const { return m_latencyMs; } // of the newest frame, capture to screen
    double framesPerSecond() const { return m_rate; } // shown in the last second
    MailboxCounts counts() const;
    const QImage& shownPicture() const { return m_picture; }

Q_SIGNALS:
    void explainRequested(const QString& imagePath);
    void errorShown(const QString& message);

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    void onFrame(const QImage& picture, const QString& caption, double capturedAt, double framesPerSecond);
    void refreshCameras();
    void updateStatus();

    LiveRunner* m_runner;
    ImagePanel* m_panel;
    QComboBox* m_cameras;
    QLabel* m_status;
    QLabel* m_banner;
    QString m_source; // the one running or last run
    std::string m_modelPath;
    std::vector<std::string> m_modelDirs;
    std::string m_method = "gradcam";
    MethodParameters m_parameters;
    QImage m_picture;
    QString m_caption;
    double m_latencyMs = 0, m_rate = 0;
    int m_shown = 0;
    std::unique_ptr<cv::VideoWriter> m_writer;
    QString m_recordingPath;
    QSize m_recordSize;
    QString m_recordFolder;
    int m_recorded = 0;
    QTemporaryDir m_frames; // the frames sent to the Explain view
    int m_explained = 0;
};

} // namespace fcs
