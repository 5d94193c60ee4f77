#pragma once
// What every featurecam-cli command shares: option parsing with GNU-style help, the models path,
// image lists and the exit codes (0 ok, 1 bad input or model, 2 usage).

#include "engine/edges/EdgeDetector.h"
#include "engine/explain/Explainer.h"
#include "engine/featurecam/FeatureCam.h"
#include "engine/model/Preprocess.h"
#include "engine/model/Sidecar.h"

#include <QCommandLineParser>
#include <QJsonObject>
#include <QStringList>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace fcs::cli {

enum ExitCode { kExitOk = 0, kExitBadInput = 1, kExitUsage = 2 };

// A mistake in the command line itself; main prints it with a hint to --help and exits 2.
class UsageError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

class CommandLine
{
public:
    CommandLine(const QString& command, const QString& arguments, const QString& description);

    QCommandLineParser& parser() { return m_parser; }
    void addModelOptions(); // --models DIR (repeatable), --model NAME|PATH, --center-crop, --threads N
    // --input-size, --normalize, --color-order, --labels-file: for an .onnx --model without a sidecar.
    void addOnnxSidecarOptions();
    void addFeatureCamOptions(); // --edges, --k, --edge-max-side, --hed-prototxt, --hed-weights
    // --method (its help and validation from the method catalogue), --keep, --samples, --sigma;
    // help texts state the catalogue's defaults. `offered`: the ids this command accepts.
    void addMethodOptions(const std::vector<std::string>& offered, const std::vector<std::string>& defaultMethods);

    // false when --help was given (the help is printed); throws UsageError on a bad option.
    bool parse(const QStringList& arguments);

    bool isSet(const QString& name) const { return m_parser.isSet(name); }
    QString value(const QString& name) const { return m_parser.value(name); }
    QStringList values(const QString& name) const; // repeatable options, comma lists split
    int intValue(const QString& name, int fallback, int min, int max) const;
    double doubleValue(const QString& name, double fallback, double min, double max) const;

    std::vector<std::string> modelDirs() const;
    Sidecar classifier() const; // --model, or the default classifier on the path
    ResizeMode resizeMode() const;
    void applyThreads() const;
    // The classifier() loaded with resizeMode(); for an ONNX model whose sidecar names no target
    // layer, says on stderr which tensor the importer chose.
    std::unique_ptr<Explainer> loadExplainer() const;

    // --feature-cam top5|all|none (the caller adds the option with its own default).
    std::vector<FeatureCamVariant> featureCamVariants(const std::vector<FeatureCamVariant>& fallback) const;
    // Reads addMethodOptions()' and addFeatureCamOptions()' settings into `settings` (methods,
    // keep, k, n, sigma); unset options keep its values. Throws UsageError.
    void readMethodSettings(ExplainSettings& settings) const;
    int edgeMaxSide() const;
    // --edges, or else the first of pidinet_tiny (as the protocol reference; 4-9x faster than
    // pidinet for 0.02 less ODS) and pidinet on the models path, else Sobel, said on stderr: no
    // silent fallback.
    std::unique_ptr<EdgeDetector> edgeDetector(bool quiet = false) const; // quiet: no fallback notice

private:
    QString m_command;
    std::vector<std::string> m_offeredMethods;
    QCommandLineParser m_parser;
    bool m_onnxSidecarOptions = false;
    mutable std::optional<Sidecar> m_classifier; // found once: an ONNX sidecar made from options is saved then
};

// Positional arguments as image files: folders expand to the images inside them (sorted).
// Throws UsageError when there is none.
std::vector<std::string> expandImages(const QStringList& arguments);

void printJsonLine(const QJsonObject& object);
void printError(const std::string& message);

} // namespace fcs::cli
