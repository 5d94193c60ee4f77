#include "ui/views/StageImages.h"

#include "ui/views/MethodDescriptions.h"
#include "ui/widgets/ImageConversion.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>

namespace fcs {
namespace {

constexpr int kLongestShownSide = 720; // enough for a sharp panel and a printed figure

cv::Size shownSize(const cv::Mat& original)
{
    const double scale = std::min(1.0, double(kLongestShownSide) / std::max(original.cols, original.rows));
    return {std::max(1, int(original.cols * scale)), std::max(1, int(original.rows * scale))};
}

cv::Mat resized(const cv::Mat& image, cv::Size size, int interpolation)
{
    cv::Mat out;
    cv::resize(image, out, size, 0, 0, interpolation);
    return out;
}

QString reclassifiedCaption(const ExplainResult& result, const Reclassification& r)
{
    if (result.explanation.partial)
        return "re-classifying…";
    const int explained = result.explanation.explainedClass;
    QString text = QString("%1%").arg(100 * r.confidence, 0, 'f', 1);
    if (r.top1 != explained)
        text += QString(" (now top-1: %1)").arg(QString::fromStdString(result.model.labels.at(std::size_t(r.top1))));
    return text;
}

} // namespace

QString classWithConfidence(const ExplainResult& result, int classIndex, double probability)
{
    const auto& labels = result.model.labels;
    const QString label = classIndex >= 0 && classIndex < int(labels.size())
        ? QString::fromStdString(labels[std::size_t(classIndex)])
        : QString::number(classIndex);
    return QString("%1 %2%").arg(label).arg(100 * probability, 0, 'f', 1);
}

cv::Mat photoAsShown(const cv::Mat& original)
{
    return resized(original, shownSize(original), cv::INTER_AREA);
}

namespace {

cv::Mat shownPhotoOf(const ExplainResult& result)
{
    return result.shownPhoto.empty() ? photoAsShown(result.original) : result.shownPhoto;
}

} // namespace

StageImages renderStages(const ExplainResult& result, std::size_t method, int variant, const ViewStyle& style)
{
    const auto& m = result.explanation.methods.at(method);
    const ExplainedMap& shown = m.shown(variant);
    const QString name = variant >= 0
        ? "Feature CAM " + QString::fromStdString(m.featureCam.at(std::size_t(variant)).variant.name()) + " ("
            + methodDisplayName(m.methodId) + ")"
        : methodDisplayName(m.methodId);

    const cv::Mat photo = shownPhotoOf(result);
    const cv::Size size = photo.size();
    StageImages out;
    out.original = {toQImage(photo),
        "Original\n"
            + classWithConfidence(result, result.explanation.explainedClass, result.explanation.explainedConfidence)};
    out.saliency = {toQImage(overlay(photo, resized(shown.map, size, cv::INTER_LINEAR), style.colormap, style.opacity)),
        name + "\nsaliency map"};
    const double kept = 100.0 * cv::countNonZero(shown.mask) / double(shown.mask.total());
    out.mask = {toQImage(resized(shown.mask, size, cv::INTER_NEAREST)),
        QString("Mask\nkeeps %1% of the pixels").arg(kept, 0, 'f', 0)};
    out.explanation = {toQImage(resized(shown.explanation, size, cv::INTER_AREA)),
        "Explanation map\n" + reclassifiedCaption(result, shown.reclassified)};
    return out;
}

Stage renderVariant(const ExplainResult& result, std::size_t method, std::size_t variant, const ViewStyle& style)
{
    const auto& v = result.explanation.methods.at(method).featureCam.at(variant);
    const cv::Mat photo = shownPhotoOf(result);
    const cv::Size size = photo.size();
    return {toQImage(overlay(photo, resized(v.map, size, cv::INTER_LINEAR), style.colormap, style.opacity)),
        QString::fromStdString(v.variant.name()) + "\n" + reclassifiedCaption(result, v.reclassified)};
}

} // namespace fcs
