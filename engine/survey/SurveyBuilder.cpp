#include "engine/survey/SurveyBuilder.h"

#include "engine/core/Error.h"
#include "engine/edges/EdgeCache.h"
#include "engine/explain/Explainer.h"
#include "engine/io/ImageLoader.h"
#include "engine/render/Colormap.h"
#include "engine/survey/SurveyDatabase.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace fcs {
namespace {

cv::Size storedSize(const cv::Mat& image, int side)
{
    const double scale = std::min(1.0, double(side) / std::max(image.cols, image.rows));
    return {std::max(1, int(std::lround(image.cols * scale))), std::max(1, int(std::lround(image.rows * scale)))};
}

QByteArray pngBytes(const cv::Mat& rgb)
{
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    std::vector<uchar> bytes;
    cv::imencode(".png", bgr, bytes);
    return QByteArray(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size()));
}

QString designJson(const SurveyDesign& design, const std::string& edges)
{
    QJsonArray models, methods, variants;
    for (const auto& m : design.models)
        models.append(QString::fromStdString(m.id));
    for (const auto& m : design.methods)
        methods.append(QString::fromStdString(m));
    for (const auto& v : design.featureCam)
        variants.append(QString::fromStdString(v.name()));
    const QJsonObject settings{{"models", models}, {"methods", methods}, {"feature_cam", variants},
        {"edges", QString::fromStdString(edges)}, {"keep_percent", design.keepPercent}, {"k", design.k},
        {"smooth_samples", design.smooth.samples}, {"smooth_sigma", design.smooth.sigma},
        {"colormap", QString::fromStdString(colormapName(defaults::kColormap))}, {"images", int(design.images.size())}};
    return QString::fromUtf8(QJsonDocument(settings).toJson(QJsonDocument::Compact));
}

} // namespace

int SurveyDesign::stimulusCount() const
{
    return int(images.size() * models.size() * methods.size() * (1 + featureCam.size()));
}

void buildSurvey(const SurveyDesign& design, EdgeDetector* edges, const QString& path, const SurveyProgressFn& progress,
    const CancelToken& cancel)
{
    const int imageCount = int(design.images.size());
    if (imageCount < 2)
        throw Error(ErrorCode::InvalidArgument,
            "A survey needs at least 2 images: the pools draw distractors from the others.");
    if (QFileInfo::exists(path) && !design.replaceExisting)
        throw Error(ErrorCode::WriteFailed,
            "\"" + path.toStdString()
                + "\" already exists and may hold participants' answers; choose another file name, or confirm "
                  "that it may be replaced.");
    if (design.poolSize < survey_limits::kMinPoolSize || design.poolSize > survey_limits::kMaxPoolSize
        || design.ratingMax < survey_limits::kMinRatingMax || design.ratingMax > survey_limits::kMaxRatingMax)
        throw Error(
            ErrorCode::InvalidArgument, "The pool size must be from 2 to 12 and the rating scale from 0–2 to 0–10.");
    if (design.poolSize < 2 || design.poolSize > imageCount)
        throw Error(ErrorCode::InvalidArgument,
            "The pool size must be from 2 to the number of images (" + std::to_string(imageCount) + ").");
    if (design.methods.empty() || design.models.empty())
        throw Error(ErrorCode::InvalidArgument, "Choose at least one classifier and one method.");
    if (!design.featureCam.empty() && !edges)
        throw Error(ErrorCode::InvalidArgument, "Feature CAM variants need an edge detector.");

    std::vector<std::unique_ptr<Explainer>> explainers;
    for (const auto& model : design.models)
        explainers.push_back(std::make_unique<Explainer>(model));

    const QString partial = path + ".part";
    {
        SurveyDatabase survey = SurveyDatabase::create(
            partial, design.poolSize, design.ratingMax, designJson(design, edges ? edges->id() : ""));
        survey.beginBuild();
        EdgeCache edgeCache(1);
        const int total = design.stimulusCount();
        int done = 0;
        try {
            for (const auto& image : design.images) {
                const cv::Mat rgb = loadImageRgb(image.path);
                const cv::Size size = storedSize(rgb, design.stimulusSide);
                cv::Mat shown;
                cv::resize(rgb, shown, size, 0, 0, cv::INTER_AREA);
                const int imageId = survey.addImage(QString::fromStdString(image.name), pngBytes(shown));
                const cv::Mat edgeMap = design.featureCam.empty() ? cv::Mat() : edgeCache.edges(*edges, rgb);
                for (auto& explainer : explainers) {
                    const ExplainSettings& settings = design;
                    if (progress)
                        progress(done, total, QString::fromStdString(image.name));
                    const Explanation explanation = explainer->explain(rgb, settings, cancel, edgeMap);
                    auto addStimulus = [&](const std::string& method, const std::string& variant, const cv::Mat& map) {
                        cv::Mat resized;
                        cv::resize(map, resized, size, 0, 0, cv::INTER_LINEAR);
                        survey.addStimulus({-1, imageId, QString::fromStdString(explainer->sidecar().id),
                                               QString::fromStdString(method), QString::fromStdString(variant)},
                            pngBytes(colorize(resized, defaults::kColormap)));
                        ++done;
                    };
                    for (const auto& method : explanation.methods) {
                        addStimulus(method.methodId, "base", method.map);
                        for (const auto& variant : method.featureCam)
                            addStimulus(method.methodId, variant.variant.name(), variant.map);
                    }
                    cancel.throwIfCancelled();
                }
            }
            survey.commitBuild();
            if (progress)
                progress(done, total, QString());
        } catch (...) {
            QFile::remove(partial);
            throw;
        }
    }
    // rename(2) replaces the old file in one step: there is never a moment without a survey.
    if (std::rename(partial.toLocal8Bit().constData(), path.toLocal8Bit().constData()) != 0) {
        const std::string reason = std::strerror(errno);
        QFile::remove(partial);
        throw Error(ErrorCode::WriteFailed, "Cannot write \"" + path.toStdString() + "\": " + reason + ".");
    }
}

} // namespace fcs
