#include "ui/gallery/ClassChart.h"

#include "ui/charts/QCustomPlotInclude.h"
#include "ui/gallery/GalleryModel.h"

#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <map>

namespace fcs {
namespace {

constexpr int kClassesShown = 20; // readable at the chart's size; the worst ones matter

} // namespace

std::vector<ClassStatistics> classStatistics(const GalleryModel& model)
{
    struct Sums
    {
        int n = 0, right = 0, withTruth = 0;
        double explConfidence = 0;
    };
    std::map<int, Sums> byClass;
    for (int row = 0; row < model.rowCount(); ++row) {
        const GalleryRow& r = model.at(row);
        if (!r.result.base)
            continue;
        const int classIndex = r.image.truthClass ? *r.image.truthClass : r.result.base->top1;
        Sums& s = byClass[classIndex];
        ++s.n;
        s.explConfidence += r.result.base->explConfidence;
        if (r.image.truthClass) {
            ++s.withTruth;
            s.right += r.result.base->top1 == *r.image.truthClass;
        }
    }
    std::vector<ClassStatistics> out;
    for (const auto& [classIndex, s] : byClass)
        out.push_back({classIndex, model.label(classIndex).toStdString(), s.n,
            s.withTruth > 0 ? 100.0 * s.right / s.withTruth : -1.0, 100.0 * s.explConfidence / s.n});
    std::stable_sort(out.begin(), out.end(), [](const ClassStatistics& a, const ClassStatistics& b) {
        return std::make_pair(a.accuracy, a.explConfidence) < std::make_pair(b.accuracy, b.explConfidence);
    });
    return out;
}

ClassChart::ClassChart(QWidget* parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->setAccessibleName("Top-1 accuracy and explanation-map confidence per class");
    m_plot->xAxis->setRange(0, 100);
    m_plot->xAxis->setLabel("%");
    // The legend in a row of its own above the bars, so that it never hides one.
    m_plot->legend->setVisible(true);
    m_plot->legend->setFont(QFont(font().family(), 8));
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->plotLayout()->insertRow(0);
    m_plot->plotLayout()->addElement(0, 0, m_plot->legend);
    m_plot->plotLayout()->setRowStretchFactor(0, 0.001);
    m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTickerFixed>::create());
    qSharedPointerCast<QCPAxisTickerFixed>(m_plot->xAxis->ticker())->setTickStep(25);
    m_plot->setToolTip("Per class, worst first. Click a class to show only its photos.");
    connect(m_plot, &QCustomPlot::plottableClick, this, &ClassChart::onClick);
}

void ClassChart::update(const GalleryModel& model)
{
    auto all = classStatistics(model);
    m_shown.assign(all.begin(), all.begin() + std::min<std::ptrdiff_t>(kClassesShown, std::ptrdiff_t(all.size())));
    m_plot->clearPlottables();
    const int n = int(m_shown.size());
    QVector<double> ticks, accuracy, confidence;
    QVector<QString> labels;
    bool anyTruth = false;
    for (int i = 0; i < n; ++i) {
        const auto& c = m_shown[std::size_t(i)];
        ticks << n - i; // the worst on top
        QString label = QString::fromStdString(c.label);
        if (label.size() > 22)
            label = label.left(21) + "…";
        labels << QString("%1 (%2)").arg(label).arg(c.n);
        accuracy << std::max(0.0, c.accuracy);
        confidence << c.explConfidence;
        anyTruth = anyTruth || c.accuracy >= 0;
    }
    auto* group = new QCPBarsGroup(m_plot);
    const auto addBars = [&](const QString& name, const QVector<double>& values, const QColor& colour) {
        auto* bars = new QCPBars(m_plot->yAxis, m_plot->xAxis);
        bars->setName(name);
        bars->setData(ticks, values, true);
        bars->setBrush(colour);
        bars->setPen(Qt::NoPen);
        bars->setWidth(0.4);
        bars->setBarsGroup(group);
    };
    if (anyTruth)
        addBars("Top-1 accuracy", accuracy, QColor(0, 114, 178));
    addBars("Confidence on the explanation map", confidence, QColor(230, 159, 0));
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    ticker->addTicks(ticks, labels);
    m_plot->yAxis->setTicker(ticker);
    m_plot->yAxis->setRange(0.4, std::max(1, n) + 0.6);
    m_plot->replot();
}

void ClassChart::onClick(QCPAbstractPlottable* plottable, int dataIndex, QMouseEvent*)
{
    auto* bars = qobject_cast<QCPBars*>(plottable);
    if (!bars || dataIndex < 0 || dataIndex >= bars->dataCount())
        return;
    const int row = int(m_shown.size()) - int(std::lround(bars->data()->at(dataIndex)->key));
    if (row >= 0 && row < int(m_shown.size()))
        Q_EMIT classClicked(m_shown[std::size_t(row)].classIndex);
}

} // namespace fcs
