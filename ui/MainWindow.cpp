#include "ui/MainWindow.h"

#include "engine/catalog/EdgeCatalog.h"
#include "engine/catalog/Locations.h"
#include "engine/catalog/MethodCatalog.h"
#include "engine/catalog/ModelPreferences.h"
#include "ui/window/ExplainController.h"
#include "ui/window/KeepPreview.h"
#include "ui/window/RecentFiles.h"

#include "engine/core/Error.h"
#include "engine/core/Version.h"
#include "engine/io/ImageLoader.h"
#include "ui/charts/PredictionChart.h"
#include "ui/export/FigureExport.h"
#include "ui/gallery/GalleryView.h"
#include "ui/inside/InsideView.h"
#include "ui/live/LiveView.h"
#include "ui/survey/SurveyBuilderDialog.h"
#include "ui/survey/SurveyResultsWindow.h"
#include "ui/survey/SurveySession.h"
#include "ui/views/CompareView.h"
#include "ui/views/EvaluationWindow.h"
#include "ui/views/ExplainView.h"
#include "ui/views/MethodDescriptions.h"
#include "ui/views/StageImages.h"
#include "ui/widgets/ImagePanel.h"
#include "ui/widgets/SettingsPanel.h"
#include "ui/worker/ExplainService.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

#include <chrono>

namespace fcs {

MainWindow::MainWindow(const std::vector<std::string>& modelDirs, QWidget* parent)
    : QMainWindow(parent)
    , m_explicitModelDirs(modelDirs)
    , m_settings(new SettingsPanel)
    , m_controller(new ExplainController(m_settings, this))
    , m_chart(new PredictionChart)
    , m_explainView(new ExplainView)
    , m_compareView(new CompareView)
    , m_comparePage(new QScrollArea)
    , m_galleryView(new GalleryView)
    , m_liveView(new LiveView)
    , m_tabs(new QTabWidget)
    , m_errorBar(new QLabel)
    , m_predictionTitle(new QLabel("Top-5 predictions"))
    , m_status(new QLabel)
    , m_busy(new QProgressBar)
{
    setWindowTitle("Feature CAM Studio");
    setAcceptDrops(true);

    m_errorBar->setWordWrap(true);
    m_errorBar->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errorBar->setStyleSheet("QLabel { background: #fde7e9; color: #6b0d16; border: 1px solid #e4a1a8;"
                              " border-radius: 4px; padding: 6px; }");
    m_errorBar->hide();

    m_tabs->setAccessibleName("Views");
    m_tabs->addTab(pageOf(ViewKind::Explain), "&Explain");
    auto* compareScroll = static_cast<QScrollArea*>(m_comparePage);
    compareScroll->setWidget(m_compareView);
    compareScroll->setWidgetResizable(true);
    compareScroll->setAccessibleName("Every method side by side");
    m_tabs->addTab(pageOf(ViewKind::Compare), "Compare &methods");
    m_tabs->addTab(m_galleryView, "&Gallery");
    m_tabs->addTab(m_liveView, "&Live");

    auto* centre = new QWidget;
    auto* centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(6, 6, 6, 6);
    centreLayout->addWidget(m_errorBar);
    centreLayout->addWidget(m_tabs, 1);

    auto* side = new QWidget;
    auto* sideLayout = new QVBoxLayout(side);
    QFont bold = m_predictionTitle->font();
    bold.setBold(true);
    m_predictionTitle->setFont(bold);
    m_predictionTitle->setWordWrap(true);
    sideLayout->addWidget(m_predictionTitle);
    sideLayout->addWidget(m_chart, 2);
    sideLayout->addWidget(m_settings, 3);
    auto* sideScroll = new QScrollArea;
    sideScroll->setWidget(side);
    sideScroll->setWidgetResizable(true);
    sideScroll->setAccessibleName("Predictions and settings");
    sideScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    sideScroll->setMinimumWidth(390);

    auto* splitter = new QSplitter;
    splitter->addWidget(centre);
    splitter->addWidget(sideScroll);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    setCentralWidget(splitter);

    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(160);
    m_busy->hide();
    statusBar()->addWidget(m_status, 1);
    statusBar()->addPermanentWidget(m_busy);

    createMenus();
    m_settings->loadSettings();
    refreshModels(QSettings().value("explain/model").toString().toStdString());

    connect(m_controller, &ExplainController::resultReady, this, &MainWindow::onResult);
    connect(m_controller, &ExplainController::resultReady, this, [this](std::shared_ptr<const ExplainResult> result) {
        if (m_inside && result->request.view == ViewKind::Explain)
            m_inside->showResult(result);
    });
    connect(m_controller, &ExplainController::failed, this, &MainWindow::onFailure);
    connect(m_controller, &ExplainController::modelMissing, this,
        [this]() { showError("Choose a classifier first: File ▸ Open Model…"); });
    connect(m_controller->service(), &ExplainService::progress, m_status, &QLabel::setText);
    connect(m_controller->service(), &ExplainService::busyChanged, m_busy, &QWidget::setVisible);
    connect(m_settings, &SettingsPanel::requestChanged, m_controller, &ExplainController::settingsChanged);
    connect(m_settings, &SettingsPanel::styleChanged, this, [this]() {
        m_explainView->setStyle(m_settings->style());
        m_compareView->setStyle(m_settings->style());
    });
    connect(m_settings, &SettingsPanel::keepChanged, this, &MainWindow::showKeepShare);
    connect(m_settings, &SettingsPanel::openModelRequested, this, &MainWindow::chooseModel);
    connect(m_chart, &PredictionChart::classClicked, this, &MainWindow::explainClass);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int) {
        // The top-5 is the Explain and Compare tabs' photo: the gallery and the live view show
        // their own photos' and frames' classes, so it leaves with them.
        const bool photoTab = m_tabs->currentWidget() == pageOf(ViewKind::Explain)
            || m_tabs->currentWidget() == pageOf(ViewKind::Compare);
        m_predictionTitle->setVisible(photoTab);
        m_chart->setVisible(photoTab);
        m_controller->setView(currentView());
    });
    connect(m_settings, &SettingsPanel::requestChanged, this, &MainWindow::updateGallerySource);
    connect(m_galleryView, &GalleryView::openInExplain, this, [this](const QString& path) {
        showCompareView(false);
        openImage(path); // the same model, method and settings; the top-1 class, as the gallery's
        m_explainView->setObjectBoxes(m_galleryView->boxesOf(path));
    });
    connect(m_galleryView, &GalleryView::errorShown, this, [this](const QString& message) { showError(message); });
    connect(m_liveView, &LiveView::errorShown, this, [this](const QString& message) { showError(message); });
    connect(m_liveView, &LiveView::explainRequested, this, [this](const QString& path) {
        showCompareView(false);
        openImage(path); // every panel and variant of the frame
    });
    updateGallerySource();

    restoreGeometry(QSettings().value("window/geometry").toByteArray());
    if (!QSettings().contains("window/geometry"))
        resize(1400, 860);
    updateActions();
}

MainWindow::~MainWindow() = default;

QWidget* MainWindow::pageOf(ViewKind view) const
{
    return view == ViewKind::Explain ? static_cast<QWidget*>(m_explainView) : m_comparePage;
}

ViewKind MainWindow::currentView() const
{
    return m_tabs->currentWidget() == pageOf(ViewKind::Compare) ? ViewKind::Compare : ViewKind::Explain;
}

QString MainWindow::imagePath() const
{
    return m_controller->imagePath();
}

std::shared_ptr<const ExplainResult> MainWindow::lastResult() const
{
    return m_controller->explainResult();
}

ExplainService* MainWindow::service() const
{
    return m_controller->service();
}

void MainWindow::refreshModels(const std::string& select)
{
    const auto modelDirs = appModelDirs(m_explicitModelDirs);
    m_controller->setModelDirs(modelDirs);
    m_settings->setEdgeDetectors(availableEdgeDetectors(edgeOptionsFor(modelDirs)));
    const auto entries = scanModels(modelDirs);
    std::string chosen = select;
    bool present = false;
    for (const auto& e : entries)
        present = present || (e.jsonPath == select && e.error.empty());
    if (!present) {
        const CatalogEntry* preferred = preferredClassifier(entries);
        chosen = preferred ? preferred->jsonPath : std::string();
    }
    m_settings->setModels(entries, chosen);
    if (chosen.empty())
        showError("No classifier was found. Use File ▸ Open Model…, start with --models DIR, or set "
                  "FEATURECAM_MODEL_PATH to a folder of CAM-ready models (see models/README.md).");
}

bool MainWindow::selectModel(const QString& nameOrPath)
{
    const QFileInfo given(nameOrPath);
    if (given.suffix() == "onnx" && given.isFile()
        && !QFileInfo::exists(given.absolutePath() + "/" + given.completeBaseName() + ".json")) {
        const QString sidecar = setUpOnnxModel(nameOrPath);
        return !sidecar.isEmpty() && selectModel(sidecar);
    }
    try {
        const Sidecar sidecar = findModel(m_controller->modelDirs(), nameOrPath.toStdString());
        CatalogEntry entry{sidecar.id, sidecar.jsonPath, sidecar, {}};
        m_settings->addModel(entry);
        m_settings->setTargetClass(std::nullopt);
        m_controller->settingsChanged();
        updateGallerySource();
        return true;
    } catch (const Error& e) {
        showError(QString::fromStdString(e.userMessage()), QString::fromStdString(e.detail()));
        return false;
    }
}

void MainWindow::updateGallerySource()
{
    m_galleryView->setExplainSource(
        m_settings->modelPath(), m_controller->modelDirs(), m_settings->method(), m_settings->explainSettings());
    m_liveView->setExplainSource(
        m_settings->modelPath(), m_controller->modelDirs(), m_settings->method(), m_settings->explainSettings());
}

bool MainWindow::openLive(const QString& source)
{
    updateGallerySource();
    QString error;
    if (!m_liveView->start(source, &error)) {
        showError(error);
        return false;
    }
    m_tabs->setCurrentWidget(m_liveView);
    m_liveView->setFocus();
    return true;
}

InsideView* MainWindow::showInside()
{
    if (!m_inside) {
        m_inside = new InsideView(this);
        m_inside->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_inside, &QObject::destroyed, this, [this]() {
            m_inside = nullptr;
            m_controller->setDissect(false);
        });
        connect(m_inside, &InsideView::photoRequested, this, [this](const QString& path) {
            showCompareView(false);
            openImage(path);
        });
        if (auto result = m_controller->explainResult())
            m_inside->showResult(result); // says to run again when it was made without the steps
    }
    m_controller->setDissect(true); // runs the explain view again, with the steps
    m_inside->show();
    m_inside->raise();
    return m_inside;
}

bool MainWindow::openGallery(const QString& folderOrList)
{
    updateGallerySource();
    QString error;
    if (!m_galleryView->openSet(folderOrList, &error)) {
        showError(error);
        return false;
    }
    m_tabs->setCurrentWidget(m_galleryView);
    return true;
}

bool MainWindow::selectMethod(const QString& methodId)
{
    if (!findMethod(methodId.toStdString())) {
        showError(
            QString::fromStdString("Unknown method \"" + methodId.toStdString() + "\": use " + methodIdList() + "."));
        return false;
    }
    m_settings->setMethod(methodId.toStdString());
    showCompareView(false);
    m_controller->settingsChanged();
    updateGallerySource();
    return true;
}

void MainWindow::explainClass(int classIndex)
{
    m_settings->setTargetClass(classIndex);
    m_controller->settingsChanged();
}

void MainWindow::showCompareView(bool compare)
{
    m_tabs->setCurrentWidget(pageOf(compare ? ViewKind::Compare : ViewKind::Explain));
}

void MainWindow::openImage(const QString& path)
{
    m_settings->setTargetClass(std::nullopt);
    m_explainView->setObjectBoxes({}); // the gallery gives its photos' boxes after this
    setWindowTitle(QFileInfo(path).fileName() + " — Feature CAM Studio");
    m_recentFiles->add(path);
    m_controller->setImage(path);
}

void MainWindow::showKeepShare(double keepPercent)
{
    // The masks and explanation maps of the shown result redrawn for the new share, before the
    // engine re-classifies them (its debounced request follows).
    const auto shown = m_controller->explainResult();
    if (currentView() != ViewKind::Explain || !shown || shown->request.imagePath != imagePath())
        return;
    QElapsedTimer timer;
    timer.start();
    m_explainView->showResult(withKeepShare(*shown, keepPercent), m_settings->style());
    m_keepRepaintMs = double(timer.nsecsElapsed()) / 1e6;
    m_keepPreviewOf = shown->request.imagePath;
    m_status->setText(QString("Mask keeps %1 %: redrawn in %2 ms · re-classifying…")
                          .arg(keepPercent)
                          .arg(m_keepRepaintMs, 0, 'f', 1));
}

void MainWindow::onResult(std::shared_ptr<const ExplainResult> result)
{
    // The engine's first map of a keep change adds nothing to the redrawn masks already shown
    // (and has no variants yet): the complete result replaces them.
    if (result->explanation.partial && !m_keepPreviewOf.isEmpty() && result->request.imagePath == m_keepPreviewOf
        && result->request.view == ViewKind::Explain)
        return;
    if (!result->explanation.partial)
        m_keepPreviewOf.clear();
    hideError();
    m_settings->setLabels(result->model.labels);
    const auto& explanation = result->explanation;
    m_chart->setPredictions(explanation.predictions, explanation.explainedClass);
    m_predictionTitle->setText("Top-5 predictions of "
        + QString::fromStdString(result->model.name.empty() ? result->model.id : result->model.name));
    if (result->request.view == ViewKind::Compare)
        m_compareView->showResult(result, m_settings->style());
    else
        m_explainView->showResult(result, m_settings->style());
    if (result->request.edgeDetector.empty() && !explanation.partial) // a partial result has no edges yet
        m_settings->setAutomaticEdgeDetector(QString::fromStdString(result->edgeDetector), result->edgeFallback);
    const double onScreen
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - result->request.madeAt).count();
    const QString name = QFileInfo(result->request.imagePath).fileName();
    if (!explanation.previewNote.empty()) { // a map still being refined: say how far
        m_status->setText(QString("%1: %2 so far (%3)…")
                              .arg(name, methodDisplayName(explanation.methods.front().methodId),
                                  QString::fromStdString(explanation.previewNote)));
        return;
    }
    if (explanation.partial) {
        m_baseMapOnScreen = onScreen;
        // Logged for measurements (docs/performance.md): the first map's time to screen.
        qInfo("featurecam: base map on screen %.1f ms after the request (engine thread %.1f ms: image %.1f ms, "
              "model %.1f ms, gradient pass %.1f ms, maps %.1f ms)",
            1000 * onScreen, 1000 * result->seconds, 1000 * result->loadSeconds, 1000 * result->modelSeconds,
            1000 * explanation.timings.gradientPass, 1000 * explanation.timings.maps);
        m_status->setText(QString("%1: base map in %2 s (%3) · %4")
                              .arg(name)
                              .arg(onScreen, 0, 'f', 2)
                              .arg(stageTimes(*result))
                              .arg(result->request.settings.featureCam.empty()
                                      ? "re-classifying the explanation map…"
                                      : "edges, Feature CAM variants and re-classification running…"));
        return;
    }
    QString status = QString("%1 in %2 s (%3)").arg(name).arg(result->seconds, 0, 'f', 2).arg(stageTimes(*result));
    if (result->edgeFallback)
        status += " · no PiDiNet edge model found: Feature CAM used Sobel edges";
    m_status->setText(status);
    updateActions();
    Q_EMIT resultShown();
}

QString MainWindow::stageTimes(const ExplainResult& result)
{
    // Each stage that took time, so that a slow result says why (a model load, deep edges, Smooth
    // Grad-CAM++'s copies); stages skipped or cached are left out.
    const ExplainTimings& t = result.explanation.timings;
    const std::pair<const char*, double> stages[] = {{"image", result.loadSeconds}, {"model", result.modelSeconds},
        {"edges", result.edgeSeconds}, {"gradient pass", t.gradientPass}, {"maps", t.maps},
        {"masks and variants", t.variants}, {"re-classification", t.reclassification}};
    QStringList parts;
    for (const auto& [name, seconds] : stages)
        if (seconds >= 0.0005)
            parts << QString("%1 %2 s").arg(name).arg(seconds, 0, 'f', 3);
    return parts.join(" · ");
}

void MainWindow::onFailure(const QString& message, const QString& detail)
{
    m_keepPreviewOf.clear();
    m_status->setText("Failed.");
    const auto shown = lastResult();
    if (shown && shown->request.imagePath != imagePath()) {
        // The panels show another image: do not let them pass for this one.
        m_controller->forgetExplainResult();
        m_explainView->clear("Could not explain " + QFileInfo(imagePath()).fileName() + ".");
        m_compareView->clear(QString());
        m_chart->clear();
        updateActions();
    }
    if (m_explainView->showsPartialResult()) {
        // A staged answer that failed half-way (e.g. a broken edge model after the base map): its
        // "re-classifying…" would never end. The last complete result of this photo, or a message.
        if (shown && shown->request.imagePath == imagePath())
            m_explainView->showResult(shown, m_settings->style());
        else
            m_explainView->clear("Could not explain " + QFileInfo(imagePath()).fileName() + ".");
    }
    showError(message, detail);
}

void MainWindow::showError(const QString& message, const QString& detail)
{
    m_errorBar->setText(message);
    m_errorBar->setToolTip(detail.isEmpty() ? QString() : "Details: " + detail);
    m_errorBar->show();
    Q_EMIT errorShown(message);
}

void MainWindow::hideError()
{
    m_errorBar->hide();
    m_errorBar->clear();
}

QString MainWindow::errorMessage() const
{
    return m_errorBar->isVisible() || !m_errorBar->isHidden() ? m_errorBar->text() : QString();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    m_settings->saveSettings();
    QSettings().setValue("window/geometry", saveGeometry());
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const auto urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.front().isLocalFile())
        return;
    openImage(urls.front().toLocalFile());
    event->acceptProposedAction();
}

} // namespace fcs
