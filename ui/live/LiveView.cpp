#include "ui/live/LiveView.h"

#include "engine/catalog/MethodCatalog.h"
#include "engine/live/LiveExplainer.h"
#include "ui/live/LiveRunner.h"
#include "ui/widgets/ImagePanel.h"

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QStandardPaths>
#include <QVBoxLayout>

#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

namespace fcs {

LiveView::LiveView(QWidget* parent)
    : QWidget(parent)
    , m_runner(new LiveRunner(this))
    , m_panel(new ImagePanel)
    , m_cameras(new QComboBox)
    , m_status(new QLabel)
    , m_banner(new QLabel)
    , m_recordFolder(QStandardPaths::writableLocation(QStandardPaths::MoviesLocation))
{
    setFocusPolicy(Qt::StrongFocus);
    setAccessibleName("Live view: Space pauses, E explains the frame");
    auto* startCamera = new QPushButton("Start camera");
    auto* openVideo = new QPushButton("Open video…");
    auto* pause = new QPushButton("Pause (Space)");
    auto* explain = new QPushButton("Explain this frame (E)");
    auto* record = new QPushButton("Record (R)");
    for (auto* b : {startCamera, openVideo, pause, explain, record})
        b->setFocusPolicy(Qt::NoFocus); // the keys stay with the view
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_cameras);
    bar->addWidget(startCamera);
    bar->addWidget(openVideo);
    bar->addStretch(1);
    bar->addWidget(pause);
    bar->addWidget(explain);
    bar->addWidget(record);
    m_banner->setWordWrap(true);
    m_banner->setStyleSheet("QLabel { background: #fff4d6; border: 1px solid #e0c060; padding: 6px; }");
    m_banner->hide();
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_banner);
    layout->addWidget(m_panel, 1);
    layout->addWidget(m_status);
    m_panel->clear("Start a camera or open a video: every frame is explained as it comes.");
    refreshCameras();

    connect(startCamera, &QPushButton::clicked, this, [this]() {
        QString error;
        if (m_cameras->currentData().isNull() || !start(m_cameras->currentData().toString(), &error))
            Q_EMIT errorShown(
                error.isEmpty() ? "No camera was found on this computer. Open a video file instead." : error);
    });
    connect(openVideo, &QPushButton::clicked, this, [this]() {
        const QString path = QFileDialog::getOpenFileName(
            this, "Open a video", {}, "Videos (*.avi *.mp4 *.mkv *.mov *.webm);;All files (*)");
        QString error;
        if (!path.isEmpty() && !start(path, &error))
            Q_EMIT errorShown(error);
    });
    connect(pause, &QPushButton::clicked, this, &LiveView::togglePause);
    connect(explain, &QPushButton::clicked, this, &LiveView::explainFrame);
    connect(record, &QPushButton::clicked, this, [this]() {
        QString error;
        if (!toggleRecording(&error))
            Q_EMIT errorShown(error);
    });
    connect(m_runner, &LiveRunner::frameShown, this, &LiveView::onFrame);
    connect(m_runner, &LiveRunner::failed, this, [this](const QString& message) {
        m_banner->setText(message);
        m_banner->show();
        Q_EMIT errorShown(message);
    });
    connect(m_runner, &LiveRunner::ended, this,
        [this]() { m_status->setText(m_status->text() + " — the video is over."); });
}

LiveView::~LiveView()
{
    stop();
}

void LiveView::refreshCameras()
{
    // Probing an index with no camera makes OpenCV's backends print warnings: quiet while asking.
    const auto level = cv::utils::logging::getLogLevel();
    cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
    m_cameras->clear();
    for (int index = 0; index < 4; ++index) // what is present; a missing index opens nothing
        if (cv::VideoCapture(index).isOpened())
            m_cameras->addItem(QString("Camera %1").arg(index), QString::number(index));
    cv::utils::logging::setLogLevel(level);
    if (m_cameras->count() == 0)
        m_cameras->addItem("No camera found");
}

void LiveView::setExplainSource(const std::string& modelPath, const std::vector<std::string>& modelDirs,
    const std::string& method, const MethodParameters& parameters)
{
    const bool changed = modelPath != m_modelPath || method != m_method
        || parameters.keepPercent != m_parameters.keepPercent || parameters.k != m_parameters.k
        || parameters.smooth.samples != m_parameters.smooth.samples
        || parameters.smooth.sigma != m_parameters.smooth.sigma;
    m_modelPath = modelPath;
    m_modelDirs = modelDirs;
    m_method = method;
    m_parameters = parameters;
    QString error; // a running stream follows the window's model and method at once
    if (changed && m_runner->isRunning() && !m_source.isEmpty() && !start(m_source, &error))
        Q_EMIT errorShown(error);
}

bool LiveView::start(const QString& source, QString* error)
{
    if (m_modelPath.empty()) {
        *error = "Choose a classifier first: File ▸ Open Model…";
        return false;
    }
    stop();
    if (!m_runner->start({source, m_modelPath, m_modelDirs, m_method, m_parameters}, error))
        return false;
    m_source = source;
    m_shown = 0;
    const QString name = QString::fromStdString(requireMethod(m_method).displayName);
    m_banner->setVisible(!m_runner->explainsLive());
    m_banner->setText(name
        + " is too slow for a live stream (many network passes per frame): the frames show without it. Pause "
          "(Space) and press E to explain the frame with it, or choose a gradient method such as Grad-CAM.");
    setFocus();
    return true;
}

void LiveView::stop()
{
    m_runner->stop();
    if (m_writer) {
        QString ignored;
        toggleRecording(&ignored);
    }
}

void LiveView::togglePause()
{
    m_runner->setPaused(!m_runner->isPaused());
    updateStatus();
}

bool LiveView::isPaused() const
{
    return m_runner->isPaused();
}

bool LiveView::explainFrame()
{
    const cv::Mat frame = m_runner->lastFrame();
    if (frame.empty() || !m_frames.isValid())
        return false;
    const QString path = m_frames.filePath(QString("live-frame-%1.png").arg(++m_explained, 4, 10, QChar('0')));
    cv::Mat bgr;
    cv::cvtColor(frame, bgr, cv::COLOR_RGB2BGR);
    if (!cv::imwrite(path.toStdString(), bgr))
        return false;
    Q_EMIT explainRequested(path);
    return true;
}

bool LiveView::toggleRecording(QString* error)
{
    if (m_writer) {
        m_writer.reset(); // closes the file
        updateStatus();
        return true;
    }
    if (m_picture.isNull()) {
        *error = "Nothing to record yet: start a camera or a video first.";
        return false;
    }
    QDir().mkpath(m_recordFolder);
    // A new file every time: two recordings started within one second never share a name.
    const QString stem
        = m_recordFolder + "/featurecam-live-" + QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss");
    m_recordingPath = stem + ".avi";
    for (int n = 2; QFileInfo::exists(m_recordingPath); ++n)
        m_recordingPath = stem + "-" + QString::number(n) + ".avi";
    m_writer = std::make_unique<cv::VideoWriter>(m_recordingPath.toStdString(),
        cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 15, cv::Size(m_picture.width(), m_picture.height()));
    m_recordSize = m_picture.size();
    if (!m_writer->isOpened()) {
        m_writer.reset();
        *error = "Cannot write \"" + m_recordingPath + "\". Check the folder's permissions.";
        return false;
    }
    m_recorded = 0;
    updateStatus();
    return true;
}

bool LiveView::isRecording() const
{
    return bool(m_writer);
}

MailboxCounts LiveView::counts() const
{
    return m_runner->counts();
}

void LiveView::onFrame(const QImage& picture, const QString& caption, double capturedAt, double framesPerSecond)
{
    m_picture = picture;
    m_caption = caption;
    m_rate = framesPerSecond;
    ++m_shown;
    m_panel->setImage(picture);
    m_panel->setCaption(caption);
    m_latencyMs = 1000 * (LiveRunner::steadySeconds() - capturedAt); // read → on screen (scaled, set)
    if (m_writer && picture.size() == m_recordSize) { // a video file holds one frame size

        const QImage rgb = picture.convertToFormat(QImage::Format_RGB888);
        const cv::Mat view(
            rgb.height(), rgb.width(), CV_8UC3, const_cast<uchar*>(rgb.constBits()), size_t(rgb.bytesPerLine()));
        cv::Mat bgr;
        cv::cvtColor(view, bgr, cv::COLOR_RGB2BGR);
        m_writer->write(bgr);
        ++m_recorded;
    }
    updateStatus();
}

void LiveView::updateStatus()
{
    const auto counts = m_runner->counts();
    QString text = QString("%1 fps · %2 ms from frame to screen · %3 of %4 frames dropped (the newest frame wins)")
                       .arg(m_rate, 0, 'f', 0)
                       .arg(m_latencyMs, 0, 'f', 0)
                       .arg(counts.dropped)
                       .arg(counts.offered);
    if (isPaused())
        text = "Paused (Space resumes; E explains this frame) · " + text;
    if (m_writer)
        text += QString(" · recording %1 frames to %2 (R stops)").arg(m_recorded).arg(m_recordingPath);
    m_status->setText(text);
}

void LiveView::keyPressEvent(QKeyEvent* event)
{
    QString error;
    switch (event->key()) {
    case Qt::Key_Space:
        togglePause();
        return;
    case Qt::Key_E:
        explainFrame();
        return;
    case Qt::Key_R:
        if (!toggleRecording(&error))
            Q_EMIT errorShown(error);
        return;
    default:
        QWidget::keyPressEvent(event);
    }
}

} // namespace fcs
