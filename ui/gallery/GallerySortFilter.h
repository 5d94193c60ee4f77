#pragma once
// The gallery's orders and filters over GalleryModel: what a person inspecting a model looks for
// first. Rows not computed yet (or without the number an order needs) come last, in set order.
// Its source model is a GalleryModel. GUI thread. Torch-free.

#include <QSortFilterProxyModel>

#include <optional>

namespace fcs {

enum class GalleryOrder {
    SetOrder, // as the folder or list gives them
    WrongFirst, // wrong predictions (where the truth is known) first, then by confidence, lowest first
    LowestConfidence,
    LargestDrop, // largest confidence drop on the explanation map
    VariantGain, // where the Feature CAM variant beats its base map most
    PointingMisses, // pointing-game misses first, then by energy in the boxes, lowest first
};

class GallerySortFilter : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit GallerySortFilter(QObject* parent = nullptr);

    void setOrder(GalleryOrder order);
    GalleryOrder order() const { return m_order; }
    void setWrongOnly(bool wrongOnly);
    void setText(const QString& text); // part of a class name or file name; case-insensitive
    void setClassIndex(std::optional<int> classIndex); // top-1 or ground truth is this class
    void refresh(); // sort and filter again with the newest numbers

protected:
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    GalleryOrder m_order = GalleryOrder::SetOrder;
    bool m_wrongOnly = false;
    QString m_text;
    std::optional<int> m_classIndex;
};

} // namespace fcs
