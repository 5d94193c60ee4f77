#pragma once
// The trial plan of one survey participant (docs/definitions.md, "Survey measures"; the paper's §5.1): every
// stimulus once, in an order shuffled with the participant's seed, each with a pool of candidate
// originals — the true image and distinct distractors drawn from the survey's other images —
// in shuffled order. Same seed, same plan, on every machine (our own generator arithmetic, not
// the standard library's implementation-defined distributions). Torch-free, pure.

#include <cstdint>
#include <vector>

namespace fcs {

// What the builder offers and what an opened survey file may say: numbers read from a file
// are bounded by these, so a tampered file cannot ask for 10⁸ buttons.
namespace survey_limits {
constexpr int kMinPoolSize = 2, kMaxPoolSize = 12;
constexpr int kMinRatingMax = 2, kMaxRatingMax = 10;
constexpr int kMaxImages = 100'000, kMaxStimuli = 1'000'000;
} // namespace survey_limits

struct PlannedTrial
{
    int stimulus = -1; // index into the survey's stimuli
    std::vector<int> pool; // image indices shown as candidates; the true image exactly once
};

// `stimulusImages[s]` is the image index stimulus s was made from; `imageCount` images exist.
// The pool has min(poolSize, imageCount) candidates. Throws fcs::Error(InvalidArgument) for
// poolSize < 2, fewer than 2 images, or a stimulus image out of range.
std::vector<PlannedTrial> planTrials(
    const std::vector<int>& stimulusImages, int imageCount, int poolSize, std::uint64_t seed);

// A small deterministic generator: SplitMix64, and unbiased bounded integers by rejection.
class SurveyRandom
{
public:
    explicit SurveyRandom(std::uint64_t seed)
        : m_state(seed)
    {
    }
    std::uint64_t next();
    int below(int bound); // uniform in [0, bound)
    template <typename T> void shuffle(std::vector<T>& values)
    {
        for (int i = int(values.size()) - 1; i > 0; --i)
            std::swap(values[std::size_t(i)], values[std::size_t(below(i + 1))]); // Fisher–Yates
    }

private:
    std::uint64_t m_state;
};

} // namespace fcs
