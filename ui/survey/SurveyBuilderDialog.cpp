#include "ui/survey/SurveyBuilderDialog.h"

#include "engine/catalog/EdgeCatalog.h"
#include "engine/catalog/MethodCatalog.h"
#include "engine/catalog/ModelPreferences.h"
#include "engine/core/Error.h"
#include "engine/evaluate/ImageSet.h"
#include "engine/model/ModelCatalog.h"
#include "engine/survey/SurveyBuilder.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

#include <algorithm>

namespace fcs {

SurveyBuilderDialog::SurveyBuilderDialog(const std::vector<std::string>& modelDirs, QWidget* parent)
    : QDialog(parent)
    , m_modelDirs(modelDirs)
    , m_confirmReplace([this](const QString& path) {
        return QMessageBox::warning(this, "Replace the survey?",
                   "\"" + path
                       + "\" already exists. Replacing it deletes the survey in it and every answer "
                         "participants gave.\n\nReplace it?",
                   QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
            == QMessageBox::Yes;
    })
    , m_images(new QLineEdit(this))
    , m_limit(new QSpinBox(this))
    , m_models(new QListWidget(this))
    , m_variants(new QComboBox(this))
    , m_poolSize(new QSpinBox(this))
    , m_ratingMax(new QSpinBox(this))
    , m_output(new QLineEdit(this))
    , m_progress(new QProgressBar(this))
    , m_status(new QLabel(this))
    , m_build(new QPushButton("&Build Survey", this))
{
    setWindowTitle("New Survey");
    m_images->setPlaceholderText("A folder of images, or a CSV with a `file` column");
    auto* folder = new QPushButton("Folder…", this);
    auto* csv = new QPushButton("CSV…", this);
    m_limit->setRange(2, 100000);
    m_limit->setValue(10);
    m_limit->setToolTip("Use the first N images of the set.");
    for (const auto& entry : scanModels(m_modelDirs)) {
        if (!entry.error.empty() || entry.sidecar.kind != ModelKind::Classifier)
            continue;
        auto* item = new QListWidgetItem(
            QString::fromStdString(entry.sidecar.name.empty() ? entry.id : entry.sidecar.name), m_models);
        item->setData(Qt::UserRole, QString::fromStdString(entry.jsonPath));
        item->setData(Qt::UserRole + 1, QString::fromStdString(entry.id));
        item->setCheckState(entry.id == kPreferredClassifierId ? Qt::Checked : Qt::Unchecked);
    }
    m_models->setMaximumHeight(120);
    auto* methodGrid = new QGridLayout; // the catalogue's methods, four to a row
    constexpr int kMethodsPerRow = 4;
    const auto paper = paperMethodIds();
    for (const auto& method : methodCatalog()) {
        auto* box = new QCheckBox(QString::fromStdString(method.displayName), this);
        box->setProperty("methodId", QString::fromStdString(method.id));
        box->setToolTip(QString::fromStdString(method.summary));
        box->setChecked(std::find(paper.begin(), paper.end(), method.id) != paper.end());
        methodGrid->addWidget(box, int(m_methods.size()) / kMethodsPerRow, int(m_methods.size()) % kMethodsPerRow);
        m_methods.push_back(box);
    }
    m_variants->addItem("The paper's top 5", "top5");
    m_variants->addItem("All nine", "all");
    m_variants->addItem("None (base maps only)", "none");
    m_poolSize->setRange(2, 12);
    m_poolSize->setValue(4);
    m_poolSize->setToolTip("Candidates shown in task 1: the true image and distractors from the set's other images.");
    m_ratingMax->setRange(2, 10);
    m_ratingMax->setValue(6);
    m_ratingMax->setPrefix("0 to ");
    auto* saveAs = new QPushButton("Save as…", this);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_status->setWordWrap(true);

    auto* form = new QFormLayout;
    auto* imageRow = new QHBoxLayout;
    imageRow->addWidget(m_images, 1);
    imageRow->addWidget(folder);
    imageRow->addWidget(csv);
    form->addRow("Images:", imageRow);
    form->addRow("At most:", m_limit);
    form->addRow("Classifiers:", m_models);
    form->addRow("Methods:", methodGrid);
    form->addRow("Feature CAM:", m_variants);
    form->addRow("Pool size:", m_poolSize);
    form->addRow("Rating scale:", m_ratingMax);
    auto* outputRow = new QHBoxLayout;
    outputRow->addWidget(m_output, 1);
    outputRow->addWidget(saveAs);
    form->addRow("Survey file:", outputRow);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_build, QDialogButtonBox::ActionRole);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(720, 520);

    connect(folder, &QPushButton::clicked, this, [this]() {
        const QString dir = QFileDialog::getExistingDirectory(this, "Images for the survey");
        if (!dir.isEmpty())
            m_images->setText(dir);
    });
    connect(csv, &QPushButton::clicked, this, [this]() {
        const QString file = QFileDialog::getOpenFileName(this, "Image list", QString(), "CSV (*.csv)");
        if (!file.isEmpty())
            m_images->setText(file);
    });
    connect(saveAs, &QPushButton::clicked, this, [this]() {
        const QString file
            = QFileDialog::getSaveFileName(this, "Survey file", "survey.fcsurvey", "Surveys (*.fcsurvey)");
        if (!file.isEmpty()) {
            m_output->setText(file);
            m_replaceConfirmedFor = file; // the save dialog asked before replacing
        }
    });
    connect(m_build, &QPushButton::clicked, this, &SurveyBuilderDialog::build);
    connect(buttons, &QDialogButtonBox::rejected, this, &SurveyBuilderDialog::reject);
}

SurveyBuilderDialog::~SurveyBuilderDialog()
{
    if (m_thread) {
        m_cancel->cancel();
        m_thread->wait();
    }
}

void SurveyBuilderDialog::setImages(const QString& csvOrFolder, int limit)
{
    m_images->setText(csvOrFolder);
    m_limit->setValue(limit);
}

void SurveyBuilderDialog::setOutput(const QString& path)
{
    m_output->setText(path);
}

void SurveyBuilderDialog::setMethods(const QStringList& methodIds)
{
    for (auto* box : m_methods)
        box->setChecked(methodIds.contains(box->property("methodId").toString()));
}

void SurveyBuilderDialog::setVariants(const QString& set)
{
    m_variants->setCurrentIndex(std::max(0, m_variants->findData(set)));
}

void SurveyBuilderDialog::checkOnlyModel(const QString& modelId)
{
    for (int i = 0; i < m_models->count(); ++i)
        m_models->item(i)->setCheckState(
            m_models->item(i)->data(Qt::UserRole + 1).toString() == modelId ? Qt::Checked : Qt::Unchecked);
}

QString SurveyBuilderDialog::statusText() const
{
    return m_status->text();
}

void SurveyBuilderDialog::build()
{
    if (m_thread)
        return;
    SurveyDesign design;
    QString output = m_output->text().trimmed();
    try {
        if (m_images->text().trimmed().isEmpty())
            throw Error(ErrorCode::InvalidArgument, "Choose the images: a folder or a CSV list.");
        if (output.isEmpty())
            throw Error(ErrorCode::InvalidArgument, "Choose where to save the survey file.");
        design.images = readImageSet(m_images->text().trimmed().toStdString());
        if (int(design.images.size()) > m_limit->value())
            design.images.resize(std::size_t(m_limit->value()));
        for (int i = 0; i < m_models->count(); ++i)
            if (m_models->item(i)->checkState() == Qt::Checked)
                design.models.push_back(
                    findModel(m_modelDirs, m_models->item(i)->data(Qt::UserRole).toString().toStdString()));
        design.methods.clear();
        for (auto* box : m_methods)
            if (box->isChecked())
                design.methods.push_back(box->property("methodId").toString().toStdString());
        const QString variants = m_variants->currentData().toString();
        design.featureCam = variants == "all" ? allFeatureCamVariants()
            : variants == "none"              ? std::vector<FeatureCamVariant>()
                                              : topFiveFeatureCamVariants();
        design.poolSize = m_poolSize->value();
        design.ratingMax = m_ratingMax->value();
        if (design.poolSize > int(design.images.size()))
            throw Error(ErrorCode::InvalidArgument, "The pool cannot hold more images than the survey has.");
        if (QFileInfo::exists(output)) {
            if (output != m_replaceConfirmedFor && !m_confirmReplace(output))
                throw Error(ErrorCode::WriteFailed,
                    "Not built: \"" + output.toStdString() + "\" already exists. Choose another file name to keep it.");
            design.replaceExisting = true;
        }
    } catch (const std::exception& e) { // folder scans, model lookups: a message, never a crash
        const auto* error = dynamic_cast<const Error*>(&e);
        m_status->setText(error ? QString::fromStdString(error->userMessage()) : QString::fromUtf8(e.what()));
        Q_EMIT failed(m_status->text());
        return;
    }
    m_cancel = std::make_shared<CancelToken>();
    m_progress->setRange(0, design.stimulusCount());
    m_progress->setValue(0);
    m_status->setText(QString("Rendering %1 stimuli…").arg(design.stimulusCount()));
    m_build->setEnabled(false);
    auto cancel = m_cancel;
    const auto dirs = m_modelDirs;
    m_thread = QThread::create([this, design, cancel, dirs, output]() {
        QString error;
        try {
            std::unique_ptr<EdgeDetector> edges;
            if (!design.featureCam.empty()) {
                edges = preferredEdgeDetector(edgeOptionsFor(dirs));
            }
            buildSurvey(
                design, edges.get(), output,
                [this](int done, int total, const QString& image) {
                    QMetaObject::invokeMethod(this, [this, done, total, image]() {
                        m_progress->setValue(done);
                        if (!image.isEmpty())
                            m_status->setText(
                                QString("Rendering %1 of %2 stimuli: %3").arg(done + 1).arg(total).arg(image));
                    });
                },
                *cancel);
        } catch (const Error& e) {
            error = e.code() == ErrorCode::Cancelled ? QString("Cancelled.") : QString::fromStdString(e.userMessage());
        } catch (const std::exception& e) {
            error = QString("Something went wrong: ") + e.what();
        }
        QMetaObject::invokeMethod(this, [this, error]() { onFinished(error); });
    });
    m_thread->start();
}

void SurveyBuilderDialog::onFinished(const QString& error)
{
    m_thread->wait();
    m_thread->deleteLater();
    m_thread = nullptr;
    m_build->setEnabled(true);
    if (!error.isEmpty()) {
        m_status->setText(error);
        Q_EMIT failed(error);
        return;
    }
    m_progress->setValue(m_progress->maximum());
    m_status->setText(
        "Survey saved to " + m_output->text() + ". Copy this one file to the machine the participants use.");
    Q_EMIT built(m_output->text());
}

void SurveyBuilderDialog::reject()
{
    if (m_thread) {
        m_cancel->cancel(); // the thread reports "Cancelled." and the dialog stays open to say so
        return;
    }
    QDialog::reject();
}

} // namespace fcs
