#pragma once
// Explains a gallery's photos on a thread of its own, one photo at a time, the rows a view shows
// first (prioritize), the rest in set order. A new job supersedes the running one at once; results
// of an old job are never delivered. Every result is also in the cache (GalleryCache), so a job
// that meets computed photos only reads them. Lives on the GUI thread. Torch-free header.

#include "engine/evaluate/ImageSet.h"
#include "engine/gallery/GalleryComputer.h"
#include "engine/gallery/GalleryKeys.h"

#include <QObject>
#include <QString>
#include <QThread>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace fcs {

class CancelToken;
class GalleryWorker;

struct GalleryJob
{
    std::vector<EvaluationImage> images;
    std::string modelPath; // the classifier's .json
    std::vector<std::string> modelDirs;
    GallerySettings settings; // its edgeDetector: "" for the preferred one (filled in by the worker)
    QString cacheFile;
};

// What one job had to compute (everything else came from the cache).
struct GalleryJobCounts
{
    int done = 0, hashed = 0, thumbnails = 0, explained = 0, failed = 0;
    QString cacheNote; // of the latest photo: why results are kept in memory ("" normally)
};

class GalleryRunner : public QObject
{
    Q_OBJECT

public:
    explicit GalleryRunner(QObject* parent = nullptr);
    ~GalleryRunner() override; // cancels and joins the thread

    quint64 start(GalleryJob job); // returns the job's id
    void stop();
    // Source rows to do next, in this order (the visible ones).
    void prioritize(const std::vector<int>& rows);
    bool isRunning() const { return m_running; }
    quint64 jobId() const { return m_jobId; }
    const GalleryJobCounts& counts() const { return m_counts; }

Q_SIGNALS:
    // The model is loaded: results will be stored under this cache file and base key.
    void jobReady(quint64 job, const QString& cacheFile, const QString& baseKey);
    void itemDone(quint64 job, int row, const fcs::GalleryItemResult& result);
    void finished(quint64 job, double seconds);
    void failed(quint64 job, const QString& message);

private:
    QThread m_thread;
    GalleryWorker* m_worker = nullptr;
    std::shared_ptr<CancelToken> m_cancel;
    std::shared_ptr<std::atomic<quint64>> m_latest;
    quint64 m_jobId = 0;
    bool m_running = false;
    GalleryJobCounts m_counts;
};

} // namespace fcs

Q_DECLARE_METATYPE(fcs::GalleryItemResult)
