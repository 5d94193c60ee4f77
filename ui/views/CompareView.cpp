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
    m_grid->setColumnStretch(5, 2);
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
        m_grid->addWidget(text, row, 5);
        m_rowWidgets.push_back(text);
    };
    for (std::size_t m = 0; m < m_result->explanation.methods.size(); ++m, ++row) {
        const auto& method = m_result->explanation.methods[m];
        const StageImages stages = renderStages(*m_result, m, -1, m_style);
        int column = 0;
        for (const Stage* stage : {&stages.original, &stages.saliency, &stages.mask, &stages.explanation}) {
            auto* panel = new ImagePanel(stage->caption, this);
            panel->setMinimumHeight(kMinimumRowHeight); // many methods scroll; they never squeeze
            panel->setImage(stage->image);
            m_grid->addWidget(panel, row, column++);
            m_rowWidgets.push_back(panel);
            m_panels.push_back(panel);
        }
        addRowTitle(methodDisplayName(method.methodId), methodDescription(method.methodId, parameters));
    }
    for (const auto& method : methodCatalog()) {
        if (!method.isSlow())
            continue;
        auto* note = new QLabel(QString::fromStdString("Not run in this view: it takes "
                                    + method.costDescription(parameters) + ". Choose it in the Explain view."),
            this);
        note->setWordWrap(true);
        m_grid->addWidget(note, row, 0, 1, 5);
        m_rowWidgets.push_back(note);
        addRowTitle(methodDisplayName(method.id), methodDescription(method.id, parameters));
        ++row;
    }
    for (const auto& failure : m_result->explanation.failures) {
        auto* note = new QLabel("Not available for this model: " + QString::fromStdString(failure.message), this);
        note->setWordWrap(true);
        m_grid->addWidget(note, row, 0, 1, 5);
        m_rowWidgets.push_back(note);
        addRowTitle(methodDisplayName(failure.methodId), methodDescription(failure.methodId, parameters));
        ++row;
    }
}

} // namespace fcs
