#include "CliSupport.h"
#include "Commands.h"
#include "EvaluationOutput.h"
#include "SlurmSubmit.h"
#include "engine/catalog/Defaults.h"
#include "engine/catalog/MethodCatalog.h"
#include "engine/core/Error.h"
#include "engine/core/Limits.h"
#include "engine/core/Threads.h"
#include "engine/edges/EdgeDetector.h"
#include "engine/evaluate/EvaluationRun.h"
#include "engine/evaluate/EvaluationStore.h"
#include "engine/evaluate/Evaluator.h"
#include "engine/evaluate/ImageSet.h"
#include "engine/evaluate/PointingGame.h"
#include "engine/evaluate/Sharding.h"
#include "engine/model/ModelCatalog.h"
#include "engine/model/ModelFingerprint.h"

#include <QJsonArray>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <unistd.h>

namespace fcs::cli {
namespace {

constexpr int kDefaultMaxWorkers = 4; // each holds its models and batches: memory grows with them
constexpr double kDefaultPointingTolerance = 15; // input pixels, the game's usual (Zhang et al. 2016)

namespace fs = std::filesystem;

CancelToken* interruptToken = nullptr;

// Ctrl-C stops the run after the current image (everything finished is already on disk); a
// second Ctrl-C kills at once.
void onInterrupt(int)
{
    if (interruptToken)
        interruptToken->cancel();
    std::signal(SIGINT, SIG_DFL);
}

std::string duration(double seconds)
{
    char text[32];
    if (seconds < 90)
        std::snprintf(text, sizeof text, "%.0f s", seconds);
    else if (seconds < 5400)
        std::snprintf(text, sizeof text, "%.0f min", seconds / 60);
    else
        std::snprintf(text, sizeof text, "%.1f h", seconds / 3600);
    return text;
}

// "[ 12/300] 0.58 images/s, about 8 min left: n01440764_tench.JPEG" — rewritten in place on a
// terminal, one line per 10 images otherwise (logs).
void printProgress(const EvaluationProgress& p)
{
    static const bool terminal = ::isatty(STDERR_FILENO) != 0;
    const bool last = p.imagesDone == p.imagesTotal;
    if (!terminal && !last && p.imagesDone % 10 != 0)
        return;
    std::string line = "[" + std::to_string(p.imagesDone) + "/" + std::to_string(p.imagesTotal) + "]";
    if (p.imagesResumed > 0)
        line += " (" + std::to_string(p.imagesResumed) + " from an earlier run)";
    if (p.imagesPerSecond > 0) {
        char rate[32];
        std::snprintf(rate, sizeof rate, " %.2f images/s", p.imagesPerSecond);
        line += rate;
        if (p.secondsLeft >= 0 && !last)
            line += ", about " + duration(p.secondsLeft) + " left";
    }
    if (!p.currentImage.empty() && !last)
        line += ": " + p.currentImage;
    if (terminal)
        std::cerr << "\r\033[K" << line << (last ? "\n" : "") << std::flush;
    else
        std::cerr << line << '\n';
}

// One line a person can act on: which stage to make cheaper (e.g. --auc-steps 0, fewer Smooth
// Grad-CAM++ copies, a lighter edge detector).
void printTimeBreakdown(const EvaluationTimes& t, int workers)
{
    if (t.images == 0)
        return;
    const auto perImage = [&t](double seconds) {
        char text[32];
        std::snprintf(text, sizeof text, "%.3f s", seconds / t.images);
        return std::string(text);
    };
    std::string methods;
    for (const auto& [id, seconds] : t.methods)
        methods += (methods.empty() ? "" : ", ") + id + " " + perImage(seconds);
    std::cerr << "featurecam-cli: time per image (" << t.images << " images"
              << (workers > 1 ? ", in each of " + std::to_string(workers) + " workers" : std::string()) << "): loading "
              << perImage(t.loading) << ", edges " << perImage(t.edges) << ", gradient pass "
              << perImage(t.gradientPass) << ", maps (" << methods << "), masks and variants " << perImage(t.variants)
              << ", re-classification " << perImage(t.reclassification) << '\n';
}

std::vector<Sidecar> chosenModels(const CommandLine& line)
{
    if (!line.isSet("model"))
        return {line.classifier()};
    std::vector<Sidecar> models;
    const auto dirs = line.modelDirs();
    for (const QString& name : line.values("model")) {
        Sidecar sidecar = findModel(dirs, name.toStdString());
        if (sidecar.kind != ModelKind::Classifier)
            throw Error(ErrorCode::InvalidArgument, "\"" + name.toStdString() + "\" is not a classifier.");
        models.push_back(std::move(sidecar));
    }
    return models;
}

std::vector<Convention> chosenConventions(const CommandLine& line)
{
    const QString convention = line.isSet("convention") ? line.value("convention") : "both";
    if (convention == "both")
        return {Convention::Hard, Convention::Soft};
    if (convention == "hard" || convention == "soft")
        return {conventionFromName(convention.toStdString())};
    throw UsageError("--convention takes hard, soft or both; got \"" + convention.toStdString() + "\".");
}

// Gives the images their boxes; warns of box-file entries that name no image of the set (with
// --limit, those beyond it too) and of a set none of whose images has boxes.
void attachBoxFile(std::vector<EvaluationImage>& images, const std::string& boxFile, EvaluationSettings& settings)
{
    const auto boxes = readObjectBoxes(boxFile);
    settings.boxesDigest = boxesDigest(boxes);
    const auto unknown = attachBoxes(images, boxes);
    const auto withBoxes
        = std::count_if(images.begin(), images.end(), [](const auto& i) { return i.boxes.has_value(); });
    if (withBoxes == 0)
        throw Error(ErrorCode::BadData,
            "The box file \"" + boxFile
                + "\" names none of the images evaluated; its `file` column must name them as the image list does.");
    if (!unknown.empty())
        std::cerr << "featurecam-cli: warning: " << unknown.size()
                  << " photo(s) of the box file are not evaluated (first: \"" << unknown.front() << "\")\n";
    std::cerr << "featurecam-cli: pointing game on the " << withBoxes << " of " << images.size()
              << " images with boxes, tolerance " << *settings.pointingTolerance << " input pixels\n";
}

} // namespace

int runEvaluate(const QStringList& arguments)
{
    CommandLine line("evaluate", "",
        "Run the paper's quantitative protocol (Tables 2 and 3) and the standard faithfulness metrics on an image "
        "set.\nFor every image × classifier × base method × variant (and the Sobel and random baselines) the "
        "explanation map is re-classified;\nresults go to OUT/per_image.csv as they finish (a run resumes where "
        "it stopped), then OUT/summary.json and OUT/table*.csv.");
    line.addModelOptions();
    line.addMethodOptions(protocolMethodIds(), paperMethodIds());
    line.parser().addOptions({
        {"images", "The images: a folder, or a CSV with a `file` and an optional `class_index` column.", "CSV|DIR"},
        {"out", "Output folder (required). An existing run with the same settings is resumed.", "DIR"},
        {"feature-cam", "Feature CAM variants: top5 (default, the paper's five), all (nine) or none.", "SET"},
        {"convention", "Explanation maps: hard (the paper's mask), soft (map × image) or both (default).", "C"},
        {"auc-steps", "Deletion / insertion curve steps (default 8; 0 turns the curves off: much faster).", "N"},
        {"seed", "Seed of the random baseline and Smooth Grad-CAM++'s noise (default 0).", "S"},
        {"limit", "Only the first N images of the set.", "N"},
        {"batch", "Images per forward pass (default: one per compute thread).", "N"},
        {"workers",
            "Images evaluated at once, each on its own share of --threads (default: one per thread, at most "
            "4). Each worker holds its own copy of the models.",
            "N"},
        {"boxes",
            "Play the pointing game against the objects' boxes: a CSV file,x0,y0,x1,y1[,class_index] in each "
            "photo's own pixels, several rows per photo allowed (docs/definitions.md, \"Pointing game\").",
            "CSV"},
        {"pointing-tolerance",
            "How far (in input pixels) the map's peak may lie from a box and still hit it (default 15).", "PX"},
        {"plots", "Also draw the charts (PNG and PDF) into this folder.", "DIR"},
        {"shard",
            "Evaluate shard I of N only (1 <= I <= N): the images at positions I, I+N, I+2N, … of the set "
            "sorted by name. Join the shard folders with `featurecam-cli merge`.",
            "I/N"},
        {"slurm",
            "Submit the run to Slurm as an array of N shard tasks and a merge job into --out; run the same "
            "command again after a failure to resubmit the unfinished shards only.",
            "N"},
        {"slurm-option",
            "An sbatch option for every job of --slurm, written with '=': "
            "--slurm-option=--partition=cpu (repeatable).",
            "OPT"},
        {"slurm-merge-option",
            "An sbatch option for the merge job only, after those of --slurm-option: "
            "--slurm-merge-option=--mem=4G (repeatable).",
            "OPT"},
    });
    line.addFeatureCamOptions();
    if (!line.parse(arguments))
        return kExitOk;
    if (!line.isSet("images"))
        throw UsageError("--images is required.");
    if (!line.isSet("out"))
        throw UsageError("--out is required.");

    EvaluationSettings settings;
    line.readMethodSettings(settings);
    settings.featureCam = line.featureCamVariants(settings.featureCam);
    settings.conventions = chosenConventions(line);
    settings.aucSteps = line.intValue("auc-steps", settings.aucSteps, 0, limits::kMaxAucSteps);
    settings.seed = std::uint64_t(line.intValue("seed", 0, 0, 2'000'000'000));
    settings.edgeMaxSide = line.edgeMaxSide();
    settings.resize = line.resizeMode();
    if (line.isSet("pointing-tolerance") && !line.isSet("boxes"))
        throw UsageError("--pointing-tolerance needs --boxes.");
    if (line.isSet("boxes"))
        settings.pointingTolerance = line.doubleValue("pointing-tolerance", kDefaultPointingTolerance, 0, 10000);
    try {
        checkEvaluationSettings(settings);
    } catch (const Error& e) {
        throw UsageError(e.userMessage());
    }
    if (line.isSet("shard") && line.isSet("slurm"))
        throw UsageError("--shard and --slurm do not go together: --slurm runs every shard.");
    if ((line.isSet("slurm-option") || line.isSet("slurm-merge-option")) && !line.isSet("slurm"))
        throw UsageError("--slurm-option and --slurm-merge-option need --slurm.");
    const bool sharded = line.isSet("shard");
    ShardSpec shard;
    if (sharded) {
        try {
            shard = parseShardSpec(line.value("shard").toStdString());
        } catch (const Error& e) {
            throw UsageError(e.userMessage());
        }
    }
    const int slurmShards = line.intValue("slurm", 0, 1, limits::kMaxShards);
    const int limit = line.intValue("limit", 0, 1, 100'000'000);
    const int batch = line.intValue("batch", 0, 1, limits::kMaxBatch);

    auto images = readImageSet(line.value("images").toStdString());
    if (limit > 0 && int(images.size()) > limit)
        images.resize(std::size_t(limit));
    if (line.isSet("boxes"))
        attachBoxFile(images, line.value("boxes").toStdString(), settings);

    line.applyThreads();
    setPreferredBatchSize(batch);
    // One image per thread beats one image on every thread: MobileNet-sized networks split poorly
    // over threads at batch 1 (docs/performance.md, "Evaluation in lanes").
    const int threads = computeThreads();
    // Memory grows with the images in flight, workers × batch: it is held to one batch's cap, the
    // budget of docs/performance.md ("Memory").
    const int workerCap = batch > 0 ? std::max(1, limits::kMaxBatch / batch) : threads;
    const int workers = line.intValue("workers", std::min({threads, kDefaultMaxWorkers, workerCap}), 1, threads);
    if (workers > workerCap)
        throw UsageError("--workers " + std::to_string(workers) + " × --batch " + std::to_string(batch)
            + " would hold more than " + std::to_string(limits::kMaxBatch)
            + " images in flight; use fewer workers or a smaller batch.");
    const auto models = chosenModels(line);
    for (const auto& model : models) { // before any work: a list for another classifier fails at once
        checkTruthClasses(images, model.numClasses, model.id, line.value("images").toStdString());
        if (line.isSet("boxes"))
            checkBoxClasses(images, model.numClasses, model.id, line.value("boxes").toStdString());
    }
    std::unique_ptr<EdgeDetector> edges;
    if (!settings.featureCam.empty()) {
        edges = line.edgeDetector();
        settings.edgeDetector = edges->id();
    }
    if (slurmShards > 0) { // everything above checked here, before any job is queued
        SlurmRun slurm;
        slurm.outDir = fs::absolute(line.value("out").toStdString()).lexically_normal().string();
        slurm.shards = slurmShards;
        slurm.evaluateArguments = withoutOptions(
            arguments, {"out", "slurm", "slurm-option", "slurm-merge-option", "threads", "workers", "plots", "shard"});
        if (line.isSet("plots"))
            slurm.plotsDir = fs::absolute(line.value("plots").toStdString()).lexically_normal().string();
        // Not comma-split as other lists: sbatch values hold commas.
        slurm.sbatchOptions = line.parser().values("slurm-option");
        slurm.mergeOptions = line.parser().values("slurm-merge-option");
        return submitSlurmRun(slurm);
    }
    // Each lane its own classifiers and edge detector: neither a TorchScript module's run nor
    // OpenCV's dnn net is shared between threads here.
    const int laneCount = std::max(1, std::min(workers, int(images.size())));
    const int threadsPerLane = laneCount > 1 ? std::max(1, threads / laneCount) : threads;
    std::vector<std::unique_ptr<Evaluator>> evaluators;
    std::vector<std::unique_ptr<EdgeDetector>> laneEdges;
    if (edges)
        laneEdges.push_back(std::move(edges));
    std::vector<EvaluationLane> lanes;
    for (int i = 0; i < laneCount; ++i) {
        evaluators.push_back(std::make_unique<Evaluator>(models, settings));
        if (!laneEdges.empty() && int(laneEdges.size()) == i)
            laneEdges.push_back(line.edgeDetector(/*quiet=*/true));
        lanes.push_back(
            {evaluators.back().get(), laneEdges.empty() ? nullptr : laneEdges[std::size_t(i)].get(), threadsPerLane});
    }

    QJsonObject run = settings.toJson();
    QJsonArray modelIds;
    for (const auto& model : models)
        modelIds.append(QString::fromStdString(model.id));
    run["models"] = modelIds;
    // By content too: shards or a resume made with other files under the same names must not mix.
    QJsonObject fingerprints;
    for (const auto& model : models)
        fingerprints[QString::fromStdString(model.id)] = QJsonObject{
            {"sha256", QString::fromStdString(modelFingerprint(model))}, {"classes", model.numClasses}};
    run["model_fingerprints"] = fingerprints;
    run["images"]
        = QString::fromStdString(fs::absolute(line.value("images").toStdString()).lexically_normal().string());
    std::vector<ShardImage> shardImages;
    if (sharded) {
        run["shard"] = shardJson(shard, images, settings.recordsPerImage());
        shardImages = imagesOfShard(images, shard);
        images.clear();
        for (const auto& image : shardImages)
            images.push_back(image.image);
    }
    const std::string outDir = line.value("out").toStdString();
    EvaluationStore store(outDir, run, settings.recordsPerImage());

    CancelToken cancel;
    interruptToken = &cancel;
    std::signal(SIGINT, onInterrupt);
    std::cerr << "featurecam-cli: evaluating " << (sharded ? "shard " + shard.label() + " of the set: " : std::string())
              << images.size() << " images × " << models.size() << " classifier(s); results in " << store.perImagePath()
              << '\n';
    const EvaluationOutcome outcome = runEvaluation(images, lanes, store, printProgress, cancel);
    std::signal(SIGINT, SIG_DFL);
    interruptToken = nullptr;
    for (const auto& skipped : outcome.skipped)
        printError("skipped " + skipped.image + ": " + skipped.reason);
    printTimeBreakdown(outcome.times, laneCount);

    if (sharded)
        writeShardStatus(outDir, run["shard"].toObject(), shardImages, outcome.skipped, !outcome.cancelled);
    reportEvaluation(outDir, store.records(), outcome.skipped, run,
        line.isSet("plots") ? line.value("plots").toStdString() : std::string());
    if (outcome.cancelled) {
        std::cerr << "featurecam-cli: interrupted; the tables cover the images finished so far. Run the same "
                     "command again to continue.\n";
        return exitCodeFor(ErrorCode::Cancelled);
    }
    return outcome.skipped.empty() ? kExitOk : kExitBadInput;
}

} // namespace fcs::cli
