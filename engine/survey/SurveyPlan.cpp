#include "engine/survey/SurveyPlan.h"

#include "engine/core/Error.h"

#include <algorithm>
#include <numeric>

namespace fcs {

std::uint64_t SurveyRandom::next()
{
    std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int SurveyRandom::below(int bound)
{
    const auto range = std::uint64_t(bound);
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % range; // reject the uneven tail
    std::uint64_t value = 0;
    do
        value = next();
    while (value >= limit);
    return int(value % range);
}

std::vector<PlannedTrial> planTrials(
    const std::vector<int>& stimulusImages, int imageCount, int poolSize, std::uint64_t seed)
{
    if (poolSize < 2)
        throw Error(
            ErrorCode::InvalidArgument, "The pool must hold at least 2 images (the true one and a distractor).");
    if (imageCount < 2)
        throw Error(ErrorCode::InvalidArgument, "A survey needs at least 2 images: distractors come from the others.");
    SurveyRandom random(seed);
    std::vector<int> order(stimulusImages.size());
    std::iota(order.begin(), order.end(), 0);
    random.shuffle(order);
    const int poolCount = std::min(poolSize, imageCount);
    std::vector<PlannedTrial> trials;
    for (int stimulus : order) {
        const int image = stimulusImages[std::size_t(stimulus)];
        if (image < 0 || image >= imageCount)
            throw Error(ErrorCode::InvalidArgument, "A stimulus refers to an image the survey does not have.");
        std::vector<int> others;
        for (int i = 0; i < imageCount; ++i)
            if (i != image)
                others.push_back(i);
        random.shuffle(others);
        PlannedTrial trial;
        trial.stimulus = stimulus;
        trial.pool.assign(others.begin(), others.begin() + (poolCount - 1));
        trial.pool.push_back(image);
        random.shuffle(trial.pool);
        trials.push_back(std::move(trial));
    }
    return trials;
}

} // namespace fcs
