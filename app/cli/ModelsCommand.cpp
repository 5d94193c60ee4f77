#include "CliSupport.h"
#include "Commands.h"
#include "engine/model/ModelCatalog.h"

#include <QJsonArray>

#include <cstdio>
#include <iostream>

namespace fcs::cli {

int runModels(const QStringList& arguments)
{
    CommandLine line("models", "", "List the models found on the models path.");
    line.parser().addOptions({
        {"models", "Search DIR for models (repeatable; before FEATURECAM_MODEL_PATH).", "DIR"},
        {"json", "One JSON object per model and line."},
    });
    if (!line.parse(arguments))
        return kExitOk;
    if (!line.parser().positionalArguments().isEmpty())
        throw UsageError("`models` takes no arguments.");

    const auto dirs = line.modelDirs();
    const auto entries = scanModels(dirs);
    if (entries.empty()) {
        std::cerr << "No models found. Searched: " << (dirs.empty() ? std::string("(nothing)") : "");
        for (std::size_t i = 0; i < dirs.size(); ++i)
            std::cerr << (i ? ", " : "") << dirs[i];
        std::cerr << ".\nGive --models DIR or set FEATURECAM_MODEL_PATH (see models/README.md).\n";
        return kExitOk;
    }
    if (!line.isSet("json"))
        std::printf("%-28s %-10s %-9s %7s  %s\n", "NAME", "KIND", "INPUT", "CLASSES", "DESCRIPTION");
    for (const auto& entry : entries) {
        const Sidecar& s = entry.sidecar;
        const bool ok = entry.error.empty();
        const std::string input = !ok   ? "-"
            : s.kind == ModelKind::Edge ? "any"
                                        : std::to_string(s.inputHeight) + "x" + std::to_string(s.inputWidth);
        if (line.isSet("json")) {
            QJsonObject object{
                {"name", QString::fromStdString(entry.id)}, {"path", QString::fromStdString(entry.jsonPath)}};
            if (ok) {
                object["kind"] = QString::fromStdString(kindName(s.kind));
                object["title"] = QString::fromStdString(s.name);
                if (s.kind == ModelKind::Classifier) {
                    object["input_size"] = QJsonArray{s.inputHeight, s.inputWidth};
                    object["num_classes"] = s.numClasses;
                }
            } else {
                object["error"] = QString::fromStdString(entry.error);
            }
            printJsonLine(object);
            continue;
        }
        const std::string classes = ok && s.kind == ModelKind::Classifier ? std::to_string(s.numClasses) : "-";
        std::printf("%-28s %-10s %-9s %7s  %s\n", entry.id.c_str(), ok ? kindName(s.kind).c_str() : "invalid",
            input.c_str(), classes.c_str(), ok ? s.name.c_str() : entry.error.c_str());
    }
    return kExitOk;
}

} // namespace fcs::cli
