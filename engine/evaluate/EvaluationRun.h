#pragma once
// Drives an evaluation over an image set: for each image (loaded once, its edge map computed
// once) and each classifier not already in the store, evaluate and append. A bad image is
// skipped with its reason; cancelling stops between images with everything finished saved.
// Torch-free. One thread at a time.

#include "engine/core/CancelToken.h"
#include "engine/evaluate/EvaluationTimes.h"
#include "engine/evaluate/ImageSet.h"

#include <functional>
#include <string>
#include <vector>

namespace fcs {

class EdgeDetector;
class EvaluationStore;
class Evaluator;

struct EvaluationProgress
{
    int imagesDone = 0; // finished, including those found finished on resume
    int imagesTotal = 0;
    int imagesResumed = 0; // already in the store when the run started
    double secondsElapsed = 0;
    double imagesPerSecond = 0; // of this run's own images
    double secondsLeft = -1; // -1 until a rate is known
    std::string currentImage;
};

struct SkippedImage
{
    std::string image;
    std::string reason;
};

struct EvaluationOutcome
{
    bool cancelled = false;
    std::vector<SkippedImage> skipped;
    EvaluationTimes times; // of the images this run evaluated
};

using EvaluationProgressFn = std::function<void(const EvaluationProgress&)>;

// `edges` may be null when the settings have no Feature CAM variant.
EvaluationOutcome runEvaluation(const std::vector<EvaluationImage>& images, Evaluator& evaluator, EdgeDetector* edges,
    EvaluationStore& store, const EvaluationProgressFn& progress = {}, const CancelToken& cancel = CancelToken());

} // namespace fcs
