#include "ui/inside/InsideView.h"

#include "engine/catalog/MethodCatalog.h"
#include "engine/core/Error.h"
#include "engine/featurecam/FeatureCam.h"
#include "engine/render/Colormap.h"
#include "ui/charts/QCustomPlotInclude.h"
#include "ui/views/MethodDescriptions.h"
#include "ui/widgets/ImageConversion.h"
#include "ui/widgets/ImagePanel.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QPdfWriter>
#include <QPushButton>
#include <QSlider>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace fcs {
namespace {

constexpr int kFeatureMapsShown = 16;
constexpr int kLayerCellPixels = 16; // a layer position drawn as a visible block

enum Page { FeatureMaps, Weights, Sum, Alphas, SmoothCopies, FeatureCamBlend, MaskAndExplanation, PageCount };

const char* kTitles[PageCount] = {"The feature maps A_k", "The channel weights w_k",
    "The weighted sum, before and after the ReLU", "Grad-CAM++'s per-pixel weights",
    "Smooth Grad-CAM++: noisy copies, averaged", "Feature CAM: edges into the map", "The mask and the explanation map"};

// A layer-size map drawn in blocks, one per position, so that a 7×7 layer looks like 7×7.
QImage layerImage(const cv::Mat& map, Colormap colormap, double low, double high)
{
    cv::Mat scaled;
    const double range = high > low ? high - low : 1.0;
    map.convertTo(scaled, CV_32F, 1.0 / range, -low / range);
    cv::Mat big;
    cv::resize(cv::min(cv::max(scaled, 0.0), 1.0), big, map.size() * kLayerCellPixels, 0, 0, cv::INTER_NEAREST);
    return toQImage(colorize(big, colormap));
}

// Draws a layer map over its own range (from zero for the alphas, which are never negative) and
// returns that range, for the caption.
std::pair<double, double> showLayerMap(ImagePanel* panel, const cv::Mat& map, Colormap colormap, bool fromZero = false)
{
    double low = 0, high = 0;
    cv::minMaxLoc(map, &low, &high);
    panel->setImage(layerImage(map, colormap, fromZero ? 0 : low, fromZero ? std::max(high, 1e-12) : high));
    return {low, high};
}

// Negative blue, zero white, positive red, symmetric about zero: the negative evidence shows.
QImage divergingImage(const cv::Mat& map)
{
    double low = 0, high = 0;
    cv::minMaxLoc(map, &low, &high);
    const double extent = std::max({std::abs(low), std::abs(high), 1e-12});
    cv::Mat rgb(map.size() * kLayerCellPixels, CV_8UC3);
    for (int y = 0; y < rgb.rows; ++y)
        for (int x = 0; x < rgb.cols; ++x) {
            const double v = map.at<float>(y / kLayerCellPixels, x / kLayerCellPixels) / extent; // -1..1
            const auto fade = [](double t) { return uchar(std::lround(255 * (1 - t))); };
            rgb.at<cv::Vec3b>(y, x) = v >= 0 ? cv::Vec3b(255, fade(v), fade(v)) : cv::Vec3b(fade(-v), fade(-v), 255);
        }
    return toQImage(rgb);
}

QImage mapImage(const cv::Mat& map) // [0,1] at the input size
{
    return toQImage(colorize(map, Colormap::Jet));
}

QString number(double value)
{
    return QString::number(value, 'g', 3);
}

QLabel* sentenceLabel()
{
    auto* label = new QLabel;
    label->setWordWrap(true);
    return label;
}

} // namespace

InsideView::InsideView(QWidget* parent)
    : QWidget(parent, Qt::Window)
    , m_stepList(new QListWidget)
    , m_pages(new QStackedWidget)
    , m_message(new QLabel)
    , m_weights(new QCustomPlot)
    , m_channelPanel(new ImagePanel)
    , m_beforeRelu(new ImagePanel)
    , m_afterRelu(new ImagePanel)
    , m_kSlider(new QSlider(Qt::Horizontal))
    , m_kLabel(new QLabel)
    , m_maskPanel(new ImagePanel)
    , m_explanationPanel(new ImagePanel)
{
    setWindowTitle("Inside the method — Feature CAM Studio");
    build();
    resize(1150, 760);
}

InsideView::~InsideView() = default;

void InsideView::build()
{
    auto* layout = new QHBoxLayout(this);
    m_stepList->setFixedWidth(320);
    layout->addWidget(m_stepList);
    auto* right = new QVBoxLayout;
    m_message->setWordWrap(true);
    m_message->setText("Open a photo and explain it with Grad-CAM, Grad-CAM++ or XGrad-CAM to see its steps.");
    right->addWidget(m_message);
    right->addWidget(m_pages, 1);
    auto* buttons = new QHBoxLayout;
    auto* previous = new QPushButton("◀ Previous step");
    auto* next = new QPushButton("Next step ▶");
    auto* present = new QPushButton("Present (F11)");
    auto* handout = new QPushButton("Export steps as PDF…");
    for (auto* b : {previous, next, present, handout})
        b->setFocusPolicy(Qt::NoFocus); // the arrow keys stay with the steps
    buttons->addWidget(previous);
    buttons->addWidget(next);
    buttons->addStretch(1);
    buttons->addWidget(present);
    buttons->addWidget(handout);
    right->addLayout(buttons);
    layout->addLayout(right, 1);

    for (int page = 0; page < PageCount; ++page) {
        auto* widget = new QWidget;
        auto* pageLayout = new QVBoxLayout(widget);
        auto* title = new QLabel(QString("%1. %2").arg(page + 1).arg(kTitles[page]));
        QFont font = title->font();
        font.setPointSizeF(font.pointSizeF() * 1.5);
        font.setBold(true);
        title->setFont(font);
        pageLayout->addWidget(title);
        m_sentences.push_back(sentenceLabel());
        pageLayout->addWidget(m_sentences.back());
        auto* content = new QGridLayout;
        switch (Page(page)) {
        case FeatureMaps:
            for (int i = 0; i < kFeatureMapsShown; ++i) {
                m_featurePanels.push_back(new ImagePanel);
                content->addWidget(m_featurePanels.back(), i / 8, i % 8);
            }
            break;
        case Weights:
            m_weights->setMinimumHeight(260);
            m_weights->xAxis->setLabel("channels, sorted by weight");
            m_weights->yAxis->setLabel("w_k");
            m_weights->setToolTip("Click a bar to see that channel's feature map.");
            connect(m_weights, &QCustomPlot::plottableClick, this, &InsideView::onBarClick);
            content->addWidget(m_weights, 0, 0);
            content->addWidget(m_channelPanel, 0, 1);
            content->setColumnStretch(0, 3);
            content->setColumnStretch(1, 1);
            break;
        case Sum:
            content->addWidget(m_beforeRelu, 0, 0);
            content->addWidget(m_afterRelu, 0, 1);
            break;
        case Alphas:
            for (int i = 0; i < 4; ++i) {
                m_ingredientPanels.push_back(new ImagePanel);
                content->addWidget(m_ingredientPanels.back(), 0, i);
            }
            break;
        case SmoothCopies:
            for (int i = 0; i < 9; ++i) { // copies, their maps, the running mean
                m_smoothPanels.push_back(new ImagePanel);
                content->addWidget(m_smoothPanels.back(), i / 3, i % 3);
            }
            break;
        case FeatureCamBlend: {
            for (int i = 0; i < 3; ++i) {
                m_ingredientPanels.push_back(new ImagePanel);
                content->addWidget(m_ingredientPanels.back(), 0, i);
            }
            m_kSlider->setRange(0, 50); // k in hundredths, the paper's [0, 0.5]
            m_kSlider->setFocusPolicy(Qt::NoFocus);
            connect(m_kSlider, &QSlider::valueChanged, this, [this]() { fillFeatureCamBlend(); });
            auto* kRow = new QHBoxLayout;
            kRow->addWidget(new QLabel("k"));
            kRow->addWidget(m_kSlider, 1);
            kRow->addWidget(m_kLabel);
            content->addLayout(kRow, 1, 0, 1, 3);
            break;
        }
        case MaskAndExplanation:
            content->addWidget(m_maskPanel, 0, 0);
            content->addWidget(m_explanationPanel, 0, 1);
            break;
        case PageCount:
            break;
        }
        pageLayout->addLayout(content, 1);
        m_pages->addWidget(widget);
    }
    connect(m_stepList, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0)
            m_pages->setCurrentIndex(m_stepList->item(row)->data(Qt::UserRole).toInt());
    });
    connect(previous, &QPushButton::clicked, this, [this]() { setStep(currentStep() - 1); });
    connect(next, &QPushButton::clicked, this, [this]() { setStep(currentStep() + 1); });
    connect(present, &QPushButton::clicked, this, [this]() { setPresenting(!m_presenting); });
    connect(handout, &QPushButton::clicked, this, [this]() {
        const QString path = QFileDialog::getSaveFileName(this, "Export the steps", "steps.pdf", "PDF (*.pdf)");
        QString error;
        if (!path.isEmpty() && !exportPdf(path, &error))
            m_message->setText(error);
    });
}

void InsideView::showResult(std::shared_ptr<const ExplainResult> result)
{
    if (!result || result->explanation.partial || result->explanation.methods.empty())
        return;
    const int step = currentStep();
    m_result = std::move(result);
    const MethodAnatomy& anatomy = m_result->anatomy;
    m_stepList->clear();
    if (anatomy.methodId.empty()) {
        m_message->setText(QString::fromStdString(m_result->dissectError.empty()
                ? "This result was computed before the window opened; run it again (F5)."
                : m_result->dissectError));
        m_pages->setVisible(false);
        return;
    }
    m_pages->setVisible(true);
    const QString photo = QFileInfo(m_result->request.imagePath).fileName();
    m_message->setText(QString("%1 on %2, explaining \"%3\" (%4%)")
                           .arg(methodDisplayName(anatomy.methodId), photo,
                               QString::fromStdString(m_result->model.labels.at(std::size_t(anatomy.explainedClass))))
                           .arg(100 * anatomy.confidence, 0, 'f', 1));
    for (int page = 0; page < PageCount; ++page) {
        if (page == Alphas && anatomy.alphas.empty())
            continue;
        if (page == SmoothCopies && anatomy.noisyCopies.empty())
            continue;
        if (page == FeatureCamBlend && m_result->edges.empty())
            continue;
        auto* item = new QListWidgetItem(QString("%1. %2").arg(m_stepList->count() + 1).arg(kTitles[page]));
        item->setData(Qt::UserRole, page);
        m_stepList->addItem(item);
    }
    fillFeatureMaps();
    fillWeights();
    fillSum();
    fillIngredient();
    fillSmooth();
    m_kSlider->blockSignals(true);
    m_kSlider->setValue(int(std::lround(100 * m_result->request.settings.k)));
    m_kSlider->blockSignals(false);
    fillFeatureCamBlend();
    fillMask();
    setStep(std::max(0, step));
}

void InsideView::fillFeatureMaps()
{
    const MethodAnatomy& a = m_result->anatomy;
    const auto strongest = a.strongestChannels(kFeatureMapsShown);
    // Plain words for a classroom; the layer's technical name (a sidecar's or an ONNX tensor's)
    // is in the tooltip for whoever asks.
    m_sentences[FeatureMaps]->setText(
        QString("Deep inside, at the layer the method reads, the network sees the photo as %1 feature maps of %2 × %3 "
                "squares; these are the %4 that count most in the map (largest |w_k| × mean |A_k|). Bright: the "
                "channel responds there.")
            .arg(a.activations.size())
            .arg(a.weightedSum.cols)
            .arg(a.weightedSum.rows)
            .arg(strongest.size()));
    m_sentences[FeatureMaps]->setToolTip("The layer: " + QString::fromStdString(m_result->model.targetLayer) + " of "
        + QString::fromStdString(m_result->model.id));
    for (std::size_t i = 0; i < m_featurePanels.size(); ++i) {
        ImagePanel* panel = m_featurePanels[i];
        if (i >= strongest.size()) {
            panel->clear();
            continue;
        }
        const int k = strongest[i];
        const auto [low, high] = showLayerMap(panel, a.activations[std::size_t(k)], Colormap::Viridis);
        panel->setCaption(QString("channel %1\nw = %2").arg(k).arg(number(a.weights[std::size_t(k)])));
        panel->setToolTipText(QString("Channel %1: weight %2, activation from %3 to %4")
                                  .arg(k)
                                  .arg(number(a.weights[std::size_t(k)]), number(low), number(high)));
    }
}

void InsideView::fillWeights()
{
    const MethodAnatomy& a = m_result->anatomy;
    m_chartOrder = a.channelsByWeight();
    QVector<double> positiveKeys, positive, negativeKeys, negative;
    for (std::size_t i = 0; i < m_chartOrder.size(); ++i) {
        const double w = a.weights[std::size_t(m_chartOrder[i])];
        (w >= 0 ? positiveKeys : negativeKeys) << double(i);
        (w >= 0 ? positive : negative) << w;
    }
    m_weights->clearPlottables();
    const auto addBars = [this](const QVector<double>& keys, const QVector<double>& values, const QColor& colour) {
        auto* bars = new QCPBars(m_weights->xAxis, m_weights->yAxis);
        bars->setData(keys, values, true);
        bars->setBrush(colour);
        bars->setPen(Qt::NoPen);
        bars->setWidth(0.9);
    };
    addBars(positiveKeys, positive, QColor(200, 50, 40));
    addBars(negativeKeys, negative, QColor(40, 90, 200));
    m_weights->xAxis->setRange(-1, double(m_chartOrder.size()));
    m_weights->yAxis->rescale();
    m_weights->replot();
    m_sentences[Weights]->setText(
        QString("%1 gives each channel one number, w_k: how much the class \"%2\" gains where the channel is "
                "active (%3). Red: %4 channels count for the class; blue: %5 count against it.")
            .arg(methodDisplayName(a.methodId),
                QString::fromStdString(m_result->model.labels.at(std::size_t(a.explainedClass))),
                QString::fromUtf8(requireMethod(a.methodId).capabilities.channelWeights))
            .arg(positive.size())
            .arg(negative.size()));
    showChannel(m_chartOrder.empty() ? -1 : m_chartOrder.front());
}

void InsideView::showChannel(int channel)
{
    const MethodAnatomy& a = m_result->anatomy;
    if (channel < 0 || channel >= int(a.activations.size())) {
        m_channelPanel->clear();
        return;
    }
    const auto [low, high] = showLayerMap(m_channelPanel, a.activations[std::size_t(channel)], Colormap::Viridis);
    m_channelPanel->setCaption(QString("channel %1, w = %2\nA from %3 to %4")
                                   .arg(channel)
                                   .arg(number(a.weights[std::size_t(channel)]), number(low), number(high)));
}

void InsideView::onBarClick(QCPAbstractPlottable* plottable, int dataIndex, QMouseEvent*)
{
    auto* bars = qobject_cast<QCPBars*>(plottable);
    if (!bars || dataIndex < 0 || dataIndex >= bars->dataCount())
        return;
    const int position = int(std::lround(bars->data()->at(dataIndex)->key));
    if (position >= 0 && position < int(m_chartOrder.size()))
        showChannel(m_chartOrder[std::size_t(position)]);
}

void InsideView::fillSum()
{
    const MethodAnatomy& a = m_result->anatomy;
    double low = 0, high = 0;
    cv::minMaxLoc(a.weightedSum, &low, &high);
    m_beforeRelu->setImage(divergingImage(a.weightedSum));
    m_beforeRelu->setCaption(QString("sum_k w_k A_k, from %1 to %2").arg(number(low), number(high)));
    cv::Mat afterRelu = a.map;
    if (!a.noisyCopies.empty()) { // Smooth Grad-CAM++'s map is the copies' mean (next step): here the photo's own
        cv::Mat upsampled; // a new buffer: a.map's pixels are the engine's result and stay as they are
        cv::resize(cv::max(a.weightedSum, 0.0), upsampled, a.input.size(), 0, 0, cv::INTER_LINEAR);
        afterRelu = minMaxNormalized(upsampled);
    }
    m_afterRelu->setImage(toQImage(overlay(a.input, afterRelu, Colormap::Jet, 0.5)));
    m_afterRelu->setCaption("ReLU, upsampled onto the photo and scaled to [0, 1]");
    m_sentences[Sum]->setText(
        QString("Adding the channels with their weights gives one map at the layer's %1 × %2 positions: red where the "
                "evidence is for the class, blue where it is against. The ReLU keeps only the evidence for it; "
                "upsampled to the photo, that is the saliency map.")
            .arg(a.weightedSum.cols)
            .arg(a.weightedSum.rows));
}

void InsideView::fillIngredient()
{
    const MethodAnatomy& a = m_result->anatomy;
    if (a.alphas.empty())
        return;
    const auto strongest = a.strongestChannels(4);
    for (std::size_t i = 0; i < 4; ++i) {
        ImagePanel* panel = m_ingredientPanels[i];
        if (i >= strongest.size()) {
            panel->clear();
            continue;
        }
        const int k = strongest[i];
        const double high = showLayerMap(panel, a.alphas[std::size_t(k)], Colormap::Inferno, true).second;
        panel->setCaption(QString("alpha of channel %1\nup to %2").arg(k).arg(number(high)));
    }
    m_sentences[Alphas]->setText(
        "Grad-CAM++ does not average the gradient evenly: each position gets its own weight alpha (bright), "
        "larger where few positions carry the channel's evidence, so that a class seen in several places "
        "is not drowned by the largest one.");
}

void InsideView::fillSmooth()
{
    const MethodAnatomy& a = m_result->anatomy;
    if (a.noisyCopies.empty())
        return;
    for (std::size_t i = 0; i < 3; ++i) {
        ImagePanel* copy = m_smoothPanels[i];
        ImagePanel* map = m_smoothPanels[3 + i];
        if (i >= a.noisyCopies.size()) {
            copy->clear();
            map->clear();
            continue;
        }
        copy->setImage(toQImage(a.noisyCopies[i]));
        copy->setCaption(QString("noisy copy %1").arg(i + 1));
        map->setImage(toQImage(overlay(a.noisyCopies[i], a.copyMaps[i], Colormap::Jet, 0.5)));
        map->setCaption(QString("its Grad-CAM++ map"));
    }
    // The running mean: after the first batch, half way, and all copies (the method's map).
    const auto& means = a.runningMeans;
    const std::size_t picks[3] = {0, means.size() / 2, means.size() - 1};
    for (std::size_t i = 0; i < 3; ++i) {
        const auto& [done, mean] = means[std::min(picks[i], means.size() - 1)];
        m_smoothPanels[6 + i]->setImage(toQImage(overlay(a.input, mean, Colormap::Jet, 0.5)));
        m_smoothPanels[6 + i]->setCaption(QString("mean of %1 of %2 copies").arg(done).arg(means.back().first));
    }
    m_sentences[SmoothCopies]->setText(
        QString("One photo's map can hinge on a few pixels. Smooth Grad-CAM++ adds random noise (sigma = %1 of the "
                "photo's range) to %2 copies, makes each copy's Grad-CAM++ map and averages them: what stays is what "
                "the class rests on whatever the noise.")
            .arg(m_result->request.settings.smooth.sigma)
            .arg(means.back().first));
}

void InsideView::fillFeatureCamBlend()
{
    if (!m_result || m_result->edges.empty() || m_result->anatomy.methodId.empty())
        return;
    const MethodAnatomy& a = m_result->anatomy;
    FeatureCamVariant variant{Experiment::X1, PerturbedInput::I2};
    for (const auto& asked : m_result->request.settings.featureCam)
        if (asked.experiment == Experiment::X1) { // the variants k acts on
            variant = asked;
            break;
        }
    const double k = m_kSlider->value() / 100.0;
    cv::Mat edges;
    cv::resize(m_result->edges, edges, a.map.size(), 0, 0, cv::INTER_LINEAR);
    const cv::Mat perturbed = perturbedInput(greyIntensity(a.input), edges, variant.input);
    const cv::Mat blended = featureCamMaps(a.input, m_result->edges, a.map, {variant}, k).front();
    m_ingredientPanels[4]->setImage(toQImage(colorize(edges, Colormap::Gray)));
    m_ingredientPanels[4]->setCaption(
        QString("E: deep edges (%1)").arg(QString::fromStdString(m_result->edgeDetector)));
    m_ingredientPanels[5]->setImage(toQImage(colorize(perturbed, Colormap::Gray)));
    m_ingredientPanels[5]->setCaption(QString("P: the perturbed input %1")
                                          .arg(variant.input == PerturbedInput::I1      ? "(E)"
                                                  : variant.input == PerturbedInput::I2 ? "(2·grey + E) / 3"
                                                                                        : "(grey + E) / 2"));
    m_ingredientPanels[6]->setImage(mapImage(blended));
    m_ingredientPanels[6]->setCaption(
        QString("S = k·P + M, k = %1 (%2)").arg(k, 0, 'f', 2).arg(QString::fromStdString(variant.name())));
    m_kLabel->setText(QString("%1").arg(k, 0, 'f', 2));
    m_sentences[FeatureCamBlend]->setText(
        "Feature CAM adds what a deep edge detector finds: the edges E are mixed with the photo's grey values into "
        "P, and k·P is added to the saliency map M. With k = 0 the map is the base method's; move k to watch "
        "the object's outline come in.");
}

void InsideView::fillMask()
{
    const auto& method = m_result->explanation.methods.front();
    const double keep = m_result->request.settings.keepPercent;
    m_maskPanel->setImage(toQImage(method.mask));
    m_maskPanel->setCaption(QString("the mask keeps the %1% most salient pixels").arg(keep, 0, 'f', 0));
    m_explanationPanel->setImage(toQImage(method.explanation));
    const auto& labels = m_result->model.labels;
    const int explained = m_result->explanation.explainedClass;
    m_explanationPanel->setCaption(QString("\"%1\": %2% on this image (%3% on the photo)")
                                       .arg(QString::fromStdString(labels.at(std::size_t(explained))))
                                       .arg(100 * method.reclassified.confidence, 0, 'f', 1)
                                       .arg(100 * m_result->explanation.explainedConfidence, 0, 'f', 1));
    const bool kept = method.reclassified.top1 == explained;
    m_sentences[MaskAndExplanation]->setText(
        QString("Keeping only the pixels the map points at and blacking out the rest, the network is asked again. %1")
            .arg(kept ? "It still sees the same class: the map found what the decision rests on."
                      : QString("It now says \"%1\": what the map kept is not enough for the decision.")
                            .arg(QString::fromStdString(labels.at(std::size_t(method.reclassified.top1))))));
}

int InsideView::stepCount() const
{
    return m_stepList->count();
}

int InsideView::currentStep() const
{
    return m_stepList->currentRow();
}

QString InsideView::stepTitle(int step) const
{
    return step >= 0 && step < stepCount() ? m_stepList->item(step)->text() : QString();
}

void InsideView::setStep(int step)
{
    if (stepCount() == 0)
        return;
    m_stepList->setCurrentRow(std::clamp(step, 0, stepCount() - 1));
}

bool InsideView::setLesson(const QString& folderOrList, QString* error)
{
    try {
        m_lesson = readImageSet(folderOrList.toStdString());
    } catch (const Error& e) {
        *error = QString::fromStdString(e.userMessage());
        return false;
    }
    m_lessonPosition = 0;
    Q_EMIT photoRequested(QString::fromStdString(m_lesson.front().path));
    return true;
}

void InsideView::stepLesson(int delta)
{
    if (m_lesson.empty())
        return;
    const int next = std::clamp(m_lessonPosition + delta, 0, int(m_lesson.size()) - 1);
    if (next == m_lessonPosition)
        return;
    m_lessonPosition = next;
    setStep(0);
    Q_EMIT photoRequested(QString::fromStdString(m_lesson[std::size_t(next)].path));
}

void InsideView::setPresenting(bool presenting)
{
    m_presenting = presenting;
    QFont big = font();
    big.setPointSizeF(presenting ? 16 : QFont().pointSizeF());
    for (QLabel* sentence : m_sentences)
        sentence->setFont(big);
    m_stepList->setVisible(!presenting);
    if (presenting)
        showFullScreen();
    else
        showNormal();
}

void InsideView::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Right:
    case Qt::Key_Down:
    case Qt::Key_Space:
        if (currentStep() == stepCount() - 1 && !m_lesson.empty())
            stepLesson(+1); // past the last step: the lesson's next photo
        else
            setStep(currentStep() + 1);
        return;
    case Qt::Key_Left:
    case Qt::Key_Up:
        if (currentStep() == 0 && !m_lesson.empty())
            stepLesson(-1);
        else
            setStep(currentStep() - 1);
        return;
    case Qt::Key_PageDown:
        stepLesson(+1);
        return;
    case Qt::Key_PageUp:
        stepLesson(-1);
        return;
    case Qt::Key_F11:
        setPresenting(!m_presenting);
        return;
    case Qt::Key_Escape:
        if (m_presenting) {
            setPresenting(false);
            return;
        }
        break;
    default:
        break;
    }
    QWidget::keyPressEvent(event);
}

bool InsideView::exportPdf(const QString& path, QString* error)
{
    if (stepCount() == 0) {
        *error = "There are no steps to export yet.";
        return false;
    }
    QPdfWriter pdf(path);
    pdf.setPageSize(QPageSize(QPageSize::A4));
    pdf.setPageOrientation(QPageLayout::Landscape);
    pdf.setTitle("Inside " + methodDisplayName(m_result->anatomy.methodId) + " — Feature CAM Studio");
    pdf.setCreator("Feature CAM Studio");
    QPainter painter;
    if (!painter.begin(&pdf)) {
        *error = "Could not write \"" + path + "\". Check the folder's permissions.";
        return false;
    }
    const int shown = currentStep();
    const QSize pageSize(1100, 720); // the page's widget is laid out at this size, then scaled onto paper
    for (int step = 0; step < stepCount(); ++step) {
        if (step > 0)
            pdf.newPage();
        setStep(step);
        QWidget* page = m_pages->currentWidget();
        const QSize before = page->size();
        page->resize(pageSize);
        const QRect paper = painter.viewport();
        const double scale
            = std::min(paper.width() / double(pageSize.width()), paper.height() / double(pageSize.height()));
        painter.save();
        painter.scale(scale, scale);
        page->render(&painter, QPoint(), QRegion(), QWidget::DrawChildren);
        painter.restore();
        page->resize(before);
    }
    painter.end();
    setStep(shown);
    return true;
}

} // namespace fcs
