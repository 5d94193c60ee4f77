#pragma once
// The featurecam-cli commands. Each takes the arguments after its name and returns the exit
// code; fcs::Error and UsageError escape to main, which prints them.

#include <QStringList>

namespace fcs::cli {

int runModels(const QStringList& arguments);
int runClassify(const QStringList& arguments);
int runExplain(const QStringList& arguments);
int runEvaluate(const QStringList& arguments);
int runMerge(const QStringList& arguments);
int runLive(const QStringList& arguments);

} // namespace fcs::cli
