#pragma once
// Renders every stimulus of a survey once, up front, into a new survey file: for each image ×
// classifier × method (and Feature CAM variant), the saliency map alone, colour-mapped (jet, as
// the paper) at the photo's aspect ratio — never over the photo, or task 1 would be trivial.
// The file is written as NAME.part and renamed when complete, so a cancelled or failed build
// leaves nothing half-made. Torch-free header.

#include "engine/catalog/Defaults.h"
#include "engine/catalog/MethodCatalog.h"
#include "engine/core/CancelToken.h"
#include "engine/evaluate/ImageSet.h"
#include "engine/explain/Explainer.h"
#include "engine/featurecam/FeatureCam.h"
#include "engine/model/Sidecar.h"

#include <QString>

#include <functional>
#include <vector>

namespace fcs {

class EdgeDetector;

// What to explain (methods, variants, keep, k, Smooth Grad-CAM++) is an ExplainSettings, as
// everywhere; the design adds the images, models and the study's own settings.
struct SurveyDesign : ExplainSettings
{
    SurveyDesign()
    {
        methods = paperMethodIds();
        featureCam = topFiveFeatureCamVariants();
    }

    std::vector<EvaluationImage> images;
    std::vector<Sidecar> models;
    int poolSize = 4;
    int ratingMax = 6;
    int stimulusSide = 448; // longer side of stored stimuli and images, in pixels
    bool replaceExisting = false; // an existing survey (with its answers) is only replaced when set

    int stimulusCount() const; // images × models × methods × (1 + variants)
};

// done / total stimuli, for a progress bar.
using SurveyProgressFn = std::function<void(int done, int total, const QString& image)>;

// Throws fcs::Error for a bad design (fewer than 2 images, pool size outside 2..images, no
// method), an unreadable image or model (naming it), an existing file at `path` without
// design.replaceExisting (before any work), or when cancelled (ErrorCode::Cancelled).
void buildSurvey(const SurveyDesign& design, EdgeDetector* edges, const QString& path,
    const SurveyProgressFn& progress = {}, const CancelToken& cancel = CancelToken());

} // namespace fcs
