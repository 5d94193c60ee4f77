#include "ui/gallery/GalleryView.h"

#include "engine/core/Error.h"
#include "engine/evaluate/PointingGame.h"
#include "engine/gallery/GalleryCache.h"
#include "engine/gallery/GallerySet.h"
#include "engine/model/ModelCatalog.h"
#include "ui/gallery/ClassChart.h"
#include "ui/gallery/ContactSheet.h"
#include "ui/gallery/GalleryModel.h"
#include "ui/gallery/GalleryRunner.h"
#include "ui/gallery/GallerySortFilter.h"
#include "ui/widgets/ImagePanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace fcs {
namespace {

constexpr int kCellWidth = kGalleryThumbnailSide + 24;
constexpr int kCellHeight = kGalleryThumbnailSide + 44; // the picture and two lines of text

QString errorText(const Error& e)
{
    return QString::fromStdString(errorHeadline(e.code()) + " " + e.userMessage());
}

std::vector<std::string> labelsOf(const std::string& modelPath, const std::vector<std::string>& modelDirs)
{
    try {
        return modelPath.empty() ? std::vector<std::string>() : findModel(modelDirs, modelPath).labels;
    } catch (const Error&) {
        return {}; // the runner reports a model that cannot be used
    }
}

} // namespace

GalleryView::GalleryView(QWidget* parent)
    : QWidget(parent)
    , m_model(new GalleryModel(this))
    , m_proxy(new GallerySortFilter(this))
    , m_runner(new GalleryRunner(this))
    , m_list(new QListView)
    , m_chart(new ClassChart)
    , m_stack(new QStackedWidget)
    , m_order(new QComboBox)
    , m_variant(new QComboBox)
    , m_tolerance(new QDoubleSpinBox)
    , m_filter(new QLineEdit)
    , m_wrongOnly(new QCheckBox("Wrong only"))
    , m_progress(new QProgressBar)
    , m_status(new QLabel)
    , m_visibleTimer(new QTimer(this))
    , m_chartTimer(new QTimer(this))
    , m_cacheFile(GalleryCache::defaultLocation())
{
    m_proxy->setSourceModel(m_model);

    auto* openFolder = new QPushButton("Open folder…");
    auto* openList = new QPushButton("Open list…");
    auto* boxes = new QPushButton("Boxes…");
    boxes->setToolTip("Object boxes (file,x0,y0,x1,y1[,class_index] in the photos' pixels): plays the pointing game.");
    auto* clearButton = new QPushButton("Clear cache…");
    clearButton->setToolTip("Forget every stored result (the gallery cache is shared by all sets).");
    auto* compareButton = new QPushButton("Compare selection");
    compareButton->setToolTip("The selected photos side by side, larger, with their numbers.");
    auto* exportButton = new QPushButton("Export selection…");
    exportButton->setToolTip("The selected photos as a contact sheet (PNG or PDF) and their numbers as CSV beside it.");
    m_order->addItem("Set order", int(GalleryOrder::SetOrder));
    m_order->addItem("Wrong predictions first", int(GalleryOrder::WrongFirst));
    m_order->addItem("Lowest confidence", int(GalleryOrder::LowestConfidence));
    m_order->addItem("Largest drop on the explanation map", int(GalleryOrder::LargestDrop));
    m_order->addItem("Feature CAM variant beats its base most", int(GalleryOrder::VariantGain));
    m_order->addItem("Pointing-game misses first", int(GalleryOrder::PointingMisses));
    m_variant->addItem("No Feature CAM variant", QString());
    for (const auto& variant : allFeatureCamVariants())
        m_variant->addItem(QString("Compare with %1").arg(QString::fromStdString(variant.name())),
            QString::fromStdString(variant.name()));
    m_variant->setToolTip("A Feature CAM variant computed beside the base map (deep edges: slower).");
    m_tolerance->setRange(0, 500);
    m_tolerance->setDecimals(0);
    m_tolerance->setValue(m_settings.pointingTolerance);
    m_tolerance->setSuffix(" px");
    m_tolerance->setToolTip("Pointing game: how far the map's peak may lie from a box, in the model's input pixels "
                            "(15 is the usual at 224; scale it with the input).");
    m_tolerance->setEnabled(false); // until boxes are loaded
    m_tolerance->setAccessibleName("Pointing game tolerance");
    m_filter->setPlaceholderText("Filter: class or file name");
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName("Filter by class or file name");
    m_progress->setMaximumWidth(180);
    m_progress->setVisible(false);

    auto* bar = new QHBoxLayout; // what to open and compute
    for (QWidget* w : std::initializer_list<QWidget*>{openFolder, openList, boxes, m_tolerance, m_variant})
        bar->addWidget(w);
    bar->addStretch(1);
    bar->addWidget(clearButton);
    bar->addWidget(compareButton);
    bar->addWidget(exportButton);
    auto* view = new QHBoxLayout; // how to look at it
    view->addWidget(new QLabel("Order:"));
    view->addWidget(m_order);
    view->addWidget(m_filter, 1);
    view->addWidget(m_wrongOnly);

    m_list->setViewMode(QListView::IconMode);
    m_list->setResizeMode(QListView::Adjust);
    m_list->setMovement(QListView::Static);
    m_list->setUniformItemSizes(true); // the view lays out 10,000 items without asking each
    m_list->setLayoutMode(QListView::Batched);
    m_list->setBatchSize(500);
    m_list->setGridSize(QSize(kCellWidth, kCellHeight));
    m_list->setIconSize(QSize(kGalleryThumbnailSide, kGalleryThumbnailSide));
    // Two lines per photo, each elided to the cell (a long file name wrapped onto a second line
    // and pushed the class and confidence out of most cells).
    m_list->setWordWrap(false);
    m_list->setTextElideMode(Qt::ElideMiddle);
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setModel(m_proxy);
    m_list->setToolTip("Click a photo to explain it; Ctrl- or Shift-click to select several.");

    auto* empty = new QLabel("Open a folder, an image list or an evaluate folder\nto see every photo explained.");
    empty->setAlignment(Qt::AlignCenter);
    empty->setStyleSheet("color: gray; font-size: 14pt;");
    m_stack->addWidget(empty);
    m_stack->addWidget(m_list);

    auto* splitter = new QSplitter;
    splitter->addWidget(m_stack);
    splitter->addWidget(m_chart);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 1);
    m_chart->setMinimumWidth(300);

    auto* status = new QHBoxLayout;
    status->addWidget(m_status, 1);
    status->addWidget(m_progress);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addLayout(view);
    layout->addWidget(splitter, 1);
    layout->addLayout(status);

    connect(openFolder, &QPushButton::clicked, this, [this]() { chooseSet(true); });
    connect(openList, &QPushButton::clicked, this, [this]() { chooseSet(false); });
    connect(boxes, &QPushButton::clicked, this, &GalleryView::chooseBoxes);
    connect(exportButton, &QPushButton::clicked, this, &GalleryView::exportChosen);
    connect(compareButton, &QPushButton::clicked, this, &GalleryView::compareChosen);
    connect(clearButton, &QPushButton::clicked, this, &GalleryView::confirmClearCache);
    connect(m_order, &QComboBox::currentIndexChanged, this, [this]() {
        m_proxy->setOrder(GalleryOrder(m_order->currentData().toInt()));
        m_visibleTimer->start();
    });
    connect(m_variant, &QComboBox::currentIndexChanged, this, [this]() {
        const QString name = m_variant->currentData().toString();
        setVariant(name.isEmpty() ? std::nullopt
                                  : std::optional<FeatureCamVariant>(parseFeatureCamVariant(name.toStdString())));
    });
    connect(m_tolerance, &QDoubleSpinBox::valueChanged, this, &GalleryView::setPointingTolerance);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_proxy->setText(text);
        m_visibleTimer->start();
    });
    connect(m_wrongOnly, &QCheckBox::toggled, this, [this](bool on) {
        m_proxy->setWrongOnly(on);
        m_visibleTimer->start();
    });
    connect(m_chart, &ClassChart::classClicked, this, [this](int classIndex) {
        m_filter->blockSignals(true);
        m_filter->setText(m_model->label(classIndex));
        m_filter->blockSignals(false);
        m_proxy->setText({});
        m_proxy->setClassIndex(classIndex);
        m_visibleTimer->start();
    });
    connect(m_filter, &QLineEdit::textEdited, this, [this]() { m_proxy->setClassIndex(std::nullopt); });
    connect(m_list, &QListView::clicked, this, [this](const QModelIndex& index) {
        if (QGuiApplication::keyboardModifiers() != Qt::NoModifier)
            return; // selecting several
        Q_EMIT openInExplain(index.data(PathRole).toString());
    });
    connect(m_runner, &GalleryRunner::jobReady, this, [this](quint64 job, const QString& file, const QString& key) {
        if (job != m_runner->jobId())
            return;
        try {
            m_model->setPictureSource(file, key.toStdString());
        } catch (const Error& e) {
            Q_EMIT errorShown(errorText(e));
        }
        prioritizeVisible();
    });
    connect(m_runner, &GalleryRunner::itemDone, this, &GalleryView::onItemDone);
    connect(m_runner, &GalleryRunner::finished, this, &GalleryView::onFinished);
    connect(m_runner, &GalleryRunner::failed, this, [this](quint64 job, const QString& message) {
        if (job != m_runner->jobId())
            return;
        m_progress->setVisible(false);
        m_status->setText(message);
        Q_EMIT errorShown(message);
    });

    m_visibleTimer->setSingleShot(true);
    m_visibleTimer->setInterval(30);
    connect(m_visibleTimer, &QTimer::timeout, this, &GalleryView::prioritizeVisible);
    connect(m_list->verticalScrollBar(), &QScrollBar::valueChanged, m_visibleTimer, qOverload<>(&QTimer::start));
    m_chartTimer->setInterval(1000);
    connect(m_chartTimer, &QTimer::timeout, this, [this]() { m_chart->update(*m_model); });
}

GalleryView::~GalleryView() = default;

void GalleryView::setExplainSource(const std::string& modelPath, const std::vector<std::string>& modelDirs,
    const std::string& method, const ExplainSettings& settings)
{
    if (modelPath != m_modelPath && !m_images.empty())
        m_model->setLabels(labelsOf(modelPath, modelDirs));
    m_modelPath = modelPath;
    m_modelDirs = modelDirs;
    m_settings.method = method;
    m_settings.parameters = settings;
    m_settings.edgeDetector.clear(); // the preferred one, as the explain view
    if (!m_images.empty())
        restart();
}

void GalleryView::setCacheFile(const QString& file)
{
    m_cacheFile = file;
    m_runningKey.clear();
}

void GalleryView::setVariant(const std::optional<FeatureCamVariant>& variant)
{
    m_settings.variant = variant;
    if (!m_images.empty())
        restart();
}

void GalleryView::setPointingTolerance(double inputPixels)
{
    if (m_settings.pointingTolerance == inputPixels)
        return;
    m_settings.pointingTolerance = inputPixels;
    m_tolerance->setValue(inputPixels);
    if (!m_images.empty())
        restart();
}

std::vector<ObjectBox> GalleryView::boxesOf(const QString& imagePath) const
{
    for (const auto& image : m_images)
        if (QString::fromStdString(image.path) == imagePath)
            return image.boxes.value_or(std::vector<ObjectBox>());
    return {};
}

bool GalleryView::openSet(const QString& folderOrList, QString* error)
{
    try {
        m_images = readGallerySet(folderOrList.toStdString());
    } catch (const Error& e) {
        *error = errorText(e);
        return false;
    }
    m_setPath = folderOrList;
    m_tolerance->setEnabled(false); // a new set has no boxes yet
    m_model->setImages(m_images, labelsOf(m_modelPath, m_modelDirs));
    m_proxy->setClassIndex(std::nullopt);
    m_stack->setCurrentIndex(1);
    m_runningKey.clear();
    restart();
    return true;
}

bool GalleryView::setBoxFile(const QString& csv, QString* error)
{
    try {
        const auto boxes = readObjectBoxes(csv.toStdString());
        for (auto& image : m_images)
            image.boxes.reset();
        const auto unknown = attachBoxes(m_images, boxes);
        if (unknown.size() == boxes.size()) {
            *error = "The box file names none of the gallery's photos; its `file` column must name them as the "
                     "image list does.";
            return false;
        }
    } catch (const Error& e) {
        *error = errorText(e);
        return false;
    }
    for (int row = 0; row < m_model->rowCount(); ++row)
        m_model->setBoxes(row, m_images[std::size_t(row)].boxes);
    m_tolerance->setEnabled(true);
    m_runningKey.clear();
    restart();
    return true;
}

void GalleryView::restart()
{
    if (m_modelPath.empty()) {
        m_status->setText(
            "Choose a classifier (File ▸ Open Model…, or the Model box on the right) to explain the set.");
        return;
    }
    const GallerySettings& settings = m_settings;
    // Only what the results depend on: a change of colour map or class does not re-run the set.
    const std::string base = galleryBaseKey("", settings);
    const bool boxes = std::any_of(m_images.begin(), m_images.end(), [](const auto& i) { return i.boxes.has_value(); });
    const std::string key = m_modelPath + "\n" + (settings.variant ? galleryVariantKey(base, settings) : base)
        + (boxes ? "\ntolerance=" + std::to_string(settings.pointingTolerance) : std::string());
    if (key == m_runningKey)
        return;
    m_runningKey = key;
    m_model->resetResults();
    GalleryJob job;
    job.images = m_images;
    job.modelPath = m_modelPath;
    job.modelDirs = m_modelDirs;
    job.settings = settings;
    job.cacheFile = m_cacheFile;
    m_runner->start(std::move(job));
    m_progress->setRange(0, int(m_images.size()));
    m_progress->setValue(0);
    m_progress->setVisible(true);
    m_chartTimer->start();
    updateProgress();
}

void GalleryView::onItemDone(quint64 job, int row, const GalleryItemResult& result)
{
    if (job != m_runner->jobId())
        return;
    m_model->setResult(row, result);
    const QString cacheNote = QString::fromStdString(result.cacheNote);
    if (cacheNote != m_cacheNoteShown) { // the cache file went away or came back
        m_cacheNoteShown = cacheNote;
        if (!cacheNote.isEmpty())
            Q_EMIT errorShown(cacheNote);
    }
    if (m_model->doneCount() % 25 == 0)
        updateProgress();
}

void GalleryView::onFinished(quint64 job, double seconds)
{
    if (job != m_runner->jobId())
        return;
    m_chartTimer->stop();
    m_progress->setVisible(false);
    m_proxy->refresh(); // the order with every number in
    m_chart->update(*m_model);
    const auto& c = m_runner->counts();
    const QString cache = c.cacheNote.isEmpty()
        ? QString("Cache: %1 (%2 MB).").arg(m_cacheFile).arg(QFileInfo(m_cacheFile).size() / 1e6, 0, 'f', 1)
        : c.cacheNote;
    m_status->setText(QString("%1 photos in %2 s: %3 explained, %4 from the cache%5. %6")
                          .arg(c.done)
                          .arg(seconds, 0, 'f', 1)
                          .arg(c.explained)
                          .arg(c.done - c.explained - c.failed)
                          .arg(c.failed ? QString(", %1 could not be read").arg(c.failed) : QString())
                          .arg(cache));
    Q_EMIT setFinished(seconds);
}

void GalleryView::updateProgress()
{
    m_progress->setValue(m_model->doneCount());
    m_status->setText(
        QString("Explaining %1 photos in the background… %2 done").arg(m_model->rowCount()).arg(m_model->doneCount()));
}

void GalleryView::prioritizeVisible()
{
    if (m_proxy->rowCount() == 0)
        return;
    const QRect area = m_list->viewport()->rect();
    QModelIndex first = m_list->indexAt(area.topLeft() + QPoint(kCellWidth / 2, kCellHeight / 2));
    if (!first.isValid())
        first = m_proxy->index(0, 0);
    const int columns = std::max(1, area.width() / kCellWidth);
    const int shown = columns * (area.height() / kCellHeight + 2);
    std::vector<int> rows;
    for (int row = first.row(); row < std::min(m_proxy->rowCount(), first.row() + shown); ++row)
        rows.push_back(m_proxy->mapToSource(m_proxy->index(row, 0)).row());
    m_runner->prioritize(rows);
}

std::vector<int> GalleryView::selectedSourceRows() const
{
    std::vector<int> rows;
    auto selected = m_list->selectionModel()->selectedIndexes();
    std::sort(
        selected.begin(), selected.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    for (const auto& index : selected)
        rows.push_back(m_proxy->mapToSource(index).row());
    return rows;
}

bool GalleryView::exportSelection(const QString& sheetPath, QString* error)
{
    const auto rows = selectedSourceRows();
    if (rows.empty()) {
        *error = "Select the photos to export first (Ctrl- or Shift-click).";
        return false;
    }
    const QString title = QString("%1 — %2 photos, %3")
                              .arg(QFileInfo(m_setPath).fileName())
                              .arg(rows.size())
                              .arg(QString::fromStdString(m_settings.method));
    if (!exportContactSheet(contactCells(*m_model, rows), title, sheetPath, error))
        return false;
    const QString csvPath = QFileInfo(sheetPath).path() + "/" + QFileInfo(sheetPath).completeBaseName() + ".csv";
    QFile csv(csvPath);
    if (!csv.open(QIODevice::WriteOnly) || csv.write(selectionCsv(*m_model, rows).toUtf8()) < 0) {
        *error = "Could not write \"" + csvPath + "\". Check the folder's permissions.";
        return false;
    }
    return true;
}

bool GalleryView::clearCache(QString* error)
{
    m_runner->stop();
    try {
        GalleryCache(m_cacheFile).clear();
    } catch (const Error& e) {
        *error = errorText(e);
        return false;
    }
    m_runningKey.clear();
    if (!m_images.empty())
        restart();
    return true;
}

void GalleryView::confirmClearCache()
{
    const auto answer = QMessageBox::question(this, "Clear the gallery cache",
        QString("Forget every result stored in %1 (%2 MB)? Sets opened again are explained again.")
            .arg(m_cacheFile)
            .arg(QFileInfo(m_cacheFile).size() / 1e6, 0, 'f', 1));
    QString error;
    if (answer == QMessageBox::Yes && !clearCache(&error))
        Q_EMIT errorShown(error);
}

QWidget* GalleryView::compareSelection(QString* error)
{
    const auto rows = selectedSourceRows();
    if (rows.empty()) {
        *error = "Select the photos to compare first (Ctrl- or Shift-click).";
        return nullptr;
    }
    auto* window = new QWidget(this, Qt::Window);
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->setWindowTitle(QString("%1 photos side by side — Feature CAM Studio").arg(rows.size()));
    auto* grid = new QGridLayout(window);
    const auto cells = contactCells(*m_model, rows);
    const int columns = std::min(4, int(cells.size()));
    for (std::size_t i = 0; i < cells.size(); ++i) {
        auto* panel = new ImagePanel(cells[i].caption.join('\n'));
        panel->setImage(cells[i].picture);
        panel->setToolTipText(m_model->index(rows[i]).data(Qt::ToolTipRole).toString());
        grid->addWidget(panel, int(i) / columns, int(i) % columns);
    }
    window->resize(std::min(1400, 300 * columns), 340 * ((int(cells.size()) + columns - 1) / columns));
    window->show();
    return window;
}

void GalleryView::compareChosen()
{
    QString error;
    if (!compareSelection(&error))
        Q_EMIT errorShown(error);
}

void GalleryView::chooseSet(bool folder)
{
    const QString path = folder
        ? QFileDialog::getExistingDirectory(this, "Open a folder of photos (or an evaluate folder)")
        : QFileDialog::getOpenFileName(this, "Open an image list", {}, "Image lists (*.csv);;All files (*)");
    if (path.isEmpty())
        return;
    QString error;
    if (!openSet(path, &error))
        Q_EMIT errorShown(error);
}

void GalleryView::chooseBoxes()
{
    const QString path = QFileDialog::getOpenFileName(this, "Open a box file", {}, "Box files (*.csv);;All files (*)");
    if (path.isEmpty())
        return;
    QString error;
    if (!setBoxFile(path, &error))
        Q_EMIT errorShown(error);
}

void GalleryView::exportChosen()
{
    const QString path
        = QFileDialog::getSaveFileName(this, "Export the selection", "contact-sheet.pdf", "PDF (*.pdf);;PNG (*.png)");
    if (path.isEmpty())
        return;
    QString error;
    if (!exportSelection(path, &error))
        Q_EMIT errorShown(error);
}

} // namespace fcs
