#pragma once
// A selection of gallery photos as one figure (PNG or vector PDF, by the file's suffix): a title,
// then a grid of the photos with their saliency overlays, each captioned as in figure export
// (file, top-1 and its confidence, the explanation map's confidence); and the same photos'
// numbers as CSV. GUI thread.

#include <QImage>
#include <QString>

#include <vector>

namespace fcs {

class GalleryModel;

struct ContactCell
{
    QImage picture;
    QStringList caption; // lines
};

// The cells of `rows` (source rows of the model).
std::vector<ContactCell> contactCells(const GalleryModel& model, const std::vector<int>& rows);

// False with `error` set when the file cannot be written.
bool exportContactSheet(
    const std::vector<ContactCell>& cells, const QString& title, const QString& path, QString* error);

// file, truth_class, top1, top1_label, confidence, expl_top1, expl_confidence,
// variant_expl_confidence, pointing_hit, pointing_energy — empty where not known.
QString selectionCsv(const GalleryModel& model, const std::vector<int>& rows);

} // namespace fcs
