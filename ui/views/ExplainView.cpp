#include "ui/views/ExplainView.h"

#include "ui/views/MethodDescriptions.h"
#include "ui/views/StageImages.h"
#include "ui/widgets/ImagePanel.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>

#include <algorithm>

namespace fcs {

ExplainView::ExplainView(QWidget* parent)
    : QWidget(parent)
    , m_variantsTitle(new QLabel(this))
    , m_variantGrid(new QGridLayout)
{
    auto* stageRow = new QHBoxLayout;
    for (const char* caption : {"Original", "Saliency map", "Mask", "Explanation map"}) {
        auto* panel = new ImagePanel(caption, this);
        m_stages.push_back(panel);
        stageRow->addWidget(panel);
    }
    QFont bold = m_variantsTitle->font();
    bold.setBold(true);
    m_variantsTitle->setFont(bold);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(stageRow, 3);
    layout->addWidget(m_variantsTitle);
    layout->addLayout(m_variantGrid, 2);
    layout->addStretch(0); // what the pictures at their aspect leave, below them
    clear("Open an image to explain (File ▸ Open, or drop it here).");
}

void ExplainView::clear(const QString& message)
{
    m_result.reset();
    for (auto* panel : m_stages) { // captions too: they named the photo and numbers no longer shown
        panel->clear();
        panel->setCaption(QString());
    }
    m_stages.front()->clear(message);
    for (auto* panel : m_variants)
        panel->deleteLater();
    m_variants.clear();
    m_variantsTitle->clear();
    fitPanelsToPhoto();
}

void ExplainView::showResult(std::shared_ptr<const ExplainResult> result, const ViewStyle& style)
{
    const std::size_t previousCount = m_variants.size();
    m_result = std::move(result);
    m_style = style;
    // As many panels as variants asked for: a partial result (no variants yet) keeps the layout.
    const std::size_t count = m_result->request.settings.featureCam.size() + 1;
    if (m_selected >= int(count) - 1)
        m_selected = -1;
    if (previousCount != count) {
        for (auto* panel : m_variants)
            panel->deleteLater();
        m_variants.clear();
        const int columns = count > 6 ? 5 : int(count);
        for (std::size_t i = 0; i < count; ++i) {
            auto* panel = new ImagePanel(QString(), this);
            const int variant = int(i) - 1;
            connect(panel, &ImagePanel::clicked, this, [this, variant]() { selectVariant(variant); });
            m_variantGrid->addWidget(panel, int(i) / columns, int(i) % columns);
            m_variants.push_back(panel);
        }
    }
    render();
}

void ExplainView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    fitPanelsToPhoto();
}

// The panels only as tall as the photo's aspect needs at their width (a landscape photo left
// empty bands above and below every picture); what is left stays below them.
void ExplainView::fitPanelsToPhoto()
{
    const bool photo = m_result && !m_result->original.empty();
    const double aspect = photo ? double(m_result->original.rows) / m_result->original.cols : 0;
    for (const auto* panels : {&m_stages, &m_variants})
        for (auto* panel : *panels)
            panel->setMaximumHeight(
                photo ? std::max(panel->minimumSizeHint().height(), panel->heightForAspect(aspect)) : QWIDGETSIZE_MAX);
}

void ExplainView::setStyle(const ViewStyle& style)
{
    m_style = style;
    if (m_result)
        render();
}

void ExplainView::selectVariant(int variant)
{
    m_selected = variant;
    if (m_result)
        render();
}

void ExplainView::setObjectBoxes(const std::vector<ObjectBox>& boxes)
{
    m_boxes = boxes;
    if (m_result)
        render();
}

QImage ExplainView::withBoxes(const QImage& picture) const
{
    if (m_boxes.empty() || picture.isNull() || m_result->original.empty())
        return picture;
    // Every picture shows the whole photo at its aspect: one scale from photo pixels.
    const double sx = double(picture.width()) / m_result->original.cols;
    const double sy = double(picture.height()) / m_result->original.rows;
    const int explained = m_result->explanation.explainedClass;
    QImage out = picture.convertToFormat(QImage::Format_RGB32);
    QPainter painter(&out);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(QColor(255, 255, 255), 3));
    for (int pass = 0; pass < 2; ++pass) { // a white rim under a dark line: visible on any map
        for (const auto& box : m_boxes)
            if (!box.classIndex || *box.classIndex == explained)
                painter.drawRect(QRectF(box.x0 * sx, box.y0 * sy, (box.x1 - box.x0) * sx, (box.y1 - box.y0) * sy));
        painter.setPen(QPen(QColor(20, 20, 20), 1.2));
    }
    return out;
}

void ExplainView::render()
{
    const auto& method = m_result->explanation.methods.front();
    const MethodParameters& parameters = m_result->request.settings;
    // A selected variant not computed yet (partial result): its base map until it comes.
    const int shown = m_selected < int(method.featureCam.size()) ? m_selected : -1;
    const StageImages stages = renderStages(*m_result, 0, shown, m_style);
    const Stage* ordered[] = {&stages.original, &stages.saliency, &stages.mask, &stages.explanation};
    for (std::size_t i = 0; i < m_stages.size(); ++i) {
        m_stages[i]->setImage(withBoxes(ordered[i]->image));
        m_stages[i]->setCaption(ordered[i]->caption);
    }
    m_stages[1]->setToolTip(shown < 0 ? methodDescription(method.methodId, parameters)
                                      : variantDescription(method.featureCam[std::size_t(shown)].variant, parameters));

    const QString base = methodDisplayName(method.methodId);
    m_variantsTitle->setText(QString("%1 and its Feature CAM variants (edges: %2%3) — click one to see its mask "
                                     "and explanation map above")
                                 .arg(base,
                                     m_result->edgeDetector.empty() ? QString("not found yet")
                                                                    : QString::fromStdString(m_result->edgeDetector),
                                     m_result->edgeFallback ? ", no PiDiNet model found" : ""));
    const StageImages baseStages = shown < 0 ? stages : renderStages(*m_result, 0, -1, m_style);
    m_variants[0]->setImage(withBoxes(baseStages.saliency.image));
    m_variants[0]->setCaption(base + "\n" + baseStages.explanation.caption.section('\n', 1));
    m_variants[0]->setToolTip(methodDescription(method.methodId, parameters));
    m_variants[0]->setSelected(m_selected < 0);
    for (std::size_t v = method.featureCam.size(); v + 1 < m_variants.size(); ++v) {
        const auto& asked = m_result->request.settings.featureCam.at(v);
        m_variants[v + 1]->clear(QString::fromStdString(asked.name()) + "\nwaiting for edges…");
        m_variants[v + 1]->setToolTip(variantDescription(asked, parameters));
        m_variants[v + 1]->setSelected(m_selected == int(v));
    }
    for (std::size_t v = 0; v < method.featureCam.size(); ++v) {
        const Stage stage = renderVariant(*m_result, 0, v, m_style);
        ImagePanel* panel = m_variants[v + 1];
        panel->setImage(withBoxes(stage.image));
        panel->setCaption(stage.caption);
        panel->setToolTip(variantDescription(method.featureCam[v].variant, parameters));
        panel->setSelected(m_selected == int(v));
    }
    fitPanelsToPhoto();
}

} // namespace fcs
