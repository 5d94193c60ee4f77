#include "ui/window/OnnxSetupDialog.h"

#include "engine/core/Error.h"
#include "engine/explain/Explainer.h"
#include "engine/io/ImageLoader.h"
#include "engine/onnx/OnnxSetup.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

namespace fcs {
namespace {

// "0.485, 0.456, 0.406" -> three numbers, or nothing.
std::optional<std::array<float, 3>> threeNumbers(const QString& text)
{
    const QStringList parts = text.split(',');
    if (parts.size() != 3)
        return std::nullopt;
    std::array<float, 3> out{};
    for (int k = 0; k < 3; ++k) {
        bool ok = false;
        out[std::size_t(k)] = parts[k].trimmed().toFloat(&ok);
        if (!ok)
            return std::nullopt;
    }
    return out;
}

QString numbers(const std::array<float, 3>& values)
{
    return QString("%1, %2, %3").arg(values[0]).arg(values[1]).arg(values[2]);
}

const char* presetTitle(const std::string& preset)
{
    if (preset == "imagenet")
        return "ImageNet mean and std (torchvision, Keras \"torch\" mode)";
    if (preset == "minus-one-to-one")
        return "Pixels to [-1, 1] (Keras \"tf\" mode: MobileNet, Inception, EfficientNet-V2)";
    return "Pixels to [0, 1]";
}

} // namespace

OnnxSetupDialog::OnnxSetupDialog(const QString& onnxPath, const QString& photoPath, QWidget* parent)
    : QDialog(parent)
    , m_onnxPath(onnxPath)
    , m_photoPath(photoPath)
    , m_facts(std::make_unique<OnnxFileFacts>(readOnnxFileFacts(onnxPath.toStdString())))
    , m_height(new QSpinBox(this))
    , m_width(new QSpinBox(this))
    , m_colorOrder(new QComboBox(this))
    , m_normalization(new QComboBox(this))
    , m_mean(new QLineEdit(this))
    , m_std(new QLineEdit(this))
    , m_labels(new QLineEdit(this))
    , m_preview(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this))
    , m_debounce(new QTimer(this))
{
    const QString name = QFileInfo(onnxPath).fileName();
    setWindowTitle("Set Up " + name);
    auto* intro
        = new QLabel(QString("<b>%1</b> has no sidecar. Say how the model reads an image; the answers are saved "
                             "as <b>%2</b> beside it, and asked no more.")
                         .arg(name.toHtmlEscaped(), (QFileInfo(onnxPath).completeBaseName() + ".json").toHtmlEscaped()),
            this);
    intro->setWordWrap(true);

    const bool declared = m_facts->declaredHeight > 0;
    for (QSpinBox* side : {m_height, m_width}) {
        side->setRange(16, 4096);
        side->setEnabled(!declared);
    }
    m_height->setValue(declared ? m_facts->declaredHeight : 224);
    m_width->setValue(declared ? m_facts->declaredWidth : 224);
    auto* size = new QHBoxLayout;
    size->addWidget(m_height);
    size->addWidget(new QLabel("×", this));
    size->addWidget(m_width);
    size->addWidget(new QLabel(declared ? "(as the file declares)" : "(the file leaves it open)", this), 1);

    m_colorOrder->addItems({"RGB", "BGR (Caffe, some OpenCV-trained models)"});
    for (const auto& preset : normalizationPresets())
        m_normalization->addItem(presetTitle(preset.preset), QString::fromStdString(preset.preset));
    m_normalization->addItem("Custom mean and std", QString());
    m_mean->setText(numbers(normalizationPresets().front().mean));
    m_std->setText(numbers(normalizationPresets().front().std));
    m_normalization->setObjectName("normalization");
    m_labels->setObjectName("labels");
    m_labels->setPlaceholderText("none: numbered classes (class 0, class 1, …)");
    auto* browse = new QPushButton("Browse…", this);
    auto* labels = new QHBoxLayout;
    labels->addWidget(m_labels, 1);
    labels->addWidget(browse);

    auto* form = new QFormLayout;
    form->addRow("Input size (H × W):", size);
    form->addRow("Colour order:", m_colorOrder);
    form->addRow("Normalization:", m_normalization);
    form->addRow("    mean (R, G, B):", m_mean);
    form->addRow("    std (R, G, B):", m_std);
    form->addRow("Labels file:", labels);

    m_preview->setWordWrap(true);
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_preview->setMinimumHeight(120);
    m_preview->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(new QLabel(m_photoPath.isEmpty()
            ? "<b>Top-5</b> (open a photo to see how the model reads it)"
            : "<b>Top-5 on " + QFileInfo(m_photoPath).fileName().toHtmlEscaped() + "</b> under these answers:",
        this));
    layout->addWidget(m_preview);
    layout->addWidget(m_buttons);

    m_debounce->setSingleShot(true);
    m_debounce->setInterval(300);
    connect(m_debounce, &QTimer::timeout, this, &OnnxSetupDialog::startPreview);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &OnnxSetupDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &OnnxSetupDialog::reject);
    connect(browse, &QPushButton::clicked, this, [this]() {
        const QString file = QFileDialog::getOpenFileName(
            this, "Labels File", QFileInfo(m_onnxPath).absolutePath(), "Text files (*.txt);;All files (*)");
        if (!file.isEmpty())
            m_labels->setText(file);
    });
    connect(m_normalization, &QComboBox::currentIndexChanged, this, [this]() {
        const auto preset = normalizationPreset(m_normalization->currentData().toString().toStdString());
        if (preset) {
            m_mean->setText(numbers(preset->mean));
            m_std->setText(numbers(preset->std));
        }
        m_mean->setReadOnly(bool(preset));
        m_std->setReadOnly(bool(preset));
        answersChanged();
    });
    m_mean->setReadOnly(true);
    m_std->setReadOnly(true);
    for (QSpinBox* side : {m_height, m_width})
        connect(side, &QSpinBox::valueChanged, this, &OnnxSetupDialog::answersChanged);
    connect(m_colorOrder, &QComboBox::currentIndexChanged, this, &OnnxSetupDialog::answersChanged);
    for (QLineEdit* edit : {m_mean, m_std, m_labels})
        connect(edit, &QLineEdit::textChanged, this, &OnnxSetupDialog::answersChanged);
    answersChanged();
}

OnnxSetupDialog::~OnnxSetupDialog()
{
    ++m_generation;
    if (m_previewThread.joinable())
        m_previewThread.join();
}

QString OnnxSetupDialog::sidecarPath() const
{
    return m_sidecarPath;
}

QString OnnxSetupDialog::previewText() const
{
    return m_preview->text();
}

OnnxAnswers OnnxSetupDialog::answers() const
{
    OnnxAnswers a;
    a.inputHeight = m_height->value();
    a.inputWidth = m_width->value();
    a.bgr = m_colorOrder->currentIndex() == 1;
    const auto mean = threeNumbers(m_mean->text());
    const auto std = threeNumbers(m_std->text());
    if (mean && std)
        a.normalization = Normalization{m_normalization->currentData().toString().toStdString(), *mean, *std};
    a.labelsFile = m_labels->text().trimmed().toStdString();
    return a;
}

void OnnxSetupDialog::answersChanged()
{
    ++m_generation;
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(false); // until a preview says the answers work
    m_preview->setText("Reading the model with these answers…");
    m_debounce->start();
}

void OnnxSetupDialog::startPreview()
{
    if (m_previewBusy) {
        m_previewAgain = true;
        return;
    }
    if (m_previewThread.joinable())
        m_previewThread.join();
    m_previewBusy = true;
    const quint64 generation = m_generation;
    const OnnxAnswers a = answers();
    m_previewThread = std::thread(
        [this, generation, a, onnx = m_onnxPath.toStdString(), photo = m_photoPath.toStdString(), facts = *m_facts]() {
            QString text;
            bool ok = false;
            try {
                if (!a.normalization)
                    throw Error(
                        ErrorCode::InvalidArgument, "The mean and std must be three numbers each, as 0.5, 0.5, 0.5.");
                const Sidecar sidecar = sidecarFromAnswers(onnx, facts, a);
                Explainer explainer(sidecar); // the model contract's checks, as on every load
                text = QString("%1 classes; the layer explained: %2.")
                           .arg(sidecar.numClasses)
                           .arg(QString::fromStdString(explainer.sidecar().targetLayer).toHtmlEscaped());
                if (!photo.empty()) {
                    const auto top = explainer.classify({loadImageRgb(photo)}, 5).front();
                    for (const auto& prediction : top)
                        text += QString("<br>%1 %2: <b>%3%</b>")
                                    .arg(prediction.classIndex)
                                    .arg(QString::fromStdString(prediction.label).toHtmlEscaped())
                                    .arg(prediction.probability * 100, 0, 'f', 1);
                }
                ok = true;
            } catch (const Error& e) {
                text = QString::fromStdString(e.userMessage()).toHtmlEscaped();
            } catch (const std::exception& e) {
                text = QString("The model cannot be read with these answers: %1")
                           .arg(QString::fromUtf8(e.what()).toHtmlEscaped());
            }
            QMetaObject::invokeMethod(
                this, [this, generation, text, ok]() { showPreview(generation, text, ok); }, Qt::QueuedConnection);
        });
}

void OnnxSetupDialog::showPreview(quint64 generation, const QString& text, bool ok)
{
    m_previewBusy = false;
    if (m_previewAgain) {
        m_previewAgain = false;
        startPreview();
        return;
    }
    if (generation != m_generation)
        return; // answers changed since; their preview follows
    m_preview->setText(ok ? text : "<span style='color:#b00020'>" + text + "</span>");
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(ok);
    Q_EMIT previewShown();
}

void OnnxSetupDialog::accept()
{
    try {
        const Sidecar sidecar = sidecarFromAnswers(m_onnxPath.toStdString(), *m_facts, answers());
        saveSidecar(sidecar);
        m_sidecarPath = QString::fromStdString(sidecar.jsonPath);
        QDialog::accept();
    } catch (const Error& e) {
        m_preview->setText(
            "<span style='color:#b00020'>" + QString::fromStdString(e.userMessage()).toHtmlEscaped() + "</span>");
    }
}

} // namespace fcs
