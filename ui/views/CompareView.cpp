#include "ui/views/CompareView.h"

#include "engine/catalog/MethodCatalog.h"
#include "ui/views/MethodDescriptions.h"
#include "ui/views/StageImages.h"
#include "ui/widgets/ImagePanel.h"

#include <QGridLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace fcs {
namespace {

constexpr int kMinimumRowHeight = 220;
// The photo once, on the first row; then per method its saliency map, mask and explanation map
// (columns 0-2) and its name and description.
constexpr int kTitleColumn = 3;

} // namespace

CompareView::CompareView(QWidget* parent)
    : QWidget(parent)
    , m_grid(new QGridLayout)
    , m_message(new QLabel(this))
{
    m_message->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_message);
    layout->addLayout(m_grid, 1);
    m_grid->setColumnStretch(kTitleColumn, 2);
    clear("The methods side by side appear here once an image is open.");
}

std::vector<ImagePanel*> CompareView::panels() const
{
    return m_panels;
}

void CompareView::clear(const QString& message)
{
    m_result.reset();
    for (auto* w : m_rowWidgets)
        w->deleteLater();
    m_rowWidgets.clear();
    m_panels.clear();
    m_message->setText(message);
    m_message->show();
}

void CompareView::showResult(std::shared_ptr<const ExplainResult> result, const ViewStyle& style)
{
    clear(QString());
    m_message->hide();
    m_result = std::move(result);
    m_style = style;
    render();
}

void CompareView::setStyle(const ViewStyle& style)
{
    m_style = style;
    if (m_result) {
        auto result = m_result;
        showResult(result, style);
    }
}

void CompareView::render()
{
    const MethodParameters& parameters = m_result->request.settings;
    int row = 0;
    auto addRowTitle = [this, &row](const QString& title, const QString& description) {
        auto* text = new QLabel("<b>" + title.toHtmlEscaped() + "</b><br>" + description.toHtmlEscaped(), this);
        text->setWordWrap(true);
        text->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        text->setMinimumWidth(220);
        m_grid->addWidget(text, row, kTitleColumn);
        m_rowWidgets.push_back(text);
    };
    const auto addPanel = [this](const Stage& stage, int panelRow, int column) {
        auto* panel = new ImagePanel(stage.caption, this);
        panel->setMinimumHeight(kMinimumRowHeight); // many methods scroll; they never squeeze
        panel->setImage(stage.image);
        m_grid->addWidget(panel, panelRow, column);
        m_rowWidgets.push_back(panel);
        m_panels.push_back(panel);
    };
    if (!m_result->explanation.methods.empty()) {
        addPanel(renderStages(*m_result, 0, -1, m_style).original, row, 0);
        auto* note = new QLabel("The photo. Below, each method's saliency map, the mask it makes and the explanation "
                                "map (the photo through the mask), with the confidence the model keeps in it.",
            this);
        note->setWordWrap(true);
        m_grid->addWidget(note, row++, 1, 1, kTitleColumn);
        m_rowWidgets.push_back(note);
    }
    for (std::size_t m = 0; m < m_result->explanation.methods.size(); ++m, ++row) {
        const auto& method = m_result->explanation.methods[m];
        const StageImages stages = renderStages(*m_result, m, -1, m_style);
        int column = 0;
        for (const Stage* stage : {&stages.saliency, &stages.mask, &stages.explanation})
            addPanel(*stage, row, column++);
        addRowTitle(methodDisplayName(method.methodId), methodDescription(method.methodId, parameters));
    }
    for (const auto& method : methodCatalog()) {
        if (!method.isSlow())
            continue;
        auto* note = new QLabel(QString::fromStdString("Not run in this view: it takes "
                                    + method.costDescription(parameters) + ". Choose it in the Explain view."),
            this);
        note->setWordWrap(true);
        m_grid->addWidget(note, row, 0, 1, kTitleColumn);
        m_rowWidgets.push_back(note);
        addRowTitle(methodDisplayName(method.id), methodDescription(method.id, parameters));
        ++row;
    }
    for (const auto& failure : m_result->explanation.failures) {
        auto* note = new QLabel("Not available for this model: " + QString::fromStdString(failure.message), this);
        note->setWordWrap(true);
        m_grid->addWidget(note, row, 0, 1, kTitleColumn);
        m_rowWidgets.push_back(note);
        addRowTitle(methodDisplayName(failure.methodId), methodDescription(failure.methodId, parameters));
        ++row;
    }
}

} // namespace fcs
