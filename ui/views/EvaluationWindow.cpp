#include "ui/views/EvaluationWindow.h"

#include "engine/core/Error.h"
#include "engine/evaluate/EvaluationRecord.h"
#include "engine/evaluate/EvaluationReport.h"
#include "engine/evaluate/EvaluationStore.h"
#include "ui/charts/EvaluationCharts.h"
#include "ui/charts/QCustomPlotInclude.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QVBoxLayout>

#include <set>

namespace fcs {

EvaluationWindow::EvaluationWindow(const QString& folder, QWidget* parent)
    : QWidget(parent)
    , m_model(new QComboBox(this))
    , m_chart(new QComboBox(this))
    , m_detail(new QComboBox(this))
    , m_plot(new QCustomPlot(this))
    , m_tables(new QPlainTextEdit(this))
{
    const QString csv = QDir(folder).filePath("per_image.csv");
    QFile file(csv);
    if (!file.open(QIODevice::ReadOnly))
        throw Error(ErrorCode::InvalidArgument,
            "\"" + folder.toStdString()
                + "\" holds no per_image.csv: choose the --out folder of `featurecam-cli evaluate`.");
    const auto records = parsePerImage(file.readAll().toStdString());
    if (records.empty())
        throw Error(ErrorCode::InvalidArgument, "\"" + csv.toStdString() + "\" has no finished image yet.");
    m_rows = summarize(records);
    setWindowTitle("Evaluation — " + QDir(folder).dirName() + " — Feature CAM Studio");

    std::set<std::string> models;
    for (const auto& r : m_rows)
        models.insert(r.model);
    for (const auto& m : models)
        m_model->addItem(QString::fromStdString(m));
    m_chart->addItem("Right classification %", "right");
    m_chart->addItem("Average confidence %", "confidence");
    m_chart->addItem("Deletion curves", "deletion");
    m_chart->addItem("Insertion curves", "insertion");

    std::string text;
    for (const auto& table : metricTables(m_rows, modelAccuracies(records)))
        text += formatTable(table) + "\n";
    m_tables->setPlainText(QString::fromStdString(text));
    m_tables->setReadOnly(true);
    m_tables->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_tables->setFont(QFont("DejaVu Sans Mono", 9));

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel("Classifier:", this));
    controls->addWidget(m_model);
    controls->addWidget(new QLabel("Chart:", this));
    controls->addWidget(m_chart);
    controls->addWidget(m_detail);
    controls->addStretch();
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_plot);
    splitter->addWidget(m_tables);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(QString("%1 rows from %2").arg(records.size()).arg(csv), this));
    layout->addLayout(controls);
    layout->addWidget(splitter, 1);

    auto refill = [this]() {
        const bool curves
            = m_chart->currentData().toString() == "deletion" || m_chart->currentData().toString() == "insertion";
        const QSignalBlocker block(m_detail);
        const QString previous = m_detail->currentData().toString();
        m_detail->clear();
        std::set<std::pair<int, std::string>> options;
        for (const auto& r : m_rows) {
            if (r.model != m_model->currentText().toStdString())
                continue;
            if (curves && r.method != kBaselineMethod && !r.deletionCurve.empty())
                options.insert({methodOrder(r.method), r.method});
            if (!curves)
                options.insert({r.convention == "hard" ? 0 : 1, r.convention});
        }
        for (const auto& [order, value] : options)
            m_detail->addItem(
                QString::fromStdString(curves ? value : value + (value == "hard" ? " mask" : " (map × image)")),
                QString::fromStdString(value));
        m_detail->setCurrentIndex(std::max(0, m_detail->findData(previous)));
        redraw();
    };
    connect(m_model, qOverload<int>(&QComboBox::currentIndexChanged), this, refill);
    connect(m_chart, qOverload<int>(&QComboBox::currentIndexChanged), this, refill);
    connect(m_detail, qOverload<int>(&QComboBox::currentIndexChanged), this, &EvaluationWindow::redraw);
    refill();
    resize(1100, 820);
}

void EvaluationWindow::redraw()
{
    const std::string model = m_model->currentText().toStdString();
    const QString chart = m_chart->currentData().toString();
    const std::string detail = m_detail->currentData().toString().toStdString();
    if (detail.empty()) {
        m_plot->clearPlottables();
        m_plot->replot();
        return;
    }
    if (chart == "right" || chart == "confidence")
        drawGroupedBars(*m_plot, m_rows, model, detail,
            chart == "right" ? BarMetric::RightClassification : BarMetric::AvgConfidence);
    else
        drawCurves(*m_plot, m_rows, model, detail, chart == "deletion" ? CurveKind::Deletion : CurveKind::Insertion);
}

} // namespace fcs
