#pragma once
// The whole comparison as one figure, like the paper's Fig. 1 and Fig. 5: a title (image, model,
// explained class), the four stages of the base method, then its Feature CAM variants, every
// picture captioned. The same painting goes to a PNG (QImage) and a vector PDF (QPdfWriter).

#include "ui/widgets/SettingsPanel.h"
#include "ui/worker/ExplainJob.h"

#include <QImage>
#include <QSize>
#include <QString>

namespace fcs {

QSize figureSize(const ExplainResult& result); // in pixels at scale 1 (= points in the PDF)
QImage renderFigure(const ExplainResult& result, const ViewStyle& style, double scale = 2.0);

// Writes PNG or PDF by the file's suffix; false with `error` set when it cannot.
bool exportFigure(const ExplainResult& result, const ViewStyle& style, const QString& path, QString* error);

} // namespace fcs
