#include "EvaluationOutput.h"

#include "engine/evaluate/EvaluationReport.h"
#include "ui/charts/EvaluationCharts.h"

#include <iostream>

namespace fcs::cli {

void reportEvaluation(const std::string& outDir, const std::vector<EvaluationRecord>& records,
    const std::vector<SkippedImage>& skipped, const QJsonObject& run, const std::string& plotsDir)
{
    const auto rows = summarize(records);
    const auto accuracies = modelAccuracies(records);
    const auto tables = metricTables(rows, accuracies);
    writeReport(outDir, summaryJson(rows, accuracies, skipped, run), tables);
    for (const auto& accuracy : accuracies)
        std::cout << accuracy.model << ": top-1 accuracy " << accuracy.top1Accuracy << "% on " << accuracy.n
                  << " images with ground truth\n";
    for (const auto& table : tables)
        std::cout << '\n' << formatTable(table);
    if (!plotsDir.empty()) {
        const auto charts = writeEvaluationPlots(plotsDir, rows);
        std::cerr << "featurecam-cli: " << charts.size() << " chart files in " << plotsDir << '\n';
    }
}

} // namespace fcs::cli
