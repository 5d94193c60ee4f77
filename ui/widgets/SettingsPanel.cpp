#include "ui/widgets/SettingsPanel.h"

#include "engine/catalog/Defaults.h"
#include "engine/catalog/MethodCatalog.h"
#include "engine/featurecam/FeatureCam.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QStringListModel>
#include <QTimer>
#include <QVBoxLayout>

namespace fcs {
namespace {

QDoubleSpinBox* doubleSpin(double min, double max, double step, int decimals, double value, QWidget* parent)
{
    auto* spin = new QDoubleSpinBox(parent);
    spin->setRange(min, max);
    spin->setSingleStep(step);
    spin->setDecimals(decimals);
    spin->setValue(value);
    spin->setKeyboardTracking(false); // typing "75" should not run "7" first
    return spin;
}

} // namespace

SettingsPanel::SettingsPanel(QWidget* parent)
    : QWidget(parent)
    , m_model(new QComboBox(this))
    , m_openModel(new QPushButton("Open…", this))
    , m_method(new QComboBox(this))
    , m_edges(new QComboBox(this))
    , m_classEdit(new QLineEdit(this))
    , m_topClass(new QPushButton("Top-1", this))
    , m_classNote(new QLabel(this))
    , m_keep(doubleSpin(1, 100, 5, 0, defaults::kKeepPercent, this))
    , m_k(doubleSpin(0, kMaxFeatureCamK, 0.05, 2, defaults::kFeatureCamK, this))
    , m_samples(new QSpinBox(this))
    , m_sigma(doubleSpin(0, 1, 0.05, 2, defaults::kSmoothSigma, this))
    , m_allVariants(new QCheckBox("All nine Feature CAM variants", this))
    , m_colormap(new QComboBox(this))
    , m_opacity(new QSlider(Qt::Horizontal, this))
    , m_debounce(new QTimer(this))
{
    m_model->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_model->setMinimumContentsLength(16);
    m_model->setToolTip("The classifier to explain. Models are found on the models path.");
    m_openModel->setToolTip("Open a model file (.pt with its .json sidecar).");
    const MethodParameters parameters;
    for (const auto& method : methodCatalog()) {
        m_method->addItem(QString::fromStdString(method.displayName), QString::fromStdString(method.id));
        m_method->setItemData(m_method->count() - 1,
            QString::fromStdString(method.summary + " Cost: " + method.costDescription(parameters) + "."),
            Qt::ToolTipRole);
    }
    m_method->setCurrentIndex(m_method->findData(defaults::kMethod));
    m_edges->addItem("Automatic", ""); // completed with what it chose after the first run
    m_edges->setToolTip("The edge detector whose map Feature CAM blends into the saliency map.");
    m_classEdit->setPlaceholderText("Type a class name…");
    m_classEdit->setClearButtonEnabled(true);
    m_classEdit->setToolTip("Explain another class: type its name, or click a bar of the predictions chart.");
    m_topClass->setToolTip("Explain the top-1 prediction again.");
    m_classNote->setWordWrap(true);
    m_keep->setSuffix(" %");
    m_keep->setToolTip(
        QString("The mask keeps this share of the most salient pixels (the paper: %1 %).").arg(defaults::kKeepPercent));
    m_k->setToolTip(
        QString("Feature CAM X1 = k·P + M: the weight of the edge input (the paper: %1).").arg(defaults::kFeatureCamK));
    m_samples->setRange(1, 200);
    m_samples->setValue(defaults::kSmoothSamples);
    m_samples->setKeyboardTracking(false);
    m_samples->setToolTip("Smooth Grad-CAM++: how many noisy copies are averaged.");
    m_sigma->setToolTip("Smooth Grad-CAM++: noise as a share of the image's value range.");
    for (const auto& name : colormapNames())
        m_colormap->addItem(QString::fromStdString(name), QString::fromStdString(name));
    m_colormap->setCurrentIndex(m_colormap->findData(QString::fromStdString(colormapName(defaults::kColormap))));
    m_colormap->setToolTip("viridis and cividis read alike for colour-blind viewers; jet does not.");
    m_opacity->setRange(0, 100);
    m_opacity->setValue(int(100 * defaults::kOpacity));
    m_opacity->setToolTip("Opacity of the colormap over the image.");
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(250);

    auto* whatBox = new QGroupBox("Explain", this);
    auto* what = new QFormLayout(whatBox);
    auto* modelRow = new QHBoxLayout;
    modelRow->addWidget(m_model, 1);
    modelRow->addWidget(m_openModel);
    auto* modelLabel = new QLabel("&Model:", whatBox);
    modelLabel->setBuddy(m_model);
    what->addRow(modelLabel, modelRow);
    what->addRow("M&ethod:", m_method);
    what->addRow("&Edges:", m_edges);
    auto* classRow = new QHBoxLayout;
    classRow->addWidget(m_classEdit, 1);
    classRow->addWidget(m_topClass);
    auto* classLabel = new QLabel("&Class:", whatBox);
    classLabel->setBuddy(m_classEdit);
    what->addRow(classLabel, classRow);
    what->addRow(QString(), m_classNote);

    auto* howBox = new QGroupBox("Settings", this);
    auto* how = new QFormLayout(howBox);
    how->addRow("Mask &keeps:", m_keep);
    how->addRow("Feature CAM &k:", m_k);
    how->addRow("Smooth &n:", m_samples);
    how->addRow("Smooth &sigma:", m_sigma);
    how->addRow(m_allVariants);

    auto* viewBox = new QGroupBox("View", this);
    auto* view = new QFormLayout(viewBox);
    view->addRow("Color&map:", m_colormap);
    view->addRow("&Opacity:", m_opacity);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(whatBox);
    layout->addWidget(howBox);
    layout->addWidget(viewBox);
    layout->addStretch(1);

    auto rerun = [this]() { Q_EMIT requestChanged(); };
    auto rerunSoon = [this]() { m_debounce->start(); };
    connect(m_debounce, &QTimer::timeout, this, rerun);
    connect(m_model, qOverload<int>(&QComboBox::activated), this, [this, rerun](int) {
        m_targetClass.reset(); // class numbers differ between models
        m_classEdit->clear();
        rerun();
    });
    connect(m_openModel, &QPushButton::clicked, this, &SettingsPanel::openModelRequested);
    connect(m_method, qOverload<int>(&QComboBox::activated), this, rerun);
    connect(m_edges, qOverload<int>(&QComboBox::activated), this, rerun);
    connect(m_keep, qOverload<double>(&QDoubleSpinBox::valueChanged), this, [this, rerunSoon](double keep) {
        Q_EMIT keepChanged(keep);
        rerunSoon();
    });
    connect(m_k, qOverload<double>(&QDoubleSpinBox::valueChanged), this, rerunSoon);
    connect(m_samples, qOverload<int>(&QSpinBox::valueChanged), this, rerunSoon);
    connect(m_sigma, qOverload<double>(&QDoubleSpinBox::valueChanged), this, rerunSoon);
    connect(m_allVariants, &QCheckBox::toggled, this, rerun);
    connect(m_colormap, qOverload<int>(&QComboBox::activated), this, [this](int) { Q_EMIT styleChanged(); });
    connect(m_opacity, &QSlider::valueChanged, this, [this](int) { Q_EMIT styleChanged(); });
    connect(m_classEdit, &QLineEdit::returnPressed, this, &SettingsPanel::applyTypedClass);
    connect(m_topClass, &QPushButton::clicked, this, [this, rerun]() {
        m_classEdit->clear();
        if (m_targetClass) {
            m_targetClass.reset();
            rerun();
        }
        updateClassLabel();
    });
}

void SettingsPanel::setModels(const std::vector<CatalogEntry>& entries, const std::string& selectedJsonPath)
{
    m_model->clear();
    auto* items = qobject_cast<QStandardItemModel*>(m_model->model());
    for (const auto& entry : entries) {
        if (entry.error.empty() && entry.sidecar.kind != ModelKind::Classifier)
            continue; // edge models are chosen under "Edges"
        const QString name = entry.error.empty() && !entry.sidecar.name.empty()
            ? QString::fromStdString(entry.sidecar.name)
            : QString::fromStdString(entry.id);
        m_model->addItem(name, QString::fromStdString(entry.jsonPath));
        const int row = m_model->count() - 1;
        if (!entry.error.empty()) {
            m_model->setItemText(row, name + " (unusable)");
            m_model->setItemData(row, QString::fromStdString(entry.error), Qt::ToolTipRole);
            if (items)
                items->item(row)->setEnabled(false);
        } else {
            m_model->setItemData(row, QString::fromStdString(entry.id + ": " + entry.jsonPath), Qt::ToolTipRole);
        }
    }
    selectModel(selectedJsonPath);
}

void SettingsPanel::addModel(const CatalogEntry& entry)
{
    const QString path = QString::fromStdString(entry.jsonPath);
    if (m_model->findData(path) < 0)
        m_model->addItem(QString::fromStdString(entry.sidecar.name.empty() ? entry.id : entry.sidecar.name), path);
    selectModel(entry.jsonPath);
}

void SettingsPanel::selectModel(const std::string& jsonPath)
{
    const int index = m_model->findData(QString::fromStdString(jsonPath));
    if (index >= 0)
        m_model->setCurrentIndex(index);
}

std::string SettingsPanel::modelPath() const
{
    return m_model->currentData().toString().toStdString();
}

std::string SettingsPanel::method() const
{
    return m_method->currentData().toString().toStdString();
}

void SettingsPanel::setMethod(const std::string& methodId)
{
    const int index = m_method->findData(QString::fromStdString(methodId));
    if (index >= 0)
        m_method->setCurrentIndex(index);
}

void SettingsPanel::setAutomaticEdgeDetector(const QString& id, bool fellBack)
{
    if (id.isEmpty())
        return; // compare mode computes no edges
    m_edges->setItemText(0, fellBack ? "Automatic (Sobel: no PiDiNet model found)" : "Automatic (" + id + ")");
}

void SettingsPanel::setEdgeDetectors(const std::vector<EdgeDetectorInfo>& detectors)
{
    const QString wanted = m_wantedEdgeDetector.isNull() ? m_edges->currentData().toString() : m_wantedEdgeDetector;
    const QSignalBlocker blocker(m_edges);
    while (m_edges->count() > 1)
        m_edges->removeItem(1);
    for (const auto& detector : detectors) {
        m_edges->addItem(QString::fromStdString(detector.displayName), QString::fromStdString(detector.id));
        m_edges->setItemData(m_edges->count() - 1, QString::fromStdString(detector.description), Qt::ToolTipRole);
    }
    const int index = m_edges->findData(wanted);
    m_edges->setCurrentIndex(std::max(0, index));
    if (index >= 0)
        m_wantedEdgeDetector = QString();
}

std::string SettingsPanel::edgeDetector() const
{
    return m_edges->currentData().toString().toStdString();
}

ExplainSettings SettingsPanel::explainSettings() const
{
    ExplainSettings settings;
    settings.methods = {method()};
    settings.targetClass = m_targetClass;
    settings.keepPercent = m_keep->value();
    settings.k = m_k->value();
    settings.smooth.samples = m_samples->value();
    settings.smooth.sigma = m_sigma->value();
    settings.featureCam = m_allVariants->isChecked() ? allFeatureCamVariants() : topFiveFeatureCamVariants();
    return settings;
}

ViewStyle SettingsPanel::style() const
{
    return {colormapFromName(m_colormap->currentData().toString().toStdString()), m_opacity->value() / 100.0};
}

void SettingsPanel::setTargetClass(std::optional<int> classIndex)
{
    m_targetClass = classIndex;
    if (classIndex && *classIndex >= 0 && *classIndex < int(m_labels.size()))
        m_classEdit->setText(QString::fromStdString(m_labels[std::size_t(*classIndex)]));
    else
        m_classEdit->clear();
    updateClassLabel();
}

void SettingsPanel::setLabels(const std::vector<std::string>& labels)
{
    if (labels == m_labels)
        return;
    m_labels = labels;
    QStringList names;
    for (const auto& label : labels)
        names << QString::fromStdString(label);
    auto* completer = new QCompleter(names, m_classEdit);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    connect(completer, qOverload<const QString&>(&QCompleter::activated), this,
        [this](const QString&) { applyTypedClass(); });
    delete m_classEdit->completer();
    m_classEdit->setCompleter(completer);
}

void SettingsPanel::applyTypedClass()
{
    const QString typed = m_classEdit->text().trimmed();
    if (typed.isEmpty()) {
        const bool changed = m_targetClass.has_value();
        m_targetClass.reset();
        updateClassLabel();
        if (changed)
            Q_EMIT requestChanged();
        return;
    }
    // The full label ("goldfish, Carassius auratus") or any one of its comma-separated names.
    auto matches = [&typed](const std::string& label) {
        const QString full = QString::fromStdString(label);
        if (full.compare(typed, Qt::CaseInsensitive) == 0)
            return true;
        for (const QString& name : full.split(','))
            if (name.trimmed().compare(typed, Qt::CaseInsensitive) == 0)
                return true;
        return false;
    };
    for (std::size_t i = 0; i < m_labels.size(); ++i) {
        if (matches(m_labels[i])) {
            const bool changed = m_targetClass != int(i);
            m_targetClass = int(i);
            updateClassLabel();
            if (changed)
                Q_EMIT requestChanged();
            return;
        }
    }
    m_classNote->setText("No class of this model is called \"" + typed + "\". Pick one from the list.");
}

void SettingsPanel::updateClassLabel()
{
    m_classNote->setText(m_targetClass ? QString("Explaining class %1 instead of the top-1.").arg(*m_targetClass)
                                       : QString("Explaining the top-1 prediction."));
}

void SettingsPanel::loadSettings()
{
    QSettings s;
    setMethod(s.value("explain/method", defaults::kMethod).toString().toStdString());
    m_wantedEdgeDetector = s.value("explain/edges", "").toString();
    m_edges->setCurrentIndex(std::max(0, m_edges->findData(m_wantedEdgeDetector)));
    const QSignalBlocker b1(m_keep), b2(m_k), b3(m_samples), b4(m_sigma), b5(m_allVariants), b6(m_opacity);
    m_keep->setValue(s.value("explain/keepPercent", defaults::kKeepPercent).toDouble());
    m_k->setValue(s.value("explain/k", defaults::kFeatureCamK).toDouble());
    m_samples->setValue(s.value("explain/smoothSamples", defaults::kSmoothSamples).toInt());
    m_sigma->setValue(s.value("explain/smoothSigma", defaults::kSmoothSigma).toDouble());
    m_allVariants->setChecked(s.value("explain/allVariants", false).toBool());
    const QString defaultColormap = QString::fromStdString(colormapName(defaults::kColormap));
    const int colormap = m_colormap->findData(s.value("view/colormap", defaultColormap).toString());
    m_colormap->setCurrentIndex(std::max(0, colormap));
    m_opacity->setValue(s.value("view/opacityPercent", int(100 * defaults::kOpacity)).toInt());
    updateClassLabel();
}

void SettingsPanel::saveSettings() const
{
    QSettings s;
    s.setValue("explain/method", QString::fromStdString(method()));
    s.setValue("explain/edges", QString::fromStdString(edgeDetector()));
    s.setValue("explain/keepPercent", m_keep->value());
    s.setValue("explain/k", m_k->value());
    s.setValue("explain/smoothSamples", m_samples->value());
    s.setValue("explain/smoothSigma", m_sigma->value());
    s.setValue("explain/allVariants", m_allVariants->isChecked());
    s.setValue("view/colormap", m_colormap->currentData());
    s.setValue("view/opacityPercent", m_opacity->value());
    s.setValue("explain/model", QString::fromStdString(modelPath()));
}

} // namespace fcs
