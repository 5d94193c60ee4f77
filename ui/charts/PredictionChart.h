#pragma once
// The top-k predictions as horizontal bars (QCustomPlot): class names on the left, probability
// in % at the bar's end, the explained class highlighted. Clicking a bar asks to explain that class.

#include "engine/explain/Explainer.h"

#include <QWidget>

#include <vector>

class QCustomPlot;
class QCPAbstractPlottable;
class QMouseEvent;

namespace fcs {

class PredictionChart : public QWidget
{
    Q_OBJECT

public:
    explicit PredictionChart(QWidget* parent = nullptr);

    void setPredictions(const std::vector<Prediction>& predictions, int explainedClass);
    void clear();
    QCustomPlot* plot() const { return m_plot; }
    const std::vector<Prediction>& predictions() const { return m_predictions; }

    // The class of bar `row` (0 = the top bar); -1 when there is none.
    int classAtRow(int row) const;

Q_SIGNALS:
    void classClicked(int classIndex);

private:
    void onPlottableClick(QCPAbstractPlottable* plottable, int dataIndex, QMouseEvent* event);

    QCustomPlot* m_plot;
    std::vector<Prediction> m_predictions;
    int m_explainedClass = -1;
};

} // namespace fcs
