#include "ui/charts/PredictionChart.h"

#include "ui/charts/QCustomPlotInclude.h"

#include <QVBoxLayout>

#include <algorithm>

namespace fcs {

PredictionChart::PredictionChart(QWidget* parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->setMinimumHeight(150);
    m_plot->xAxis->setRange(0, 100); // a probability: no tick beyond 100 %
    m_plot->xAxis->setLabel("Probability %");
    m_plot->xAxis->grid()->setVisible(true);
    m_plot->yAxis->grid()->setVisible(false);
    m_plot->setToolTip("Click a bar to explain that class.");
    m_plot->setAccessibleName("Top-5 predictions chart");
    clear();
    connect(m_plot, &QCustomPlot::plottableClick, this, &PredictionChart::onPlottableClick);
}

void PredictionChart::clear()
{
    m_predictions.clear();
    m_explainedClass = -1;
    m_plot->clearPlottables();
    m_plot->clearItems();
    m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create()); // no numbered rows
    auto* note = new QCPItemText(m_plot);
    note->position->setType(QCPItemPosition::ptAxisRectRatio);
    note->position->setCoords(0.5, 0.5);
    note->setText("The predictions appear here.");
    note->setColor(Qt::gray);
    m_plot->replot();
}

int PredictionChart::classAtRow(int row) const
{
    return row >= 0 && row < int(m_predictions.size()) ? m_predictions[std::size_t(row)].classIndex : -1;
}

namespace {

bool samePredictions(const std::vector<Prediction>& a, const std::vector<Prediction>& b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const Prediction& x, const Prediction& y) {
        return x.classIndex == y.classIndex && x.label == y.label && x.probability == y.probability;
    });
}

} // namespace

void PredictionChart::setPredictions(const std::vector<Prediction>& predictions, int explainedClass)
{
    // Another method or variant of the same photo predicts the same: no replot (a millisecond of
    // the first map's way to the screen).
    if (!predictions.empty() && explainedClass == m_explainedClass && samePredictions(predictions, m_predictions))
        return;
    m_explainedClass = explainedClass;
    m_plot->clearPlottables();
    m_plot->clearItems();
    m_predictions = predictions;
    const int n = int(predictions.size());
    QVector<double> ticks, otherTicks, values, highlightTicks, highlightValues;
    QVector<QString> labels;
    for (int i = 0; i < n; ++i) {
        const auto& p = predictions[std::size_t(i)];
        const double tick = n - i; // the first prediction on top
        QString label = QString::fromStdString(p.label);
        if (label.size() > 28)
            label = label.left(27) + "…";
        ticks << tick;
        labels << label;
        if (p.classIndex == explainedClass) {
            highlightTicks << tick;
            highlightValues << 100 * p.probability;
        } else {
            otherTicks << tick;
            values << 100 * p.probability;
        }
        // The value beside its bar, or inside it where the bar leaves no room (above 80 %).
        auto* text = new QCPItemText(m_plot);
        const bool inside = p.probability > 0.8;
        text->position->setCoords(100 * p.probability + (inside ? -1.5 : 1.5), tick);
        text->setPositionAlignment((inside ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
        text->setLayer("legend"); // above the bars, which are drawn after it on the main layer
        if (inside && p.classIndex == explainedClass)
            text->setColor(Qt::white); // on the dark blue of the explained class
        text->setText(QString::number(100 * p.probability, 'f', 1) + "%");
        text->setFont(QFont(font().family(), 8));
    }
    auto* bars = new QCPBars(m_plot->yAxis, m_plot->xAxis);
    bars->setData(otherTicks, values);
    bars->setBrush(QColor(160, 180, 200));
    bars->setPen(Qt::NoPen);
    bars->setWidth(0.7);
    auto* highlighted = new QCPBars(m_plot->yAxis, m_plot->xAxis);
    highlighted->setData(highlightTicks, highlightValues);
    highlighted->setBrush(QColor(0, 114, 178));
    highlighted->setPen(Qt::NoPen);
    highlighted->setWidth(0.7);
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    ticker->addTicks(ticks, labels);
    m_plot->yAxis->setTicker(ticker);
    m_plot->yAxis->setRange(0.4, n + 0.6);
    m_plot->replot();
}

void PredictionChart::onPlottableClick(QCPAbstractPlottable* plottable, int dataIndex, QMouseEvent*)
{
    auto* bars = qobject_cast<QCPBars*>(plottable);
    if (!bars || dataIndex < 0 || dataIndex >= bars->dataCount())
        return;
    const double tick = bars->data()->at(dataIndex)->key;
    const int row = int(m_predictions.size()) - int(std::lround(tick));
    const int classIndex = classAtRow(row);
    if (classIndex >= 0)
        Q_EMIT classClicked(classIndex);
}

} // namespace fcs
