#include "engine/evaluate/EvaluationRun.h"

#include "engine/core/Error.h"
#include "engine/core/Stopwatch.h"
#include "engine/edges/EdgeCache.h"
#include "engine/evaluate/EvaluationStore.h"
#include "engine/evaluate/Evaluator.h"
#include "engine/io/ImageLoader.h"

#include <chrono>

namespace fcs {

EvaluationOutcome runEvaluation(const std::vector<EvaluationImage>& images, Evaluator& evaluator, EdgeDetector* edges,
    EvaluationStore& store, const EvaluationProgressFn& progress, const CancelToken& cancel)
{
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    const bool needsEdges = !evaluator.settings().featureCam.empty();
    if (needsEdges && !edges)
        throw Error(ErrorCode::InvalidArgument, "Feature CAM variants need an edge detector.");

    EvaluationOutcome outcome;
    EvaluationProgress state;
    state.imagesTotal = int(images.size());
    auto allDone = [&](const EvaluationImage& image) {
        for (std::size_t m = 0; m < evaluator.modelCount(); ++m)
            if (!store.isDone(image.name, evaluator.modelId(m)))
                return false;
        return true;
    };
    for (const auto& image : images)
        if (allDone(image))
            ++state.imagesResumed;
    state.imagesDone = state.imagesResumed;
    if (progress)
        progress(state);

    EdgeCache edgeCache(1); // shrinks large images as `explain` does
    int evaluatedHere = 0;
    double loading = 0, edgeSeconds = 0;
    for (const auto& image : images) {
        if (allDone(image))
            continue;
        if (cancel.isCancelled()) {
            outcome.cancelled = true;
            break;
        }
        state.currentImage = image.name;
        // One image's failure (unreadable, or NaN from a model on it) skips that image only; a
        // failure to write the results (store.append) ends the run, as it would fail every image.
        std::vector<std::vector<EvaluationRecord>> results;
        try {
            Stopwatch stage;
            const cv::Mat rgb = loadImageRgb(image.path);
            loading += stage.lap();
            const cv::Mat edgeMap
                = needsEdges ? edgeCache.edges(*edges, rgb, evaluator.settings().edgeMaxSide) : cv::Mat();
            edgeSeconds += stage.lap();
            for (std::size_t m = 0; m < evaluator.modelCount(); ++m)
                if (!store.isDone(image.name, evaluator.modelId(m)))
                    results.push_back(evaluator.evaluate(m, image, rgb, edgeMap, cancel));
        } catch (const Error& e) {
            if (e.code() == ErrorCode::Cancelled) {
                outcome.cancelled = true;
                break;
            }
            outcome.skipped.push_back({image.name, e.userMessage()});
            continue;
        } catch (const std::exception& e) { // LibTorch or OpenCV on this image's data
            outcome.skipped.push_back({image.name, "the engine failed on it: " + briefWhat(e)});
            continue;
        }
        for (auto& records : results)
            store.append(std::move(records));
        ++evaluatedHere;
        ++state.imagesDone;
        state.secondsElapsed = std::chrono::duration<double>(Clock::now() - start).count();
        state.imagesPerSecond = evaluatedHere / std::max(1e-9, state.secondsElapsed);
        const int remaining = state.imagesTotal - state.imagesDone - int(outcome.skipped.size());
        state.secondsLeft = remaining / state.imagesPerSecond;
        if (progress)
            progress(state);
    }
    outcome.times = evaluator.times();
    outcome.times.images = evaluatedHere;
    outcome.times.loading = loading;
    outcome.times.edges = edgeSeconds;
    return outcome;
}

} // namespace fcs
