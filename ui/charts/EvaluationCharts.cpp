#include "ui/charts/EvaluationCharts.h"

#include "engine/catalog/MethodCatalog.h"
#include "engine/core/Error.h"
#include "engine/evaluate/EvaluationRecord.h"
#include "ui/charts/QCustomPlotInclude.h"

#include <QDir>

#include <algorithm>
#include <map>
#include <set>

namespace fcs {
namespace {

// Colour-blind-safe colours, one per base method (Okabe–Ito's eight, then four of Paul Tol's
// muted scheme, so that every method of the catalogue has its own), then grey for baselines.
const QColor kPalette[] = {QColor(0, 114, 178), QColor(230, 159, 0), QColor(0, 158, 115), QColor(204, 121, 167),
    QColor(86, 180, 233), QColor(213, 94, 0), QColor(240, 228, 66), QColor(0, 0, 0), QColor(136, 34, 85),
    QColor(68, 170, 153), QColor(153, 153, 51), QColor(51, 34, 136)};
const QColor kBaselineColor(120, 120, 120);

QColor paletteColor(std::size_t i)
{
    return kPalette[i % (sizeof kPalette / sizeof kPalette[0])];
}

QString methodName(const std::string& id)
{
    if (id == kBaselineMethod)
        return "Baseline";
    const MethodInfo* method = findMethod(id);
    return QString::fromStdString(method ? method->displayName : id);
}

QString variantName(const std::string& variant)
{
    if (variant == kBaseVariant)
        return "base";
    if (variant == kSobelBaseline)
        return "Sobel map";
    if (variant == kRandomBaseline)
        return "random map";
    return QString::fromStdString(variant);
}

std::vector<const SummaryRow*> rowsOf(
    const std::vector<SummaryRow>& rows, const std::string& model, const std::string& convention)
{
    std::vector<const SummaryRow*> out;
    for (const auto& r : rows)
        if (r.model == model && r.convention == convention)
            out.push_back(&r);
    return out;
}

void prepare(QCustomPlot& plot, const QString& title)
{
    plot.clearPlottables();
    plot.clearItems();
    plot.clearGraphs();
    if (plot.plotLayout()->rowCount() > 1)
        plot.plotLayout()->removeAt(0); // the previous title
    plot.plotLayout()->simplify();
    plot.plotLayout()->insertRow(0);
    auto* titleElement = new QCPTextElement(&plot, title, QFont(plot.font().family(), 11, QFont::Bold));
    plot.plotLayout()->addElement(0, 0, titleElement);
    plot.legend->setVisible(true);
    plot.legend->setFont(QFont(plot.font().family(), 8));
    plot.axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
}

} // namespace

void drawGroupedBars(QCustomPlot& plot, const std::vector<SummaryRow>& rows, const std::string& model,
    const std::string& convention, BarMetric metric)
{
    const auto selected = rowsOf(rows, model, convention);
    std::set<std::pair<int, std::string>> variants, methods;
    for (const auto* r : selected) {
        if (r->method == kBaselineMethod)
            continue;
        variants.insert({variantOrder(r->variant), r->variant});
        methods.insert({methodOrder(r->method), r->method});
    }
    const QString what = metric == BarMetric::RightClassification ? "Right classification %" : "Average confidence %";
    prepare(plot,
        what + " — " + QString::fromStdString(model)
            + (convention == "hard" ? " (hard mask)" : " (soft: map × image)"));

    QVector<double> ticks;
    QVector<QString> labels;
    std::map<std::string, double> tickOf;
    for (const auto& [order, variant] : variants) {
        tickOf[variant] = double(ticks.size() + 1);
        ticks << tickOf[variant];
        labels << variantName(variant);
    }
    const double baselineTick = double(ticks.size() + 1);
    ticks << baselineTick << baselineTick + 1;
    labels << variantName(kSobelBaseline) << variantName(kRandomBaseline);

    const double groupWidth = 0.8;
    const double barWidth = groupWidth / std::max<std::size_t>(1, methods.size());
    auto* group = new QCPBarsGroup(&plot);
    group->setSpacing(0);
    auto value = [metric](const SummaryRow& r) {
        return metric == BarMetric::RightClassification ? r.rightClassification : r.avgConfidence;
    };
    std::size_t colour = 0;
    double original = -1;
    for (const auto& [order, method] : methods) {
        auto* bars = new QCPBars(plot.xAxis, plot.yAxis);
        bars->setName(methodName(method));
        bars->setWidth(barWidth);
        bars->setPen(Qt::NoPen);
        bars->setBrush(paletteColor(colour++));
        bars->setBarsGroup(group);
        QVector<double> x, y;
        for (const auto* r : selected)
            if (r->method == method) {
                x << tickOf[r->variant];
                y << value(*r);
                original = r->origAvgConfidence;
            }
        bars->setData(x, y);
    }
    auto* baselines = new QCPBars(plot.xAxis, plot.yAxis);
    baselines->setName("Baselines (no model)");
    baselines->setWidth(barWidth);
    baselines->setPen(Qt::NoPen);
    baselines->setBrush(kBaselineColor);
    QVector<double> bx, by;
    for (const auto* r : selected)
        if (r->method == kBaselineMethod) {
            bx << (r->variant == kSobelBaseline ? baselineTick : baselineTick + 1);
            by << value(*r);
        }
    baselines->setData(bx, by);

    if (metric == BarMetric::AvgConfidence && original >= 0) {
        auto* line = new QCPItemStraightLine(&plot);
        line->point1->setCoords(0, original);
        line->point2->setCoords(1, original);
        line->setPen(QPen(Qt::black, 1.5, Qt::DashLine));
        auto* label = new QCPItemText(&plot);
        label->position->setCoords(0.6, original);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        label->setText(QString("original images: %1%").arg(original, 0, 'f', 1));
        label->setFont(QFont(plot.font().family(), 8));
    }

    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    ticker->addTicks(ticks, labels);
    plot.xAxis->setTicker(ticker);
    plot.xAxis->setTickLabelRotation(40);
    plot.xAxis->setRange(0.4, baselineTick + 1.6);
    plot.xAxis->grid()->setVisible(false);
    plot.yAxis->setLabel(what);
    plot.yAxis->setRange(0, 115); // headroom for the legend
    plot.replot();
}

void drawCurves(QCustomPlot& plot, const std::vector<SummaryRow>& rows, const std::string& model,
    const std::string& method, CurveKind kind)
{
    const bool deletion = kind == CurveKind::Deletion;
    prepare(plot,
        QString(deletion ? "Deletion" : "Insertion") + " curves — " + methodName(method) + ", "
            + QString::fromStdString(model) + (deletion ? " (lower is better)" : " (higher is better)"));
    std::vector<const SummaryRow*> selected;
    for (const auto& r : rows)
        if (r.model == model && r.convention == "hard" && (r.method == method || r.method == kBaselineMethod))
            selected.push_back(&r);
    std::sort(selected.begin(), selected.end(), [](const SummaryRow* a, const SummaryRow* b) {
        return std::make_pair(methodOrder(a->method), variantOrder(a->variant))
            < std::make_pair(methodOrder(b->method), variantOrder(b->variant));
    });
    std::size_t colour = 0;
    for (const auto* r : selected) {
        const auto& curve = deletion ? r->deletionCurve : r->insertionCurve;
        if (curve.size() < 2)
            continue;
        auto* graph = plot.addGraph();
        const auto auc = deletion ? r->deletionAuc : r->insertionAuc;
        graph->setName(QString("%1 (AUC %2)").arg(variantName(r->variant)).arg(auc.value_or(0), 0, 'f', 3));
        QPen pen(r->method == kBaselineMethod ? kBaselineColor : paletteColor(colour++), 2);
        if (r->variant == kRandomBaseline)
            pen.setStyle(Qt::DotLine);
        else if (r->variant == kSobelBaseline)
            pen.setStyle(Qt::DashLine);
        else if (r->variant == kBaseVariant)
            pen.setWidthF(3);
        graph->setPen(pen);
        QVector<double> x, y;
        for (std::size_t i = 0; i < curve.size(); ++i) {
            x << 100.0 * double(i) / double(curve.size() - 1);
            y << 100.0 * curve[i];
        }
        graph->setData(x, y);
    }
    plot.xAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    plot.xAxis->setTickLabelRotation(0);
    plot.xAxis->grid()->setVisible(true);
    plot.xAxis->setLabel(deletion ? "% of the most salient pixels removed (black)"
                                  : "% of the most salient pixels restored (onto black)");
    plot.yAxis->setLabel("Confidence in the explained class %");
    plot.xAxis->setRange(0, 100);
    plot.yAxis->setRange(0, 100);
    plot.replot();
}

std::vector<std::string> writeEvaluationPlots(const std::string& folder, const std::vector<SummaryRow>& rows)
{
    if (!QDir().mkpath(QString::fromStdString(folder)))
        throw Error(ErrorCode::InvalidArgument, "Cannot create the plots folder \"" + folder + "\".");
    std::set<std::pair<std::string, std::string>> modelConventions;
    std::set<std::pair<std::string, std::string>> modelMethods;
    for (const auto& r : rows) {
        modelConventions.insert({r.model, r.convention});
        if (r.method != kBaselineMethod && !r.deletionCurve.empty())
            modelMethods.insert({r.model, r.method});
    }
    std::vector<std::string> written;
    QCustomPlot plot;
    plot.resize(900, 520);
    auto save = [&](const std::string& stem) {
        const QString base = QDir(QString::fromStdString(folder)).filePath(QString::fromStdString(stem));
        if (!plot.savePng(base + ".png", 900, 520, 2.0) || !plot.savePdf(base + ".pdf", 900, 520))
            throw Error(ErrorCode::InvalidArgument, "Cannot write the chart \"" + base.toStdString() + "\".");
        written.push_back(base.toStdString() + ".png");
        written.push_back(base.toStdString() + ".pdf");
    };
    for (const auto& [model, convention] : modelConventions) {
        drawGroupedBars(plot, rows, model, convention, BarMetric::RightClassification);
        save("right_classification_" + model + "_" + convention);
        drawGroupedBars(plot, rows, model, convention, BarMetric::AvgConfidence);
        save("avg_confidence_" + model + "_" + convention);
    }
    for (const auto& [model, method] : modelMethods) {
        drawCurves(plot, rows, model, method, CurveKind::Deletion);
        save("deletion_" + model + "_" + method);
        drawCurves(plot, rows, model, method, CurveKind::Insertion);
        save("insertion_" + model + "_" + method);
    }
    return written;
}

} // namespace fcs
