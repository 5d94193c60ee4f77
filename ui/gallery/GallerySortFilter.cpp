#include "ui/gallery/GallerySortFilter.h"

#include "ui/gallery/GalleryModel.h"

#include <tuple>

namespace fcs {
namespace {

// Sort key of one row: (missing, primary, secondary); smaller first. `missing` puts rows
// without the number last.
std::tuple<bool, double, double> sortKey(const QModelIndex& index, GalleryOrder order)
{
    const auto value = [&index](int role) { return index.data(role); };
    const QVariant confidence = value(ConfidenceRole);
    switch (order) {
    case GalleryOrder::SetOrder:
        return {false, 0, 0};
    case GalleryOrder::WrongFirst:
        return {!confidence.isValid(), value(WrongRole).toBool() ? 0 : 1, confidence.toDouble()};
    case GalleryOrder::LowestConfidence:
        return {!confidence.isValid(), confidence.toDouble(), 0};
    case GalleryOrder::LargestDrop: {
        const QVariant drop = value(DropRole);
        return {!drop.isValid(), -drop.toDouble(), 0};
    }
    case GalleryOrder::VariantGain: {
        const QVariant gain = value(VariantGainRole);
        return {!gain.isValid(), -gain.toDouble(), 0};
    }
    case GalleryOrder::PointingMisses: {
        const QVariant hit = value(PointingRole);
        return {!hit.isValid(), hit.toDouble(), value(EnergyRole).toDouble()};
    }
    }
    return {false, 0, 0};
}

} // namespace

GallerySortFilter::GallerySortFilter(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(false); // results arrive many times a second: the grid must not jump
    sort(0);
}

void GallerySortFilter::setOrder(GalleryOrder order)
{
    m_order = order;
    refresh();
}

void GallerySortFilter::setWrongOnly(bool wrongOnly)
{
    m_wrongOnly = wrongOnly;
    refresh();
}

void GallerySortFilter::setText(const QString& text)
{
    m_text = text.trimmed();
    refresh();
}

void GallerySortFilter::setClassIndex(std::optional<int> classIndex)
{
    m_classIndex = classIndex;
    refresh();
}

void GallerySortFilter::refresh()
{
    invalidate();
    sort(0);
}

bool GallerySortFilter::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    const auto a = sortKey(left, m_order), b = sortKey(right, m_order);
    if (a != b)
        return a < b;
    return left.row() < right.row(); // ties keep the set's order
}

bool GallerySortFilter::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_wrongOnly && !index.data(WrongRole).toBool())
        return false;
    if (m_classIndex) {
        const QVariant top = index.data(TopClassRole), truth = index.data(TruthClassRole);
        if (!(top.isValid() && top.toInt() == *m_classIndex) && !(truth.isValid() && truth.toInt() == *m_classIndex))
            return false;
    }
    return m_text.isEmpty() || index.data(SearchTextRole).toString().contains(m_text, Qt::CaseInsensitive);
}

} // namespace fcs
