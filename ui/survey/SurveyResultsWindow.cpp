#include "ui/survey/SurveyResultsWindow.h"

#include "ui/charts/QCustomPlotInclude.h"
#include "ui/views/MethodDescriptions.h"

#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSet>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace fcs {
namespace {

// "gradcam / X1-I1" -> "X1-I1 (Grad-CAM)"; "gradcam / base" -> "Grad-CAM"
QString groupTitle(const QString& key)
{
    const QString method = key.section(" / ", 0, 0);
    const QString variant = key.section(" / ", 1);
    const QString name = methodDisplayName(method.toStdString());
    return variant == "base" ? name : variant + " (" + name + ")";
}

bool writeText(const QString& path, const QString& text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(text.toUtf8()) >= 0;
}

} // namespace

SurveyResultsWindow::SurveyResultsWindow(const QStringList& surveyFiles, QWidget* parent)
    : QWidget(parent)
    , m_table(new QTableWidget(this))
    , m_chart(new QCustomPlot(this))
    , m_summary(new QLabel(this))
{
    setWindowTitle("Survey Results — Feature CAM Studio");
    m_answers = mergedAnswers(std::vector<QString>(surveyFiles.begin(), surveyFiles.end()));
    m_byMethod = surveyResults(m_answers, SurveyGrouping::MethodVariant);

    QSet<QString> participants;
    for (const auto& a : m_answers)
        participants.insert(a.participant);
    m_summary->setText(QString("%1 answers from %2 participant(s) in %3 file(s).")
                           .arg(m_answers.size())
                           .arg(participants.size())
                           .arg(surveyFiles.size()));
    m_summary->setWordWrap(true);

    auto* tabs = new QTabWidget(this);
    auto* table1 = new QWidget;
    auto* table1Layout = new QVBoxLayout(table1);
    table1Layout->addWidget(m_table, 1);
    table1Layout->addWidget(m_chart, 2);
    m_chart->setMinimumHeight(280);
    tabs->addTab(table1, "By method (Table 1)");
    tabs->addTab(
        breakdownTable(surveyResults(m_answers, SurveyGrouping::Participant), "Participant"), "By participant");
    tabs->addTab(breakdownTable(surveyResults(m_answers, SurveyGrouping::Image), "Image"), "By image");

    auto* exportAnswersButton = new QPushButton("Export Answers (CSV)…", this);
    auto* exportTableButton = new QPushButton("Export Table (CSV)…", this);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_summary, 1);
    buttons->addWidget(exportAnswersButton);
    buttons->addWidget(exportTableButton);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(tabs, 1);
    connect(exportAnswersButton, &QPushButton::clicked, this, [this]() {
        const QString path = QFileDialog::getSaveFileName(this, "Export Answers", "survey-answers.csv", "CSV (*.csv)");
        if (!path.isEmpty() && !exportAnswers(path))
            QMessageBox::warning(this, "Export", "Could not write \"" + path + "\".");
    });
    connect(exportTableButton, &QPushButton::clicked, this, [this]() {
        const QString path = QFileDialog::getSaveFileName(this, "Export Table", "survey-table.csv", "CSV (*.csv)");
        if (!path.isEmpty() && !exportTable(path))
            QMessageBox::warning(this, "Export", "Could not write \"" + path + "\".");
    });
    fillTable1();
    drawChart();
    resize(1200, 760);
}

bool SurveyResultsWindow::exportAnswers(const QString& path) const
{
    return writeText(path, answersCsv(m_answers));
}

bool SurveyResultsWindow::exportTable(const QString& path) const
{
    return writeText(path, resultsCsv(m_byMethod));
}

void SurveyResultsWindow::fillTable1()
{
    const QStringList rows
        = {"Human Faith %", "Interpretability Index", "95% CI of the index", "Picks (task 1)", "Ratings (task 2)"};
    m_table->setRowCount(rows.size());
    m_table->setColumnCount(int(m_byMethod.size()));
    m_table->setVerticalHeaderLabels(rows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    for (int c = 0; c < int(m_byMethod.size()); ++c) {
        const auto& r = m_byMethod[std::size_t(c)];
        m_table->setHorizontalHeaderItem(c, new QTableWidgetItem(groupTitle(r.key)));
        const QStringList values
            = {QString::number(r.humanFaith, 'f', 1) + "%", QString::number(r.interpretability, 'f', 2),
                r.ratings >= 2 ? QString("%1 – %2").arg(r.ciLow, 0, 'f', 2).arg(r.ciHigh, 0, 'f', 2) : QString("—"),
                QString::number(r.picks), QString::number(r.ratings)};
        for (int row = 0; row < values.size(); ++row) {
            auto* item = new QTableWidgetItem(values[row]);
            item->setTextAlignment(Qt::AlignCenter);
            m_table->setItem(row, c, item);
        }
    }
    m_table->resizeColumnsToContents();
}

QTableWidget* SurveyResultsWindow::breakdownTable(const std::vector<SurveyGroupResult>& groups, const QString& what)
{
    auto* table = new QTableWidget(int(groups.size()), 5);
    table->setHorizontalHeaderLabels({what, "Human Faith %", "Picks", "Interpretability Index", "Ratings"});
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->verticalHeader()->hide();
    for (int row = 0; row < int(groups.size()); ++row) {
        const auto& g = groups[std::size_t(row)];
        const QStringList values = {g.key, QString::number(g.humanFaith, 'f', 1), QString::number(g.picks),
            QString::number(g.interpretability, 'f', 2), QString::number(g.ratings)};
        for (int c = 0; c < values.size(); ++c)
            table->setItem(row, c, new QTableWidgetItem(values[c]));
    }
    table->resizeColumnsToContents();
    table->horizontalHeader()->setStretchLastSection(true);
    return table;
}

void SurveyResultsWindow::drawChart()
{
    // Two measures on two scales: Human Faith % on the left axis, the index (0..max) on the right.
    QVector<double> ticks, faith, index, ciHalf;
    QVector<QString> labels;
    for (int i = 0; i < int(m_byMethod.size()); ++i) {
        const auto& r = m_byMethod[std::size_t(i)];
        ticks << i + 1;
        labels << groupTitle(r.key);
        faith << r.humanFaith;
        index << r.interpretability;
        ciHalf << (r.ciHigh - r.interpretability);
    }
    auto* group = new QCPBarsGroup(m_chart);
    auto* faithBars = new QCPBars(m_chart->xAxis, m_chart->yAxis);
    faithBars->setName("Human Faith % (left axis)");
    faithBars->setData(ticks, faith);
    faithBars->setBrush(QColor(0, 114, 178));
    faithBars->setPen(Qt::NoPen);
    faithBars->setWidth(0.35);
    faithBars->setBarsGroup(group);
    auto* indexBars = new QCPBars(m_chart->xAxis, m_chart->yAxis2);
    indexBars->setName("Interpretability Index, 95% CI (right axis)");
    indexBars->setData(ticks, index);
    indexBars->setBrush(QColor(230, 159, 0));
    indexBars->setPen(Qt::NoPen);
    indexBars->setWidth(0.35);
    indexBars->setBarsGroup(group);
    auto* errors = new QCPErrorBars(m_chart->xAxis, m_chart->yAxis2);
    errors->setDataPlottable(indexBars);
    errors->setData(ciHalf);
    errors->removeFromLegend();
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    ticker->addTicks(ticks, labels);
    m_chart->xAxis->setTicker(ticker);
    m_chart->xAxis->setTickLabelRotation(30);
    m_chart->xAxis->setRange(0.4, m_byMethod.size() + 0.6);
    m_chart->yAxis->setRange(0, 105);
    m_chart->yAxis->setLabel("Human Faith %");
    m_chart->yAxis2->setVisible(true);
    int ratingMax = 6;
    for (const auto& a : m_answers)
        ratingMax = std::max(ratingMax, a.rating.value_or(0));
    m_chart->yAxis2->setRange(0, ratingMax * 1.05);
    m_chart->yAxis2->setLabel("Interpretability Index");
    m_chart->legend->setVisible(true);
    m_chart->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    m_chart->replot();
}

} // namespace fcs
