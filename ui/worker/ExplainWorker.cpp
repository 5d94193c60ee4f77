#include "ui/worker/ExplainWorker.h"

#include "engine/catalog/EdgeCatalog.h"
#include "engine/core/Error.h"
#include "engine/core/Stopwatch.h"
#include "engine/edges/EdgeCache.h"
#include "engine/io/ImageLoader.h"
#include "engine/model/ModelCatalog.h"
#include "engine/model/ModelStamp.h"
#include "ui/views/MethodDescriptions.h"
#include "ui/views/StageImages.h"

#include <QFileInfo>

namespace fcs {

ExplainWorker::ExplainWorker()
    : m_edgeCache(std::make_unique<EdgeCache>())
{
}

ExplainWorker::~ExplainWorker() = default;

Explainer& ExplainWorker::explainer(const std::string& modelPath, const std::vector<std::string>& modelDirs, quint64 id)
{
    // A loaded model is checked by its files' sizes and times only (no sidecar read per request);
    // a sidecar changed on disk (an ONNX model's layer) loads again.
    auto found = m_explainers.find(modelPath);
    if (found != m_explainers.end() && modelStamp(found->second.explainer->sidecar()) == found->second.stamp)
        return *found->second.explainer;
    const Sidecar sidecar = findModel(modelDirs, modelPath);
    Q_EMIT stage(id, "Loading the model…");
    if (sidecar.kind != ModelKind::Classifier)
        throw Error(ErrorCode::BadSidecar, "\"" + sidecar.id + "\" is an edge model, not a classifier.");
    if (m_explainers.size() >= 4)
        m_explainers.clear(); // a few models fit in memory; a long session of switching must not grow forever
    LoadedModel& slot = m_explainers[modelPath];
    slot.explainer = std::make_unique<Explainer>(sidecar);
    slot.stamp = modelStamp(sidecar);
    return *slot.explainer;
}

EdgeDetector& ExplainWorker::edgeDetector(const ExplainRequest& request, bool* fellBack)
{
    const std::string& id = request.edgeDetector;
    auto found = m_edgeDetectors.find(id);
    if (found == m_edgeDetectors.end()) {
        const EdgeOptions options = edgeOptionsFor(request.modelDirs);
        bool usedFallback = false;
        auto detector = id.empty() ? preferredEdgeDetector(options, &usedFallback) : makeEdgeDetector(id, options);
        m_edgeFallback[id] = usedFallback;
        found = m_edgeDetectors.emplace(id, std::move(detector)).first;
    }
    *fellBack = m_edgeFallback[id];
    return *found->second;
}

const ExplainWorker::DecodedImage& ExplainWorker::image(const QString& path)
{
    const QFileInfo file(path);
    if (path != m_lastImage.path || file.lastModified() != m_lastImage.modified || file.size() != m_lastImage.size) {
        m_lastImage = {}; // a failed load leaves nothing stale behind
        cv::Mat rgb = loadImageRgb(path.toStdString());
        m_lastImage = {path, file.lastModified(), file.size(), rgb, photoAsShown(rgb)};
    }
    return m_lastImage; // results only read its pictures
}

void ExplainWorker::run(const ExplainRequest& request, std::shared_ptr<CancelToken> cancel)
{
    if (cancel->isCancelled())
        return; // superseded while it waited in the queue
    const Stopwatch sinceRequest;
    try {
        auto result = std::make_shared<ExplainResult>();
        result->request = request;
        Q_EMIT stage(request.id, "Reading the image…");
        Stopwatch stageTime;
        const DecodedImage& photo = image(request.imagePath);
        result->original = photo.rgb;
        result->shownPhoto = photo.shown;
        result->loadSeconds = stageTime.lap();
        Explainer& model = explainer(request.modelPath, request.modelDirs, request.id);
        result->model = model.sidecar();
        result->modelSeconds = stageTime.lap();
        cancel->throwIfCancelled();

        Q_EMIT stage(request.id, "Computing the saliency maps…");
        // All methods of one image in one call: the gradient methods share one gradient pass.
        ExplainStages stages;
        stages.progress = [this, &request](const std::string& methodId, int done, int total) {
            Q_EMIT stage(request.id,
                QString("%1: %2 of %3 feature maps…").arg(methodDisplayName(methodId)).arg(done).arg(total));
        };
        if (request.view == ViewKind::Explain) // the base map on screen before edges and re-classification
            stages.mapsReady = [this, &result, &sinceRequest](const Explanation& partial) {
                auto shown = std::make_shared<ExplainResult>(*result);
                shown->explanation = partial;
                shown->seconds = sinceRequest.seconds();
                Q_EMIT finished(shown); // the window's status bar says what is still running
            };
        // Smooth Grad-CAM++'s running mean after each batch, at most ten times a second: the map
        // sharpening as the noisy copies come in.
        Stopwatch sincePreview;
        if (request.view == ViewKind::Explain)
            stages.preview = [this, &result, &sinceRequest, &sincePreview](const Explanation& preview) {
                if (sincePreview.seconds() < 0.1)
                    return;
                sincePreview.lap();
                auto shown = std::make_shared<ExplainResult>(*result);
                shown->explanation = preview;
                shown->seconds = sinceRequest.seconds();
                Q_EMIT finished(shown);
            };
        stages.edges = [this, &request, &result, cancel]() {
            Stopwatch edgeTime;
            EdgeDetector& edges = edgeDetector(request, &result->edgeFallback);
            result->edgeDetector = edges.id();
            result->edges = m_edgeCache->edges(edges, result->original);
            result->edgeSeconds = edgeTime.seconds();
            cancel->throwIfCancelled();
            return result->edges;
        };
        result->explanation = model.explainInStages(result->original, request.settings, *cancel, stages);
        if (request.dissect && request.view == ViewKind::Explain) {
            try { // the explained class, so that the steps end in the map shown
                result->anatomy = model.dissect(result->original, request.settings.methods.front(),
                    result->explanation.explainedClass, request.settings);
            } catch (const Error& e) { // a method that is not a weighted sum of channels: why
                if (e.code() != ErrorCode::InvalidArgument)
                    throw;
                result->dissectError = e.userMessage();
            }
        }
        result->seconds = sinceRequest.seconds();
        Q_EMIT finished(result);
    } catch (const Error& e) {
        if (e.code() != ErrorCode::Cancelled)
            Q_EMIT failed(request.id, QString::fromStdString(errorHeadline(e.code()) + " " + e.userMessage()),
                QString::fromStdString(e.detail()));
    } catch (const std::exception& e) {
        Q_EMIT failed(
            request.id, QString::fromStdString(errorHeadline(ErrorCode::Internal)), QString::fromUtf8(e.what()));
    }
}

} // namespace fcs
