#pragma once
// Drives an evaluation over an image set: for each image (loaded once, its edge map computed
// once) and each classifier not already in the store, evaluate and append. A bad image is
// skipped with its reason; cancelling stops between images with everything finished saved.
// Several lanes evaluate several images at once (one thread each, sharing nothing); the results
// are appended in the set's order, so the files do not depend on how many lanes ran. Torch-free.

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

// One worker's own classifiers and edge detector (neither is safe to share between threads).
// Every lane's evaluator must have the same models and settings.
struct EvaluationLane
{
    Evaluator* evaluator = nullptr;
    EdgeDetector* edges = nullptr; // may be null when the settings have no Feature CAM variant
    int computeThreads = 1; // LibTorch threads of this lane's own thread (more than one lane only)
};

// One lane runs on the calling thread; several run on threads of their own, while the calling
// thread appends their results in order and reports progress.
EvaluationOutcome runEvaluation(const std::vector<EvaluationImage>& images, const std::vector<EvaluationLane>& lanes,
    EvaluationStore& store, const EvaluationProgressFn& progress = {}, const CancelToken& cancel = CancelToken());

} // namespace fcs
