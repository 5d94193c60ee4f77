#pragma once
// The pictures of one explanation, ready to show or export: the original, the saliency map over
// it, the mask and the explanation map — each at the photo's aspect ratio — with captions. Used
// by the main view, the compare view and the figure export. Any thread (QImage only).

#include "ui/widgets/SettingsPanel.h"
#include "ui/worker/ExplainJob.h"

#include <QImage>
#include <QString>

namespace fcs {

struct Stage
{
    QImage image;
    QString caption;
};

struct StageImages
{
    Stage original, saliency, mask, explanation;
};

// The photo at the size the pictures have (longest side capped). The engine thread makes it once
// per photo (ExplainResult::shownPhoto): shrinking a 12-megapixel phone photo costs tens of ms,
// and every picture of a result starts from it.
cv::Mat photoAsShown(const cv::Mat& original);

// `method` indexes result.explanation.methods; `variant` its featureCam (-1: the base map).
StageImages renderStages(const ExplainResult& result, std::size_t method, int variant, const ViewStyle& style);

// The saliency overlay of one Feature CAM variant, captioned with its explanation map's confidence.
Stage renderVariant(const ExplainResult& result, std::size_t method, std::size_t variant, const ViewStyle& style);

// "tench 94.5%"
QString classWithConfidence(const ExplainResult& result, int classIndex, double probability);

} // namespace fcs
