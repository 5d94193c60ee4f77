#pragma once
// The researcher's results: per method/variant, Human Faith % and the Interpretability Index
// with its 95% confidence interval and the number of answers, laid out like the paper's Table 1,
// with a QCustomPlot chart of both; per-participant and per-image breakdowns; CSV export of the
// raw answers and of the table. Several copies of a survey (one per machine) merge into one.

#include "engine/survey/SurveyResults.h"

#include <QWidget>

class QCustomPlot;
class QLabel;
class QTableWidget;

namespace fcs {

class SurveyResultsWindow : public QWidget
{
    Q_OBJECT

public:
    // fcs::Error when a file cannot be used (the caller shows it).
    explicit SurveyResultsWindow(const QStringList& surveyFiles, QWidget* parent = nullptr);

    const std::vector<SurveyAnswer>& answers() const { return m_answers; }
    const std::vector<SurveyGroupResult>& byMethod() const { return m_byMethod; }
    QTableWidget* table() const { return m_table; }
    bool exportAnswers(const QString& path) const;
    bool exportTable(const QString& path) const;

private:
    void fillTable1();
    QTableWidget* breakdownTable(const std::vector<SurveyGroupResult>& groups, const QString& what);
    void drawChart();

    std::vector<SurveyAnswer> m_answers;
    std::vector<SurveyGroupResult> m_byMethod;
    QTableWidget* m_table;
    QCustomPlot* m_chart;
    QLabel* m_summary;
};

} // namespace fcs
