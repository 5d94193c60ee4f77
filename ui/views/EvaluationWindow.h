#pragma once
// An evaluation's results in the GUI (the folder `featurecam-cli evaluate --out` wrote): the
// grouped bar charts of right classification % and average confidence, the deletion / insertion
// curves, and the tables laid out like the paper's Tables 2 and 3 — all recomputed from
// per_image.csv, so a run still in progress shows what has finished.

#include "engine/evaluate/Metrics.h"

#include <QWidget>

class QComboBox;
class QCustomPlot;
class QPlainTextEdit;

namespace fcs {

class EvaluationWindow : public QWidget
{
    Q_OBJECT

public:
    // fcs::Error when the folder holds no readable per_image.csv.
    explicit EvaluationWindow(const QString& folder, QWidget* parent = nullptr);

    const std::vector<SummaryRow>& rows() const { return m_rows; }
    QCustomPlot* plot() const { return m_plot; }
    QComboBox* chartChoice() const { return m_chart; }

private:
    void redraw();

    std::vector<SummaryRow> m_rows;
    QComboBox* m_model;
    QComboBox* m_chart;
    QComboBox* m_detail; // convention for bars, base method for curves
    QCustomPlot* m_plot;
    QPlainTextEdit* m_tables;
};

} // namespace fcs
