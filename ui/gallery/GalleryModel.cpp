#include "ui/gallery/GalleryModel.h"

#include "engine/catalog/Defaults.h"
#include "engine/gallery/GalleryCache.h"
#include "engine/render/Colormap.h"
#include "ui/widgets/ImageConversion.h"

#include <QColor>
#include <QFileInfo>
#include <QPainter>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace fcs {
namespace {

constexpr int kPicturesKept = 600; // a few screens of thumbnails, ~40 KB each

cv::Mat decode(const QByteArray& bytes, int flags)
{
    const cv::Mat raw(1, int(bytes.size()), CV_8U, const_cast<char*>(bytes.constData()));
    return cv::imdecode(raw, flags);
}

QPixmap placeholder()
{
    QPixmap pixmap(kGalleryThumbnailSide, kGalleryThumbnailSide * 3 / 4);
    pixmap.fill(QColor(225, 225, 225));
    return pixmap;
}

QString percent(double probability)
{
    return QString::number(100 * probability, 'f', 1) + "%";
}

} // namespace

GalleryModel::GalleryModel(QObject* parent)
    : QAbstractListModel(parent)
    , m_pictures(kPicturesKept)
{
}

GalleryModel::~GalleryModel() = default;

void GalleryModel::setImages(std::vector<EvaluationImage> images, std::vector<std::string> labels)
{
    beginResetModel();
    m_rows.clear();
    m_rows.reserve(images.size());
    for (auto& image : images)
        m_rows.push_back({std::move(image), {}, false});
    m_labels = std::move(labels);
    m_done = 0;
    m_pictures.clear();
    endResetModel();
}

void GalleryModel::setLabels(std::vector<std::string> labels)
{
    m_labels = std::move(labels);
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1));
}

void GalleryModel::setBoxes(int row, const std::optional<std::vector<ObjectBox>>& boxes)
{
    m_rows.at(std::size_t(row)).image.boxes = boxes;
}

void GalleryModel::setPictureSource(const QString& cacheFile, const std::string& baseKey)
{
    if (!m_cache || m_cache->file() != cacheFile)
        m_cache = std::make_unique<GalleryCache>(cacheFile);
    m_baseKey = baseKey;
    m_pictures.clear();
}

void GalleryModel::setResult(int row, const GalleryItemResult& result)
{
    if (row < 0 || row >= int(m_rows.size()))
        return;
    GalleryRow& r = m_rows[std::size_t(row)];
    if (!r.done)
        ++m_done;
    r.result = result;
    r.done = true;
    m_pictures.remove(row);
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed);
}

void GalleryModel::resetResults()
{
    for (auto& row : m_rows) {
        row.result = {};
        row.done = false;
    }
    m_done = 0;
    m_pictures.clear();
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1));
}

QString GalleryModel::label(int classIndex) const
{
    if (classIndex >= 0 && classIndex < int(m_labels.size()))
        return QString::fromStdString(m_labels[std::size_t(classIndex)]);
    return QString("class %1").arg(classIndex);
}

int GalleryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QPixmap GalleryModel::picture(int row) const
{
    if (QPixmap* kept = m_pictures.object(row))
        return *kept;
    const GalleryRow& r = m_rows[std::size_t(row)];
    if (!m_cache || r.result.hash.empty())
        return placeholder();
    const auto jpeg = m_cache->thumbnail(r.result.hash);
    if (!jpeg)
        return placeholder();
    cv::Mat bgr = decode(*jpeg, cv::IMREAD_COLOR), rgb;
    if (bgr.empty())
        return placeholder();
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    if (r.result.base) {
        const auto base = m_cache->base(r.result.hash, m_baseKey);
        const cv::Mat map8 = base ? decode(base->mapPng, cv::IMREAD_GRAYSCALE) : cv::Mat();
        if (!map8.empty()) {
            cv::Mat map, small;
            map8.convertTo(small, CV_32F, 1.0 / 255);
            cv::resize(small, map, rgb.size(), 0, 0, cv::INTER_LINEAR); // stored at a third of the size
            rgb = overlay(rgb, map, defaults::kColormap, defaults::kOpacity);
        }
    }
    auto* pixmap = new QPixmap(QPixmap::fromImage(toQImage(rgb)));
    const QPixmap copy = *pixmap;
    m_pictures.insert(row, pixmap);
    return copy;
}

QVariant GalleryModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const GalleryRow& r = m_rows[std::size_t(index.row())];
    const auto& base = r.result.base;
    const bool wrong = base && r.image.truthClass && *r.image.truthClass != base->top1;
    const QString name = QFileInfo(QString::fromStdString(r.image.name)).fileName();
    switch (role) {
    case Qt::DisplayRole:
        if (!r.done)
            return name + "\n…";
        if (!base)
            return name + "\ncannot be read";
        return name + "\n" + (r.image.truthClass ? (wrong ? "✗ " : "✓ ") : QString()) + percent(base->confidence) + " "
            + label(base->top1);
    case Qt::DecorationRole:
        return picture(index.row());
    case Qt::ForegroundRole:
        return wrong || (r.done && !base) ? QVariant(QColor(190, 30, 30)) : QVariant();
    case Qt::ToolTipRole: {
        QString tip = QString::fromStdString(r.image.name);
        if (!r.result.error.empty())
            return tip + "\n" + QString::fromStdString(r.result.error);
        if (!base)
            return tip;
        tip += "\nTop-1: " + label(base->top1) + " " + percent(base->confidence);
        if (r.image.truthClass)
            tip += "\nGround truth: " + label(*r.image.truthClass);
        tip += "\nOn the explanation map: " + percent(base->explConfidence) + " (top-1 there: " + label(base->explTop1)
            + ")";
        if (r.result.variantConfidence)
            tip += "\nFeature CAM variant's explanation map: " + percent(*r.result.variantConfidence);
        if (r.result.pointing)
            tip += QString("\nPointing game: %1, %2 of the map in the boxes")
                       .arg(r.result.pointing->hit ? "hit" : "miss", percent(r.result.pointing->energy));
        if (!r.result.note.empty())
            tip += "\n" + QString::fromStdString(r.result.note);
        return tip;
    }
    case PathRole:
        return QString::fromStdString(r.image.path);
    case DoneRole:
        return r.done;
    case FailedRole:
        return r.done && !base;
    case WrongRole:
        return wrong;
    case ConfidenceRole:
        return base ? QVariant(base->confidence) : QVariant();
    case DropRole:
        return base && base->confidence > 0 ? QVariant((base->confidence - base->explConfidence) / base->confidence)
                                            : QVariant();
    case VariantGainRole:
        return base && r.result.variantConfidence ? QVariant(*r.result.variantConfidence - base->explConfidence)
                                                  : QVariant();
    case PointingRole:
        return r.result.pointing ? QVariant(int(r.result.pointing->hit)) : QVariant();
    case EnergyRole:
        return r.result.pointing ? QVariant(r.result.pointing->energy) : QVariant();
    case TopClassRole:
        return base ? QVariant(base->top1) : QVariant();
    case TruthClassRole:
        return r.image.truthClass ? QVariant(*r.image.truthClass) : QVariant();
    case SearchTextRole:
        return name + "\n" + (base ? label(base->top1) : QString()) + "\n"
            + (r.image.truthClass ? label(*r.image.truthClass) : QString());
    default:
        return {};
    }
}

} // namespace fcs
