#pragma once
// An .onnx given to --model without a sidecar (issue 27): the options that answer what the file
// does not say (input size, normalization, colour order, labels), checked and saved as its sidecar.

#include "engine/model/Sidecar.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

#include <string>

namespace fcs::cli {

QList<QCommandLineOption> onnxSidecarOptions();

// Whether any of those options was given.
bool anyOnnxSidecarOption(const QCommandLineParser& parser);

// The sidecar the options make for `onnxPath`, saved beside it for the next run (said on stderr,
// as is a failure to save, which does not stop this run). Throws UsageError naming the answers
// that are missing, fcs::Error for a model the importer refuses.
Sidecar onnxSidecarFromOptions(const QCommandLineParser& parser, const std::string& onnxPath);

} // namespace fcs::cli
