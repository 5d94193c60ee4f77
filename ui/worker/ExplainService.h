#pragma once
// The window's one door to the engine: requests run on a background thread, one at a time; a
// new request cancels the one running and any still queued, and only the newest request's
// result or error is delivered. Lives on the GUI thread. Torch-free header.

#include "engine/core/CancelToken.h"
#include "ui/worker/ExplainJob.h"

#include <QObject>
#include <QThread>

#include <memory>

namespace fcs {

class ExplainWorker;

class ExplainService : public QObject
{
    Q_OBJECT

public:
    explicit ExplainService(QObject* parent = nullptr);
    ~ExplainService() override; // cancels and joins the thread

    // Returns the request's id. Supersedes every earlier request.
    quint64 request(ExplainRequest request);
    bool isBusy() const { return m_running > 0; }
    quint64 latestId() const { return m_latestId; }

Q_SIGNALS:
    void busyChanged(bool busy);
    void progress(const QString& what); // what the newest request is doing
    void resultReady(std::shared_ptr<const fcs::ExplainResult> result);
    void failed(const QString& message, const QString& detail);

private:
    void onFinished(std::shared_ptr<const fcs::ExplainResult> result);
    void onFailed(quint64 id, const QString& message, const QString& detail);
    void onStage(quint64 id, const QString& what);
    void oneDone();

    QThread m_thread;
    ExplainWorker* m_worker = nullptr; // owned by m_thread's event loop; deleted on finish
    std::shared_ptr<CancelToken> m_current;
    quint64 m_latestId = 0;
    int m_running = 0; // requests posted and not yet answered
};

} // namespace fcs
