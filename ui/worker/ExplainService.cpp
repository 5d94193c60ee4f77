#include "ui/worker/ExplainService.h"

#include "engine/core/Threads.h"
#include "ui/worker/ExplainWorker.h"

namespace fcs {

ExplainService::ExplainService(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<std::shared_ptr<const fcs::ExplainResult>>("std::shared_ptr<const fcs::ExplainResult>");
    m_worker = new ExplainWorker;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &ExplainWorker::finished, this, &ExplainService::onFinished, Qt::QueuedConnection);
    connect(m_worker, &ExplainWorker::failed, this, &ExplainService::onFailed, Qt::QueuedConnection);
    connect(m_worker, &ExplainWorker::stage, this, &ExplainService::onStage, Qt::QueuedConnection);
    m_thread.setObjectName("engine");
    m_thread.start();
    // As the gallery's, the live view's and the evaluation's threads are: LibTorch's thread count
    // (OpenMP's is per calling thread) and the plain graph executor.
    const int threads = computeThreads();
    QMetaObject::invokeMethod(
        m_worker, [threads]() { prepareComputeThread(threads); }, Qt::QueuedConnection);
}

ExplainService::~ExplainService()
{
    if (m_current)
        m_current->cancel();
    m_thread.quit();
    m_thread.wait();
}

quint64 ExplainService::request(ExplainRequest request)
{
    if (m_current)
        m_current->cancel();
    m_current = std::make_shared<CancelToken>();
    request.id = ++m_latestId;
    request.madeAt = std::chrono::steady_clock::now();
    if (m_running++ == 0)
        Q_EMIT busyChanged(true);
    ExplainWorker* worker = m_worker;
    auto cancel = m_current;
    QMetaObject::invokeMethod(
        worker, [worker, request, cancel]() { worker->run(request, cancel); }, Qt::QueuedConnection);
    // The worker answers every request (result, error, or silently when superseded): count the
    // silent ones down when the worker reaches them.
    QMetaObject::invokeMethod(
        worker,
        [this]() {
            QMetaObject::invokeMethod(
                this, [this]() { oneDone(); }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
    return request.id;
}

void ExplainService::oneDone()
{
    if (--m_running == 0)
        Q_EMIT busyChanged(false);
}

void ExplainService::onFinished(std::shared_ptr<const ExplainResult> result)
{
    if (result->request.id == m_latestId)
        Q_EMIT resultReady(std::move(result));
}

void ExplainService::onFailed(quint64 id, const QString& message, const QString& detail)
{
    if (id == m_latestId)
        Q_EMIT failed(message, detail);
}

void ExplainService::onStage(quint64 id, const QString& what)
{
    if (id == m_latestId)
        Q_EMIT progress(what);
}

} // namespace fcs
