#pragma once
// The gallery's photos as a list model: the numbers of each photo's explanation as they arrive
// from the GalleryRunner, and its thumbnail (the photo with its saliency overlay) made only when
// a view asks for it, from the result cache, and kept for the few hundred last shown. 10,000
// photos cost their numbers, not their pictures. GUI thread. Torch-free.

#include "engine/evaluate/ImageSet.h"
#include "engine/gallery/GalleryComputer.h"

#include <QAbstractListModel>
#include <QCache>
#include <QPixmap>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fcs {

class GalleryCache;

struct GalleryRow
{
    EvaluationImage image;
    GalleryItemResult result; // empty hash: not computed yet
    bool done = false;
};

// What the sort and filter read (GallerySortFilter), for every row.
enum GalleryRole {
    PathRole = Qt::UserRole + 1,
    DoneRole, // bool
    WrongRole, // bool: ground truth known and top-1 differs
    ConfidenceRole, // double, the top-1's probability
    DropRole, // double: (confidence - explanation map's) / confidence; higher = the map explains less
    VariantGainRole, // double: the variant's explanation confidence minus the base map's; invalid without one
    PointingRole, // int: 0 miss, 1 hit; invalid where the game is not played
    EnergyRole, // double
    TopClassRole, // int
    TruthClassRole, // int, invalid without ground truth
    SearchTextRole, // file name, top-1 label and ground-truth label, for the class filter
    FailedRole, // bool
};

class GalleryModel : public QAbstractListModel
{
    Q_OBJECT

public:
    explicit GalleryModel(QObject* parent = nullptr);
    ~GalleryModel() override;

    // A new set: every row pending. `labels`: the classifier's class names.
    void setImages(std::vector<EvaluationImage> images, std::vector<std::string> labels);
    void setLabels(std::vector<std::string> labels); // another classifier
    void setBoxes(int row, const std::optional<std::vector<ObjectBox>>& boxes);
    // Results to come are looked up under this cache and base key (the runner's current job).
    void setPictureSource(const QString& cacheFile, const std::string& baseKey);
    void setResult(int row, const GalleryItemResult& result);
    void resetResults(); // settings changed: every row pending again, pictures forgotten

    const GalleryRow& at(int row) const { return m_rows.at(std::size_t(row)); }
    int doneCount() const { return m_done; }
    QString label(int classIndex) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;

private:
    QPixmap picture(int row) const;

    std::vector<GalleryRow> m_rows;
    std::vector<std::string> m_labels;
    int m_done = 0;
    std::unique_ptr<GalleryCache> m_cache; // the GUI thread's own connection, for pictures
    std::string m_baseKey;
    mutable QCache<int, QPixmap> m_pictures; // by row; cost 1 each
};

} // namespace fcs
