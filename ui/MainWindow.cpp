#include "MainWindow.h"

#include "AppPaths.h"
#include "charts/PredictionChart.h"
#include "core/Error.h"
#include "core/Version.h"
#include "export/FigureExport.h"
#include "io/ImageLoader.h"
#include "survey/SurveyBuilderDialog.h"
#include "survey/SurveyResultsWindow.h"
#include "survey/SurveySession.h"
#include "views/CompareView.h"
#include "views/EvaluationWindow.h"
#include "views/ExplainView.h"
#include "views/StageImages.h"
#include "widgets/ImagePanel.h"
#include "widgets/SettingsPanel.h"
#include "worker/ExplainService.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
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

namespace fcs {
namespace {

constexpr int kMaxRecentFiles = 8;

QString imageFilter()
{
    return "Images (*.jpg *.jpeg *.png *.bmp *.tif *.tiff *.webp);;All files (*)";
}

} // namespace

MainWindow::MainWindow(const std::vector<std::string>& modelDirs, QWidget* parent)
    : QMainWindow(parent)
    , m_explicitModelDirs(modelDirs)
    , m_service(new ExplainService(this))
    , m_settings(new SettingsPanel)
    , m_chart(new PredictionChart)
    , m_explainView(new ExplainView)
    , m_compareView(new CompareView)
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

    m_tabs->addTab(m_explainView, "&Explain");
    auto* compareScroll = new QScrollArea;
    compareScroll->setWidget(m_compareView);
    compareScroll->setWidgetResizable(true);
    m_tabs->addTab(compareScroll, "Compare &methods");

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

    connect(m_service, &ExplainService::resultReady, this, &MainWindow::onResult);
    connect(m_service, &ExplainService::failed, this, &MainWindow::onFailure);
    connect(m_service, &ExplainService::progress, m_status, &QLabel::setText);
    connect(m_service, &ExplainService::busyChanged, m_busy, &QWidget::setVisible);
    connect(m_settings, &SettingsPanel::requestChanged, this, [this]() {
        m_compareStale = true;
        requestExplanation();
    });
    connect(m_settings, &SettingsPanel::styleChanged, this, [this]() {
        m_explainView->setStyle(m_settings->style());
        m_compareView->setStyle(m_settings->style());
    });
    connect(m_settings, &SettingsPanel::openModelRequested, this, &MainWindow::chooseModel);
    connect(m_chart, &PredictionChart::classClicked, this, &MainWindow::explainClass);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int) {
        if (m_tabs->currentIndex() == 1 && m_compareStale)
            requestExplanation();
        else if (m_tabs->currentIndex() == 0 && !m_lastResult && !m_imagePath.isEmpty())
            requestExplanation();
    });

    restoreGeometry(QSettings().value("window/geometry").toByteArray());
    if (!QSettings().contains("window/geometry"))
        resize(1400, 860);
    updateActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu("&File");
    file->addAction("&Open Image…", QKeySequence::Open, this, &MainWindow::chooseImage);
    m_recentMenu = file->addMenu("Open &Recent");
    m_sampleMenu = file->addMenu("&Sample Images");
    for (const QString& sample : sampleImages()) {
        m_sampleMenu->addAction(QFileInfo(sample).fileName(), this, [this, sample]() { openImage(sample); });
    }
    m_sampleMenu->setEnabled(!m_sampleMenu->isEmpty());
    file->addAction("Open &Model…", QKeySequence(Qt::CTRL | Qt::Key_M), this, &MainWindow::chooseModel);
    file->addAction("Open E&valuation Results…", this, [this]() {
        const QString folder = QFileDialog::getExistingDirectory(this, "The --out folder of featurecam-cli evaluate");
        if (!folder.isEmpty())
            showEvaluation(folder);
    });
    file->addSeparator();
    m_resultActions << file->addAction(
        "&Export Figure (PNG or PDF)…", QKeySequence(Qt::CTRL | Qt::Key_E), this, &MainWindow::exportFigure);
    m_resultActions << file->addAction(
        "Export &Panels as PNG…", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), this, &MainWindow::exportPanels);
    file->addSeparator();
    file->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);

    QMenu* view = menuBar()->addMenu("&View");
    view->addAction("&Explain", QKeySequence(Qt::CTRL | Qt::Key_1), this, [this]() { showCompareView(false); });
    view->addAction("&Compare Methods", QKeySequence(Qt::CTRL | Qt::Key_2), this, [this]() { showCompareView(true); });
    view->addSeparator();
    m_resultActions << view->addAction("&Run Again", QKeySequence::Refresh, this, [this]() {
        m_compareStale = true;
        requestExplanation();
    });

    QMenu* method = menuBar()->addMenu("&Method");
    int shortcut = 0;
    for (const char* id : {"gradcam", "gradcampp", "smoothgradcampp", "cam"}) {
        QAction* action
            = method->addAction(m_settings->methodCombo()->itemText(m_settings->methodCombo()->findData(id)));
        action->setShortcut(QKeySequence(Qt::ALT | (Qt::Key_1 + shortcut++)));
        connect(action, &QAction::triggered, this, [this, id]() { selectMethod(id); });
    }

    QMenu* survey = menuBar()->addMenu("&Survey");
    survey->addAction("&New Survey…", this, &MainWindow::newSurvey);
    survey->addAction("&Run Survey (Participant Session)…", this, &MainWindow::runSurvey);
    survey->addAction("Survey &Results…", this, &MainWindow::showSurveyResults);

    QMenu* help = menuBar()->addMenu("&Help");
    help->addAction("&How the Methods Work", QKeySequence::HelpContents, this, [this]() { showCompareView(true); });
    help->addAction("&About Feature CAM Studio", this, &MainWindow::about);
    help->addAction("About &Qt", qApp, &QApplication::aboutQt);
    updateRecentMenu();
}

void MainWindow::updateActions()
{
    for (QAction* action : m_resultActions)
        action->setEnabled(m_lastResult != nullptr);
}

void MainWindow::refreshModels(const std::string& select)
{
    m_modelDirs = appModelDirs(m_explicitModelDirs);
    const auto entries = scanModels(m_modelDirs);
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
    try {
        const Sidecar sidecar = findModel(m_modelDirs, nameOrPath.toStdString());
        CatalogEntry entry{sidecar.id, sidecar.jsonPath, sidecar, {}};
        m_settings->addModel(entry);
        m_settings->setTargetClass(std::nullopt);
        m_compareStale = true;
        requestExplanation();
        return true;
    } catch (const Error& e) {
        showError(QString::fromStdString(e.userMessage()), QString::fromStdString(e.detail()));
        return false;
    }
}

bool MainWindow::selectMethod(const QString& methodId)
{
    if (m_settings->methodCombo()->findData(methodId) < 0) {
        showError("Unknown method \"" + methodId + "\": use gradcam, gradcampp, smoothgradcampp or cam.");
        return false;
    }
    m_settings->setMethod(methodId.toStdString());
    showCompareView(false);
    requestExplanation();
    return true;
}

void MainWindow::explainClass(int classIndex)
{
    m_settings->setTargetClass(classIndex);
    m_compareStale = true;
    requestExplanation();
}

void MainWindow::showCompareView(bool compare)
{
    m_tabs->setCurrentIndex(compare ? 1 : 0);
}

void MainWindow::openImage(const QString& path)
{
    m_imagePath = path;
    m_settings->setTargetClass(std::nullopt);
    setWindowTitle(QFileInfo(path).fileName() + " — Feature CAM Studio");
    addRecentFile(path);
    m_compareStale = true;
    m_lastResult.reset();
    requestExplanation();
}

void MainWindow::requestExplanation()
{
    if (m_imagePath.isEmpty())
        return;
    if (m_settings->modelPath().empty()) {
        showError("Choose a classifier first: File ▸ Open Model…");
        return;
    }
    ExplainRequest request;
    request.imagePath = m_imagePath;
    request.modelPath = m_settings->modelPath();
    request.modelDirs = m_modelDirs;
    request.targetClass = m_settings->targetClass();
    request.keepPercent = m_settings->keepPercent();
    request.k = m_settings->k();
    request.smooth.samples = m_settings->smoothSamples();
    request.smooth.sigma = m_settings->smoothSigma();
    request.allVariants = m_settings->allVariants();
    request.edgeDetector = m_settings->edgeDetector();
    request.compare = m_tabs->currentIndex() == 1;
    if (request.compare)
        request.methods = {"gradcam", "gradcampp", "smoothgradcampp", "cam"};
    else
        request.methods = {m_settings->method()};
    m_status->setText("Starting…");
    m_service->request(request);
}

void MainWindow::onResult(std::shared_ptr<const ExplainResult> result)
{
    hideError();
    m_settings->setLabels(result->model.labels);
    const auto& explanation = result->explanation;
    m_chart->setPredictions(explanation.predictions, explanation.explainedClass);
    m_predictionTitle->setText("Top-5 predictions of "
        + QString::fromStdString(result->model.name.empty() ? result->model.id : result->model.name));
    if (result->request.compare) {
        m_compareView->showResult(result, m_settings->style());
        m_compareStale = false;
    } else {
        m_lastResult = result;
        m_explainView->showResult(result, m_settings->style());
    }
    if (result->request.edgeDetector.empty())
        m_settings->setAutomaticEdgeDetector(QString::fromStdString(result->edgeDetector), result->edgeFallback);
    QString status
        = QString("%1 in %2 s").arg(QFileInfo(result->request.imagePath).fileName()).arg(result->seconds, 0, 'f', 2);
    if (result->edgeFallback)
        status += " · no PiDiNet edge model found: Feature CAM used Sobel edges";
    m_status->setText(status);
    updateActions();
    Q_EMIT resultShown();
}

void MainWindow::onFailure(const QString& message, const QString& detail)
{
    m_status->setText("Failed.");
    if (m_lastResult && m_lastResult->request.imagePath != m_imagePath) {
        // The panels show another image: do not let them pass for this one.
        m_lastResult.reset();
        m_explainView->clear("Could not explain " + QFileInfo(m_imagePath).fileName() + ".");
        m_compareView->clear(QString());
        m_chart->clear();
        updateActions();
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

void MainWindow::chooseImage()
{
    const QString start = m_imagePath.isEmpty() ? QDir::homePath() : QFileInfo(m_imagePath).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, "Open Image", start, imageFilter());
    if (!path.isEmpty())
        openImage(path);
}

void MainWindow::chooseModel()
{
    const QString path = QFileDialog::getOpenFileName(
        this, "Open Model", QDir::homePath(), "CAM-ready models (*.json *.pt);;All files (*)");
    if (!path.isEmpty())
        selectModel(path);
}

bool MainWindow::exportFigureTo(const QString& path)
{
    if (!m_lastResult)
        return false;
    QString error;
    if (!fcs::exportFigure(*m_lastResult, m_settings->style(), path, &error)) {
        showError(error);
        return false;
    }
    m_status->setText("Figure written to " + path);
    return true;
}

void MainWindow::exportFigure()
{
    if (!m_lastResult)
        return;
    const QString suggested = QFileInfo(m_imagePath).completeBaseName() + "-featurecam.pdf";
    const QString path
        = QFileDialog::getSaveFileName(this, "Export Figure", suggested, "PDF document (*.pdf);;PNG image (*.png)");
    if (!path.isEmpty())
        exportFigureTo(path);
}

void MainWindow::exportPanels()
{
    if (!m_lastResult)
        return;
    const QString folder = QFileDialog::getExistingDirectory(this, "Export Panels to Folder");
    if (folder.isEmpty())
        return;
    int written = 0;
    std::vector<ImagePanel*> panels = m_explainView->stagePanels();
    for (auto* panel : m_explainView->variantPanels())
        panels.push_back(panel);
    for (auto* panel : panels) {
        QString name = panel->caption().replace('\n', ' ').toLower();
        name.replace(QRegularExpression("[^a-z0-9+-]+"), "-");
        if (!panel->image().isNull()
            && panel->image().save(
                QDir(folder).filePath(QString("%1-%2.png").arg(written + 1, 2, 10, QChar('0')).arg(name.left(60)))))
            ++written;
    }
    m_status->setText(QString("%1 panels written to %2").arg(written).arg(folder));
}

void MainWindow::about()
{
    QMessageBox::about(this, "About Feature CAM Studio",
        QString("<h3>Feature CAM Studio %1</h3>"
                "<p>Shows why a CNN image classifier chose a class: CAM, Grad-CAM, Grad-CAM++, Smooth Grad-CAM++ "
                "and Feature CAM, which blends deep edge maps into their saliency maps.</p>"
                "<p>After F. Clement, J. Yang, I. Cheng: <i>Feature CAM: Interpretable AI in Image "
                "Classification</i>.</p><p>Built with Qt %2, LibTorch, OpenCV and QCustomPlot.</p>")
            .arg(FCS_VERSION, qVersion()));
}

void MainWindow::newSurvey()
{
    auto* dialog = new SurveyBuilderDialog(m_modelDirs, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString sample = QString::fromLocal8Bit(qgetenv("FEATURECAM_DATA_PATH")) + "/imagenet-sample/labels.csv";
    if (QFileInfo::exists(sample))
        dialog->setImages(sample, 10);
    dialog->show();
}

bool MainWindow::startSurveySession(const QString& path, bool fullScreen)
{
    try {
        auto* session = new SurveySession(SurveyDatabase::open(path));
        session->setAttribute(Qt::WA_DeleteOnClose);
        if (fullScreen)
            session->showFullScreen();
        else
            session->show();
        return true;
    } catch (const Error& e) {
        showError(QString::fromStdString(e.userMessage()));
        QMessageBox::warning(this, "Run Survey", QString::fromStdString(e.userMessage()));
        return false;
    }
}

void MainWindow::runSurvey()
{
    const QString path
        = QFileDialog::getOpenFileName(this, "Run Survey", QString(), "Surveys (*.fcsurvey);;All files (*)");
    if (!path.isEmpty())
        startSurveySession(path);
}

void MainWindow::showSurveyResults()
{
    const QStringList files = QFileDialog::getOpenFileNames(this,
        "Survey Results (choose one or several copies of a survey)", QString(), "Surveys (*.fcsurvey);;All files (*)");
    if (!files.isEmpty())
        showSurveyResultsOf(files);
}

bool MainWindow::openToolWindow(const std::function<QWidget*()>& make)
{
    try {
        QWidget* window = make();
        window->setAttribute(Qt::WA_DeleteOnClose);
        window->show();
        return true;
    } catch (const Error& e) {
        showError(QString::fromStdString(e.userMessage()));
        return false;
    }
}

bool MainWindow::showSurveyResultsOf(const QStringList& surveyFiles)
{
    return openToolWindow([&surveyFiles]() { return new SurveyResultsWindow(surveyFiles); });
}

bool MainWindow::showEvaluation(const QString& folder)
{
    return openToolWindow([&folder]() { return new EvaluationWindow(folder); });
}

void MainWindow::addRecentFile(const QString& path)
{
    QSettings settings;
    QStringList files = settings.value("recentFiles").toStringList();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    files.removeAll(absolute);
    files.prepend(absolute);
    settings.setValue("recentFiles", files.mid(0, kMaxRecentFiles));
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = QSettings().value("recentFiles").toStringList();
    for (const QString& file : files)
        m_recentMenu->addAction(QFileInfo(file).fileName(), this, [this, file]() { openImage(file); })
            ->setToolTip(file);
    m_recentMenu->setEnabled(!files.isEmpty());
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
