#include "engine/gallery/GalleryComputer.h"

#include "engine/core/Error.h"
#include "engine/edges/EdgeCache.h"
#include "engine/evaluate/PointingGame.h"
#include "engine/explain/Explainer.h"
#include "engine/io/ImageLoader.h"
#include "engine/io/Utf8Name.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>

namespace fcs {
namespace {

QByteArray encode(const char* extension, const cv::Mat& image, const std::vector<int>& parameters = {})
{
    std::vector<uchar> bytes;
    if (!cv::imencode(extension, image, bytes, parameters))
        throw Error(ErrorCode::Internal, "A thumbnail could not be encoded.");
    return QByteArray(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size()));
}

cv::Size thumbnailSize(cv::Size photo)
{
    const double scale = std::min(1.0, double(kGalleryThumbnailSide) / std::max(photo.width, photo.height));
    return {std::max(1, int(photo.width * scale + 0.5)), std::max(1, int(photo.height * scale + 0.5))};
}

QByteArray thumbnailJpeg(const cv::Mat& rgb)
{
    cv::Mat small, bgr;
    cv::resize(rgb, small, thumbnailSize(rgb.size()), 0, 0, cv::INTER_AREA);
    cv::cvtColor(small, bgr, cv::COLOR_RGB2BGR);
    return encode(".jpg", bgr, {cv::IMWRITE_JPEG_QUALITY, 85});
}

// The map at a third of the thumbnail's size, as 8 bits: a CAM map is a smooth upsampling of a
// 7×7-ish layer map, so drawing it back at the thumbnail's size loses nothing visible; ~1 KB.
QByteArray mapPng(const cv::Mat& map, cv::Size photo)
{
    const cv::Size thumbnail = thumbnailSize(photo);
    cv::Mat small, bytes;
    cv::resize(map, small, {std::max(1, thumbnail.width / 3), std::max(1, thumbnail.height / 3)}, 0, 0, cv::INTER_AREA);
    small.convertTo(bytes, CV_8U, 255.0);
    return encode(".png", bytes);
}

bool hasBoxOfClass(const std::vector<ObjectBox>& boxes, int classIndex)
{
    return std::any_of(boxes.begin(), boxes.end(),
        [classIndex](const ObjectBox& box) { return !box.classIndex || *box.classIndex == classIndex; });
}

} // namespace

GalleryComputer::GalleryComputer(
    Explainer& explainer, EdgeDetector* edges, GalleryCache& cache, const GallerySettings& settings)
    : m_explainer(explainer)
    , m_edges(edges)
    , m_cache(cache)
    , m_settings(settings)
    , m_baseKey(galleryBaseKey(galleryModelKey(explainer.sidecar()), settings))
    , m_variantKey(galleryVariantKey(m_baseKey, settings))
    , m_edgeCache(std::make_unique<EdgeCache>(1))
{
    if (settings.variant && !edges)
        throw Error(ErrorCode::InvalidArgument, "A Feature CAM variant needs an edge detector.");
}

GalleryComputer::~GalleryComputer() = default;

std::string GalleryComputer::hashOf(const EvaluationImage& image, bool* computed)
{
    const QString path = QString::fromStdString(image.path);
    const QFileInfo info(path);
    if (!info.isFile())
        throw Error(ErrorCode::ReadFailed,
            "\"" + image.name + "\" does not exist or is not a file." + lostBytesHint(image.path));
    const qint64 modified = info.lastModified().toMSecsSinceEpoch();
    if (auto known = m_cache.knownHash(path, info.size(), modified))
        return *known;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw Error(ErrorCode::ReadFailed, "Cannot read \"" + image.name + "\".");
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file))
        throw Error(ErrorCode::ReadFailed, "Cannot read \"" + image.name + "\".");
    const std::string digest = hash.result().toHex().toStdString();
    m_cache.rememberHash(path, info.size(), modified, digest);
    *computed = true;
    return digest;
}

GalleryItemResult GalleryComputer::compute(const EvaluationImage& image, const CancelToken& cancel)
{
    GalleryItemResult out;
    try {
        out.hash = hashOf(image, &out.hashed);
        const bool hasThumbnail = m_cache.thumbnail(out.hash).has_value();
        out.base = m_cache.base(out.hash, m_baseKey);
        if (m_settings.variant)
            out.variantConfidence = m_cache.variantConfidence(out.hash, m_variantKey);
        // The game is played where the photo has a box of the explained class, known once the base is.
        const bool playsPointing = image.boxes && out.base && hasBoxOfClass(*image.boxes, out.base->top1);
        if (playsPointing)
            out.pointing = m_cache.pointing(out.hash, galleryPointingKey(m_baseKey, *image.boxes, m_settings));
        const bool needExplanation
            = !out.base || (m_settings.variant && !out.variantConfidence) || (playsPointing && !out.pointing);
        if (hasThumbnail && !needExplanation)
            return out;

        cancel.throwIfCancelled();
        const cv::Mat rgb = loadImageRgb(image.path);
        if (!hasThumbnail) {
            m_cache.storeThumbnail(out.hash, thumbnailJpeg(rgb));
            out.thumbnailMade = true;
        }
        if (!needExplanation)
            return out;

        ExplainSettings explain;
        static_cast<MethodParameters&>(explain) = m_settings.parameters;
        explain.methods = {m_settings.method};
        explain.topK = 1;
        if (m_settings.variant)
            explain.featureCam = {*m_settings.variant};
        const cv::Mat edges = m_settings.variant ? m_edgeCache->edges(*m_edges, rgb) : cv::Mat();
        const Explanation explanation = m_explainer.explain(rgb, explain, cancel, edges);
        const MethodExplanation& method = explanation.methods.front();
        out.explained = true;
        out.base = GalleryBaseEntry{explanation.explainedClass, explanation.explainedConfidence,
            method.reclassified.top1, method.reclassified.confidence, mapPng(method.map, rgb.size())};
        m_cache.storeBase(out.hash, m_baseKey, *out.base);
        if (m_settings.variant) {
            out.variantConfidence = method.featureCam.front().reclassified.confidence;
            m_cache.storeVariantConfidence(out.hash, m_variantKey, *out.variantConfidence);
        }
        if (image.boxes) {
            try {
                checkBoxesFitThePhoto(*image.boxes, rgb.size(), image.name);
                const auto boxes = boxesAtInput(
                    *image.boxes, explanation.explainedClass, rgb.size(), explanation.input.size(), ResizeMode::Plain);
                if (!boxes.empty()) { // no box of the top-1 class: the game is not played
                    const PointingScore score = pointingScore(method.map, boxes, m_settings.pointingTolerance);
                    out.pointing = GalleryPointingEntry{score.hit, score.energyInside};
                    m_cache.storePointing(
                        out.hash, galleryPointingKey(m_baseKey, *image.boxes, m_settings), *out.pointing);
                }
            } catch (const Error& e) {
                out.note = e.userMessage();
            }
        }
    } catch (const Error& e) {
        if (e.code() == ErrorCode::Cancelled)
            throw;
        out.error = e.userMessage();
    } catch (const std::exception& e) { // OpenCV or LibTorch on this photo's data
        out.error = std::string("the engine failed on it: ") + e.what();
    }
    out.cacheNote = m_cache.fallbackReason();
    return out;
}

} // namespace fcs
