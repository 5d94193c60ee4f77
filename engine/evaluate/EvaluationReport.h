#pragma once
// What an evaluation reports, from its records: summary.json, and tables laid out like the
// paper's Tables 2 and 3 (rows: classifier × base method; columns: Original, the base method,
// its Feature CAM variants, then the Sobel and random baselines), as CSV files and as aligned
// text. Torch-free.

#include "engine/evaluate/EvaluationRun.h"
#include "engine/evaluate/Metrics.h"

#include <QJsonObject>

#include <string>
#include <vector>

namespace fcs {

// A metric of SummaryRow that a table shows.
enum class TableMetric {
    RightClassification,
    AvgConfidence,
    AverageDrop,
    IncreaseInConfidence,
    DeletionAuc,
    InsertionAuc,
    PointingHitRate,
    PointingEnergy
};

struct MetricTable
{
    std::string title; // "Table 2. Right classification % (hard mask)"
    std::string fileName; // "table2_right_classification_hard.csv"
    std::vector<std::string> header; // Classifier, Method, Original, base, X1-I1, ..., sobel, random
    std::vector<std::vector<std::string>> rows; // formatted values; "" where there is none
};

// One table per metric and convention found in `rows` (the per-map metrics — AUCs, pointing
// game — once, and only where computed). Percentages with one decimal, AUCs with three.
std::vector<MetricTable> metricTables(
    const std::vector<SummaryRow>& rows, const std::vector<ModelAccuracy>& accuracies);

std::string formatTable(const MetricTable& table); // aligned columns, title first
std::string tableCsv(const MetricTable& table);

// summary.json: {"rows": [...], "models": [{"model", "n", "top1_accuracy"}], "skipped": [...],
// "settings": run}. Percentages as 0–100.
QJsonObject summaryJson(const std::vector<SummaryRow>& rows, const std::vector<ModelAccuracy>& accuracies,
    const std::vector<SkippedImage>& skipped, const QJsonObject& run);

// Writes summary.json and every table's CSV into folder (fcs::Error when it cannot).
void writeReport(const std::string& folder, const QJsonObject& summary, const std::vector<MetricTable>& tables);

} // namespace fcs
