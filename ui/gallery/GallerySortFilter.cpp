#include "ui/gallery/GallerySortFilter.h"

#include "ui/gallery/GalleryModel.h"

#include <tuple>

namespace fcs {
namespace {

// Sort key of one row: (missing, primary, secondary); smaller first. `missing` puts rows
// without the number last. Read from the row itself, not through QVariant roles: a sort of
// 10,000 rows makes ~260,000 comparisons.
std::tuple<bool, double, double> sortKey(const GalleryRow& row, GalleryOrder order)
{
    const auto& base = row.result.base;
    const auto& pointing = row.result.pointing;
    switch (order) {
    case GalleryOrder::SetOrder:
        return {false, 0, 0};
    case GalleryOrder::WrongFirst: {
        const bool wrong = base && row.image.truthClass && *row.image.truthClass != base->top1;
        return {!base, wrong ? 0 : 1, base ? base->confidence : 0};
    }
    case GalleryOrder::LowestConfidence:
        return {!base, base ? base->confidence : 0, 0};
    case GalleryOrder::LargestDrop: {
        const bool known = base && base->confidence > 0;
        return {!known, known ? -(base->confidence - base->explConfidence) / base->confidence : 0, 0};
    }
    case GalleryOrder::VariantGain: {
        const bool known = base && row.result.variantConfidence;
        return {!known, known ? -(*row.result.variantConfidence - base->explConfidence) : 0, 0};
    }
    case GalleryOrder::PointingMisses:
        return {!pointing, pointing ? double(pointing->hit) : 0, pointing ? pointing->energy : 0};
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
    if (classIndex == m_classIndex)
        return;
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
    if (m_order == GalleryOrder::SetOrder) // no numbers to read: 10,000 rows sort in a few ms
        return left.row() < right.row();
    const auto& rows = static_cast<const GalleryModel&>(*sourceModel());
    const auto a = sortKey(rows.at(left.row()), m_order), b = sortKey(rows.at(right.row()), m_order);
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
