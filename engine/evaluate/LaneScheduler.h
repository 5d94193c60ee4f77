#pragma once
// The lanes of an evaluation (EvaluationRun.h): each evaluates whole images with its own
// classifiers, edge detector and edge cache; the scheduler hands images out to the lanes'
// threads and gives the outcomes back in the set's order. Engine-internal, torch-free.

#include "engine/core/CancelToken.h"
#include "engine/edges/EdgeCache.h"
#include "engine/evaluate/EvaluationRecord.h"
#include "engine/evaluate/EvaluationRun.h"

#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace fcs {

// An image still to evaluate, and which of the classifiers it still needs (decided before any
// lane starts: the store is not read from the lanes' threads).
struct PendingImage
{
    const EvaluationImage* image = nullptr;
    std::vector<bool> modelNeeded;
};

// What one lane made of one image: its records per classifier, or why it was skipped.
struct ImageOutcome
{
    std::vector<std::vector<EvaluationRecord>> records;
    std::optional<std::string> skipReason;
    bool cancelled = false;
};

// One lane's state: its models, edge detector and edge cache, and the stage times it measured.
class Lane
{
public:
    explicit Lane(const EvaluationLane& lane);

    // One image's failure (unreadable, or NaN from a model on it) skips that image only.
    ImageOutcome evaluate(const PendingImage& pending, const CancelToken& cancel);
    EvaluationTimes times() const;

private:
    EvaluationLane m_lane;
    EdgeCache m_edgeCache;
    EvaluationTimes m_times; // loading, edges and images; the evaluator keeps the rest
};

// Hands the images out to several lanes' threads and gives their outcomes back in the set's
// order. A lane that finds the run stopped marks the images it takes as cancelled, so every
// image gets an outcome and the consumer never waits for one that will not come. Destroying
// the scheduler stops the lanes and joins their threads.
class LaneScheduler
{
public:
    LaneScheduler(const std::vector<PendingImage>& pending, std::vector<Lane>& lanes,
        const std::vector<EvaluationLane>& settings, const CancelToken& cancel);
    ~LaneScheduler();
    LaneScheduler(const LaneScheduler&) = delete;
    LaneScheduler& operator=(const LaneScheduler&) = delete;

    ImageOutcome take(std::size_t index); // waits for the image at `index` of `pending`

private:
    void work(Lane& lane);

    const std::vector<PendingImage>& m_pending;
    const CancelToken& m_cancel;
    CancelToken m_stop; // the consumer is gone (finished, cancelled, or failed to write)
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::size_t m_next = 0;
    std::map<std::size_t, ImageOutcome> m_done;
    std::vector<std::thread> m_threads; // started last, when every member above exists
};

} // namespace fcs
