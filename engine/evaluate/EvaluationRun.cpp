#include "engine/evaluate/EvaluationRun.h"

#include "engine/core/Error.h"
#include "engine/evaluate/EvaluationStore.h"
#include "engine/evaluate/Evaluator.h"
#include "engine/evaluate/LaneScheduler.h"

#include <algorithm>
#include <chrono>
#include <optional>

namespace fcs {

EvaluationOutcome runEvaluation(const std::vector<EvaluationImage>& images, const std::vector<EvaluationLane>& lanes,
    EvaluationStore& store, const EvaluationProgressFn& progress, const CancelToken& cancel)
{
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    if (lanes.empty())
        throw Error(ErrorCode::InvalidArgument, "An evaluation needs at least one lane.");
    const Evaluator& evaluator = *lanes.front().evaluator;
    for (const auto& lane : lanes)
        if (!evaluator.settings().featureCam.empty() && !lane.edges)
            throw Error(ErrorCode::InvalidArgument, "Feature CAM variants need an edge detector.");

    EvaluationOutcome outcome;
    EvaluationProgress state;
    state.imagesTotal = int(images.size());
    std::vector<PendingImage> pending;
    for (const auto& image : images) {
        PendingImage one{&image, {}};
        for (std::size_t m = 0; m < evaluator.modelCount(); ++m)
            one.modelNeeded.push_back(!store.isDone(image.name, evaluator.modelId(m)));
        if (std::find(one.modelNeeded.begin(), one.modelNeeded.end(), true) == one.modelNeeded.end())
            ++state.imagesResumed;
        else
            pending.push_back(std::move(one));
    }
    state.imagesDone = state.imagesResumed;
    if (progress)
        progress(state);

    std::vector<Lane> laneStates(lanes.begin(), lanes.end());
    std::optional<LaneScheduler> scheduler; // none for one lane: it runs here
    if (laneStates.size() > 1 && pending.size() > 1)
        scheduler.emplace(pending, laneStates, lanes, cancel);
    int evaluatedHere = 0;
    for (std::size_t i = 0; i < pending.size(); ++i) {
        state.currentImage = pending[i].image->name;
        ImageOutcome result = scheduler ? scheduler->take(i) : laneStates.front().evaluate(pending[i], cancel);
        if (result.cancelled) { // later images' results are dropped: the files keep the set's order
            outcome.cancelled = true;
            break;
        }
        if (result.skipReason) {
            outcome.skipped.push_back({state.currentImage, *result.skipReason});
            continue;
        }
        // A failure to write (store.append) ends the run, as it would fail every image.
        for (auto& records : result.records)
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
    scheduler.reset(); // the lanes' threads end before their times are read
    for (const auto& lane : laneStates)
        outcome.times.add(lane.times());
    outcome.times.images = evaluatedHere;
    return outcome;
}

} // namespace fcs
