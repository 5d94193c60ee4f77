#include "ui/window/ExplainController.h"

#include "engine/catalog/MethodCatalog.h"
#include "ui/widgets/SettingsPanel.h"
#include "ui/worker/ExplainService.h"

namespace fcs {

ExplainController::ExplainController(SettingsPanel* settings, QObject* parent)
    : QObject(parent)
    , m_settings(settings)
    , m_service(new ExplainService(this))
{
    connect(m_service, &ExplainService::resultReady, this, &ExplainController::onResult);
    connect(m_service, &ExplainService::failed, this, &ExplainController::failed);
}

void ExplainController::setImage(const QString& path)
{
    m_imagePath = path;
    m_explainResult.reset();
    settingsChanged();
}

void ExplainController::setView(ViewKind view)
{
    m_view = view;
    if (stale(view))
        run();
}

void ExplainController::settingsChanged()
{
    m_explainStale = m_compareStale = true;
    run();
}

void ExplainController::runAgain()
{
    stale(m_view) = true;
    run();
}

void ExplainController::run()
{
    if (m_imagePath.isEmpty())
        return;
    if (m_settings->modelPath().empty()) {
        Q_EMIT modelMissing();
        return;
    }
    m_service->request(requestFor(m_view));
}

void ExplainController::setDissect(bool dissect)
{
    if (dissect == m_dissect)
        return;
    m_dissect = dissect;
    if (dissect) {
        m_explainStale = true;
        if (m_view == ViewKind::Explain && !m_imagePath.isEmpty())
            run();
    }
}

ExplainRequest ExplainController::requestFor(ViewKind view) const
{
    ExplainRequest request;
    request.view = view;
    request.imagePath = m_imagePath;
    request.modelPath = m_settings->modelPath();
    request.modelDirs = m_modelDirs;
    request.edgeDetector = m_settings->edgeDetector();
    request.settings = m_settings->explainSettings();
    request.dissect = m_dissect && view == ViewKind::Explain;
    if (view == ViewKind::Compare) {
        // Every method of the catalogue but the slow ones (the view names them) in one engine
        // call (one shared gradient pass); a method this model cannot do is reported in its row
        // while the others show.
        request.settings.methods = compareMethodIds();
        request.settings.featureCam.clear();
        request.settings.onMethodFailure = MethodFailurePolicy::Report;
    }
    return request;
}

void ExplainController::onResult(std::shared_ptr<const ExplainResult> result)
{
    if (result->explanation.partial) { // shown, but the complete result is still to come
        Q_EMIT resultReady(result);
        return;
    }
    stale(result->request.view) = false;
    if (result->request.view == ViewKind::Explain)
        m_explainResult = result;
    Q_EMIT resultReady(result);
}

} // namespace fcs
