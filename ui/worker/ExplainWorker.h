#pragma once
// Runs explanation requests on its own thread (moved there by ExplainService). Keeps the loaded
// classifiers and edge detectors between requests, so that changing a setting does not reload a
// model. Errors come back as messages, never as exceptions across threads. Torch-free header.

#include "engine/core/CancelToken.h"
#include "ui/worker/ExplainJob.h"

#include <QDateTime>
#include <QObject>

#include <opencv2/core.hpp>

#include <map>
#include <memory>

namespace fcs {

class EdgeCache;
class EdgeDetector;

class ExplainWorker : public QObject
{
    Q_OBJECT

public:
    ExplainWorker();
    ~ExplainWorker() override;

    // Called on the worker's thread. A request whose token is already cancelled is skipped.
    void run(const ExplainRequest& request, std::shared_ptr<CancelToken> cancel);

Q_SIGNALS:
    void stage(quint64 id, const QString& what); // "Loading the model…", for the status bar
    void finished(std::shared_ptr<const fcs::ExplainResult> result);
    void failed(quint64 id, const QString& message, const QString& detail);

private:
    Explainer& explainer(const std::string& modelPath, const std::vector<std::string>& modelDirs, quint64 id);
    EdgeDetector& edgeDetector(const ExplainRequest& request, bool* fellBack);

    // The last image decoded: settings changes re-explain the same file (2 ms of a ~20 ms answer).
    struct DecodedImage
    {
        QString path;
        QDateTime modified;
        qint64 size = -1;
        cv::Mat rgb;
        cv::Mat shown; // photoAsShown(rgb)
    };
    const DecodedImage& image(const QString& path); // decoded once while the file is unchanged
    DecodedImage m_lastImage;

    struct LoadedModel
    {
        std::string stamp; // modelStamp() when loaded: a sidecar changed on disk loads again
        std::unique_ptr<Explainer> explainer;
    };
    std::map<std::string, LoadedModel> m_explainers; // by --model name or path
    std::map<std::string, std::unique_ptr<EdgeDetector>> m_edgeDetectors; // by requested id ("" = preferred)
    std::map<std::string, bool> m_edgeFallback;
    std::unique_ptr<EdgeCache> m_edgeCache;
};

} // namespace fcs
