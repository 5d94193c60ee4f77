#include "ui/gallery/GalleryRunner.h"

#include "engine/catalog/EdgeCatalog.h"
#include "engine/core/CancelToken.h"
#include "engine/core/Error.h"
#include "engine/core/Stopwatch.h"
#include "engine/core/Threads.h"
#include "engine/edges/EdgeDetector.h"
#include "engine/explain/Explainer.h"
#include "engine/gallery/GalleryCache.h"
#include "engine/model/ModelCatalog.h"
#include "engine/model/ModelStamp.h"

#include <deque>
#include <map>

namespace fcs {

// Lives on the runner's thread; everything it owns is used there only.
class GalleryWorker : public QObject
{
public:
    GalleryWorker(GalleryRunner* runner, std::shared_ptr<std::atomic<quint64>> latest)
        : m_runner(runner)
        , m_latest(std::move(latest))
    {
    }

    void begin(quint64 id, GalleryJob job, std::shared_ptr<CancelToken> cancel)
    {
        if (id != m_latest->load())
            return; // superseded while it waited
        m_job.reset();
        m_computer.reset();
        m_clock = Stopwatch();
        try {
            if (!m_threadPrepared) {
                prepareComputeThread(computeThreads());
                m_threadPrepared = true;
            }
            Explainer& model = explainer(job.modelPath, job.modelDirs);
            EdgeDetector* edges = nullptr;
            if (job.settings.variant) {
                edges = &edgeDetector(job.modelDirs, job.settings.edgeDetector);
                job.settings.edgeDetector = edges->id();
            }
            if (!m_cache || m_cache->file() != job.cacheFile)
                m_cache = std::make_unique<GalleryCache>(job.cacheFile);
            m_computer = std::make_unique<GalleryComputer>(model, edges, *m_cache, job.settings);
            const QString baseKey
                = QString::fromStdString(galleryBaseKey(galleryModelKey(model.sidecar()), job.settings));
            QMetaObject::invokeMethod(m_runner, [runner = m_runner, id, file = job.cacheFile, baseKey]() {
                Q_EMIT runner->jobReady(id, file, baseKey);
            });
        } catch (const Error& e) {
            const QString message = QString::fromStdString(errorHeadline(e.code()) + " " + e.userMessage());
            QMetaObject::invokeMethod(
                m_runner, [runner = m_runner, id, message]() { Q_EMIT runner->failed(id, message); });
            return;
        }
        m_id = id;
        m_cancel = std::move(cancel);
        m_done.assign(job.images.size(), false);
        m_next = 0;
        m_priority.clear();
        m_job = std::make_unique<GalleryJob>(std::move(job));
        scheduleStep();
    }

    void prioritize(quint64 id, const std::vector<int>& rows)
    {
        if (id != m_id || !m_job)
            return;
        m_priority.assign(rows.begin(), rows.end());
    }

private:
    void scheduleStep()
    {
        QMetaObject::invokeMethod(
            this, [this]() { step(); }, Qt::QueuedConnection);
    }

    int nextRow()
    {
        while (!m_priority.empty()) {
            const int row = m_priority.front();
            m_priority.pop_front();
            if (row >= 0 && row < int(m_done.size()) && !m_done[std::size_t(row)])
                return row;
        }
        while (m_next < m_done.size() && m_done[m_next])
            ++m_next;
        return m_next < m_done.size() ? int(m_next) : -1;
    }

    void step()
    {
        if (!m_job || m_id != m_latest->load()) {
            m_job.reset();
            return;
        }
        const int row = nextRow();
        const quint64 id = m_id;
        if (row < 0) {
            const double seconds = m_clock.seconds();
            m_job.reset();
            QMetaObject::invokeMethod(
                m_runner, [runner = m_runner, id, seconds]() { Q_EMIT runner->finished(id, seconds); });
            return;
        }
        try {
            GalleryItemResult result = m_computer->compute(m_job->images[std::size_t(row)], *m_cancel);
            m_done[std::size_t(row)] = true;
            QMetaObject::invokeMethod(m_runner, [runner = m_runner, id, row, result = std::move(result)]() {
                Q_EMIT runner->itemDone(id, row, result);
            });
        } catch (const Error&) { // cancelled: a newer job follows
            m_job.reset();
            return;
        }
        scheduleStep();
    }

    Explainer& explainer(const std::string& modelPath, const std::vector<std::string>& modelDirs)
    {
        // Checked per photo by the files' sizes and times only; read again when they change.
        if (m_explainerPath != modelPath || !m_explainer || modelStamp(m_explainer->sidecar()) != m_explainerStamp) {
            m_explainer.reset(); // one model at a time: the explain view's worker holds its own
            const Sidecar sidecar = findModel(modelDirs, modelPath);
            if (sidecar.kind != ModelKind::Classifier)
                throw Error(ErrorCode::BadSidecar, "\"" + sidecar.id + "\" is an edge model, not a classifier.");
            m_explainer = std::make_unique<Explainer>(sidecar);
            m_explainerStamp = modelStamp(sidecar);
            m_explainerPath = modelPath;
        }
        return *m_explainer;
    }

    EdgeDetector& edgeDetector(const std::vector<std::string>& modelDirs, const std::string& id)
    {
        auto found = m_edgeDetectors.find(id);
        if (found == m_edgeDetectors.end()) {
            const EdgeOptions options = edgeOptionsFor(modelDirs);
            auto detector = id.empty() ? preferredEdgeDetector(options) : makeEdgeDetector(id, options);
            found = m_edgeDetectors.emplace(id, std::move(detector)).first;
        }
        return *found->second;
    }

    GalleryRunner* m_runner;
    std::shared_ptr<std::atomic<quint64>> m_latest;
    bool m_threadPrepared = false;
    std::string m_explainerPath; // as the job named it
    std::string m_explainerStamp; // modelStamp() of the loaded model
    std::unique_ptr<Explainer> m_explainer;
    std::map<std::string, std::unique_ptr<EdgeDetector>> m_edgeDetectors;
    std::unique_ptr<GalleryCache> m_cache;
    std::unique_ptr<GalleryComputer> m_computer;
    std::unique_ptr<GalleryJob> m_job;
    std::shared_ptr<CancelToken> m_cancel;
    quint64 m_id = 0;
    std::vector<bool> m_done;
    std::size_t m_next = 0;
    std::deque<int> m_priority;
    Stopwatch m_clock;
};

GalleryRunner::GalleryRunner(QObject* parent)
    : QObject(parent)
    , m_latest(std::make_shared<std::atomic<quint64>>(0))
{
    qRegisterMetaType<fcs::GalleryItemResult>("fcs::GalleryItemResult");
    m_worker = new GalleryWorker(this, m_latest);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    // Counts and the running flag follow the current job's results (GUI thread).
    connect(this, &GalleryRunner::itemDone, this, [this](quint64 job, int, const GalleryItemResult& result) {
        if (job != m_jobId)
            return;
        ++m_counts.done;
        m_counts.hashed += result.hashed;
        m_counts.thumbnails += result.thumbnailMade;
        m_counts.explained += result.explained;
        m_counts.failed += !result.error.empty();
        m_counts.cacheNote = QString::fromStdString(result.cacheNote);
    });
    connect(this, &GalleryRunner::finished, this, [this](quint64 job, double) {
        if (job == m_jobId)
            m_running = false;
    });
    connect(this, &GalleryRunner::failed, this, [this](quint64 job, const QString&) {
        if (job == m_jobId)
            m_running = false;
    });
    m_thread.setObjectName("gallery");
    m_thread.start(QThread::LowPriority); // the explain view's answers come first
}

GalleryRunner::~GalleryRunner()
{
    stop();
    m_thread.quit();
    m_thread.wait();
}

quint64 GalleryRunner::start(GalleryJob job)
{
    stop();
    m_cancel = std::make_shared<CancelToken>();
    const quint64 id = ++m_jobId;
    m_latest->store(id);
    m_running = true;
    m_counts = {};
    GalleryWorker* worker = m_worker;
    QMetaObject::invokeMethod(
        worker,
        [worker, id, job = std::move(job), cancel = m_cancel]() mutable { worker->begin(id, std::move(job), cancel); },
        Qt::QueuedConnection);
    return id;
}

void GalleryRunner::stop()
{
    if (m_cancel)
        m_cancel->cancel();
    m_latest->store(++m_jobId);
    m_running = false;
}

void GalleryRunner::prioritize(const std::vector<int>& rows)
{
    GalleryWorker* worker = m_worker;
    const quint64 id = m_jobId;
    QMetaObject::invokeMethod(
        worker, [worker, id, rows]() { worker->prioritize(id, rows); }, Qt::QueuedConnection);
}

} // namespace fcs
