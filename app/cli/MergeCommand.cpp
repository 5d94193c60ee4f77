#include "CliSupport.h"
#include "Commands.h"
#include "EvaluationOutput.h"
#include "engine/core/Error.h"
#include "engine/evaluate/EvaluationStore.h"
#include "engine/evaluate/ShardMerge.h"
#include "engine/io/AtomicFile.h"
#include "engine/io/CsvTable.h"

#include <QFile>
#include <QJsonDocument>

#include <algorithm>
#include <filesystem>
#include <iostream>

namespace fcs::cli {
namespace {

namespace fs = std::filesystem;

// A folder that is not itself an evaluation but holds shard folders (the shards/ folder of an
// evaluate --slurm run) stands for the evaluation folders inside it, sorted.
std::vector<std::string> shardFolders(const QStringList& arguments)
{
    std::vector<std::string> folders;
    for (const QString& argument : arguments) {
        const fs::path path(argument.toStdString());
        std::error_code error;
        if (!fs::is_directory(path, error))
            throw Error(ErrorCode::ReadFailed, "\"" + path.string() + "\" is not a folder.");
        if (fs::exists(path / "run.json", error)) {
            folders.push_back(path.string());
            continue;
        }
        // Without throwing: an entry may be a symlink loop or unreadable (then it is no shard).
        std::vector<std::string> inside;
        for (const auto& entry : fs::directory_iterator(path, error)) {
            std::error_code entryError;
            if (entry.is_directory(entryError) && fs::exists(entry.path() / "run.json", entryError))
                inside.push_back(entry.path().string());
        }
        if (inside.empty())
            throw Error(ErrorCode::BadData,
                "\"" + path.string() + "\" holds no evaluation (no run.json in it or in its folders).");
        std::sort(inside.begin(), inside.end());
        folders.insert(folders.end(), inside.begin(), inside.end());
    }
    return folders;
}

// The output folder may be new, or hold an earlier merge (or a whole run) of the same run.
void checkOutputFolder(const fs::path& out, const QJsonObject& run)
{
    QFile previous(QString::fromStdString((out / "run.json").string()));
    if (previous.open(QIODevice::ReadOnly)) {
        if (QJsonDocument::fromJson(previous.readAll()).object() != run)
            throw Error(ErrorCode::BadData,
                "\"" + out.string()
                    + "\" holds an evaluation with other settings, images or models (see its run.json). Choose "
                      "another --out folder.");
    } else if (fs::exists(out / "per_image.csv")) {
        throw Error(ErrorCode::BadData,
            "\"" + out.string() + "\" has a per_image.csv but no run.json; refusing to overwrite it.");
    }
}

} // namespace

int runMerge(const QStringList& arguments)
{
    CommandLine line("merge", "SHARD_DIR...",
        "Join the folders of a sharded evaluation (evaluate --shard I/N) into one: OUT/per_image.csv, "
        "summary.json, the tables\nand (with --plots) the charts, exactly as one run of the whole set writes them. "
        "Every shard must be there and finished;\na folder holding shard folders (RUN/shards of evaluate --slurm) "
        "stands for them all.");
    line.parser().addOptions({
        {"out", "Output folder (required).", "DIR"},
        {"plots", "Also draw the charts (PNG and PDF) into this folder.", "DIR"},
    });
    if (!line.parse(arguments))
        return kExitOk;
    if (!line.isSet("out"))
        throw UsageError("--out is required.");
    if (line.parser().positionalArguments().isEmpty())
        throw UsageError("name the shard folders to join.");

    const auto folders = shardFolders(line.parser().positionalArguments());
    const MergedEvaluation merged = mergeShards(folders);
    const fs::path out(line.value("out").toStdString());
    std::error_code error;
    fs::create_directories(out, error);
    if (!fs::is_directory(out))
        throw Error(ErrorCode::WriteFailed, "Cannot create the output folder \"" + out.string() + "\".");
    checkOutputFolder(out, merged.run);

    writeFileAtomically((out / "run.json").string(), QJsonDocument(merged.run).toJson().toStdString());
    writePiecesAtomically((out / "per_image.csv").string(), merged.records.size() + 1,
        [&](std::size_t i) { return i == 0 ? csvLine(perImageHeader()) : perImageLine(merged.records[i - 1]); });
    for (const auto& skipped : merged.skipped)
        printError("skipped " + skipped.image + ": " + skipped.reason);
    std::cerr << "featurecam-cli: merged " << merged.shardCount << " shards (" << merged.records.size()
              << " rows) into " << out.string() << '\n';
    reportEvaluation(out.string(), merged.records, merged.skipped, merged.run,
        line.isSet("plots") ? line.value("plots").toStdString() : std::string());
    return kExitOk;
}

} // namespace fcs::cli
