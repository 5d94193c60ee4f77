#pragma once
// Charts of an evaluation (QCustomPlot): grouped bars of a metric per variant, one bar per base
// method (the baselines as their own bars), and the mean deletion / insertion curves. Used by
// the GUI and, rendered off screen, by `featurecam-cli evaluate --plots`. Needs a QApplication.

#include "engine/evaluate/Metrics.h"

#include <string>
#include <vector>

class QCustomPlot;
class QWidget;

namespace fcs {

enum class BarMetric { RightClassification, AvgConfidence };
enum class CurveKind { Deletion, Insertion };

// Rows of one model and convention. The x axis lists base, the Feature CAM variants and the
// baselines; each base method is one coloured bar in every group; a dashed line marks the
// original images' average confidence (AvgConfidence).
void drawGroupedBars(QCustomPlot& plot, const std::vector<SummaryRow>& rows, const std::string& model,
    const std::string& convention, BarMetric metric);

// One curve per variant of `method` (base and its Feature CAM variants) plus the baselines.
void drawCurves(QCustomPlot& plot, const std::vector<SummaryRow>& rows, const std::string& model,
    const std::string& method, CurveKind kind);

// Writes every chart as PNG and PDF into folder; returns the files written. fcs::Error when the
// folder cannot be written.
std::vector<std::string> writeEvaluationPlots(const std::string& folder, const std::vector<SummaryRow>& rows);

} // namespace fcs
