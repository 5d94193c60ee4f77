#pragma once
// The end of an evaluation, shared by `evaluate` and `merge`: summary.json and the tables into
// the output folder, the accuracy lines and tables on stdout, and (optionally) the charts.

#include "engine/evaluate/EvaluationRecord.h"
#include "engine/evaluate/EvaluationRun.h"

#include <QJsonObject>

#include <string>
#include <vector>

namespace fcs::cli {

// `plotsDir` empty: no charts.
void reportEvaluation(const std::string& outDir, const std::vector<EvaluationRecord>& records,
    const std::vector<SkippedImage>& skipped, const QJsonObject& run, const std::string& plotsDir);

} // namespace fcs::cli
