#include "engine/evaluate/LaneScheduler.h"

#include "engine/core/Error.h"
#include "engine/core/Stopwatch.h"
#include "engine/core/Threads.h"
#include "engine/evaluate/Evaluator.h"
#include "engine/io/ImageLoader.h"

namespace fcs {

Lane::Lane(const EvaluationLane& lane)
    : m_lane(lane)
    , m_edgeCache(1) // shrinks large images as `explain` does
{
}

ImageOutcome Lane::evaluate(const PendingImage& pending, const CancelToken& cancel)
{
    ImageOutcome out;
    if (cancel.isCancelled()) {
        out.cancelled = true;
        return out;
    }
    try {
        Evaluator& evaluator = *m_lane.evaluator;
        Stopwatch stage;
        const cv::Mat rgb = loadImageRgb(pending.image->path);
        m_times.loading += stage.lap();
        const cv::Mat edgeMap = evaluator.settings().featureCam.empty()
            ? cv::Mat()
            : m_edgeCache.edges(*m_lane.edges, rgb, evaluator.settings().edgeMaxSide);
        m_times.edges += stage.lap();
        for (std::size_t m = 0; m < evaluator.modelCount(); ++m)
            if (pending.modelNeeded[m])
                out.records.push_back(evaluator.evaluate(m, *pending.image, rgb, edgeMap, cancel));
        ++m_times.images;
    } catch (const Error& e) {
        if (e.code() == ErrorCode::Cancelled)
            out.cancelled = true;
        else
            out.skipReason = e.userMessage();
        out.records.clear();
    } catch (const std::exception& e) { // LibTorch or OpenCV on this image's data
        out.skipReason = "the engine failed on it: " + briefWhat(e);
        out.records.clear();
    }
    return out;
}

EvaluationTimes Lane::times() const
{
    EvaluationTimes out = m_lane.evaluator->times();
    out.images = m_times.images;
    out.loading = m_times.loading;
    out.edges = m_times.edges;
    return out;
}

LaneScheduler::LaneScheduler(const std::vector<PendingImage>& pending, std::vector<Lane>& lanes,
    const std::vector<EvaluationLane>& settings, const CancelToken& cancel)
    : m_pending(pending)
    , m_cancel(cancel)
{
    for (std::size_t i = 0; i < lanes.size(); ++i)
        m_threads.emplace_back([this, &lane = lanes[i], threads = settings[i].computeThreads]() {
            prepareComputeThread(threads);
            work(lane);
        });
}

LaneScheduler::~LaneScheduler()
{
    m_stop.cancel();
    for (auto& thread : m_threads)
        thread.join();
}

ImageOutcome LaneScheduler::take(std::size_t index)
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_done.count(index) > 0; });
    ImageOutcome out = std::move(m_done[index]);
    m_done.erase(index);
    return out;
}

void LaneScheduler::work(Lane& lane)
{
    for (;;) {
        std::size_t index = 0;
        {
            std::lock_guard lock(m_mutex);
            if (m_next == m_pending.size())
                return;
            index = m_next++;
        }
        ImageOutcome outcome;
        if (m_stop.isCancelled())
            outcome.cancelled = true;
        else
            outcome = lane.evaluate(m_pending[index], m_cancel);
        std::lock_guard lock(m_mutex);
        m_done[index] = std::move(outcome);
        m_changed.notify_all();
    }
}

} // namespace fcs
