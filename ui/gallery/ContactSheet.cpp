#include "ui/gallery/ContactSheet.h"

#include "engine/io/CsvTable.h"
#include "ui/gallery/GalleryModel.h"

#include <QFileInfo>
#include <QPainter>
#include <QPdfWriter>

#include <algorithm>

namespace fcs {
namespace {

constexpr int kCell = 160; // points, the picture's box
constexpr int kCaptionLine = 13;
constexpr int kCaptionLines = 3;
constexpr int kGap = 12;
constexpr int kTitle = 28;
constexpr int kMaxColumns = 5;

struct Grid
{
    int columns, rows, width, height;
};

Grid gridFor(std::size_t cells)
{
    Grid g{};
    g.columns = std::max(1, std::min(kMaxColumns, int(cells)));
    g.rows = std::max(1, int((cells + std::size_t(g.columns) - 1) / std::size_t(g.columns)));
    g.width = kGap + g.columns * (kCell + kGap);
    g.height = kTitle + kGap + g.rows * (kCell + kCaptionLines * kCaptionLine + kGap);
    return g;
}

void paint(QPainter& painter, const std::vector<ContactCell>& cells, const QString& title)
{
    const Grid g = gridFor(cells.size());
    painter.fillRect(QRect(0, 0, g.width, g.height), Qt::white);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    QFont font("DejaVu Sans", 11, QFont::Bold);
    painter.setFont(font);
    painter.setPen(Qt::black);
    painter.drawText(QRect(kGap, 0, g.width - 2 * kGap, kTitle), Qt::AlignLeft | Qt::AlignVCenter, title);
    font.setPointSize(8);
    font.setBold(false);
    painter.setFont(font);
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const int column = int(i) % g.columns, row = int(i) / g.columns;
        const int x = kGap + column * (kCell + kGap);
        const int y = kTitle + kGap + row * (kCell + kCaptionLines * kCaptionLine + kGap);
        const QImage& picture = cells[i].picture;
        if (!picture.isNull()) {
            const QSize fitted = picture.size().scaled(kCell, kCell, Qt::KeepAspectRatio);
            painter.drawImage(QRect(x + (kCell - fitted.width()) / 2, y + (kCell - fitted.height()) / 2, fitted.width(),
                                  fitted.height()),
                picture);
        }
        for (int line = 0; line < std::min<int>(kCaptionLines, int(cells[i].caption.size())); ++line)
            painter.drawText(QRect(x, y + kCell + line * kCaptionLine, kCell, kCaptionLine),
                Qt::AlignHCenter | Qt::AlignVCenter,
                painter.fontMetrics().elidedText(cells[i].caption[line], Qt::ElideMiddle, kCell));
    }
}

QString percent(double probability)
{
    return QString::number(100 * probability, 'f', 1) + "%";
}

} // namespace

std::vector<ContactCell> contactCells(const GalleryModel& model, const std::vector<int>& rows)
{
    std::vector<ContactCell> cells;
    for (int row : rows) {
        const QModelIndex index = model.index(row);
        const GalleryRow& r = model.at(row);
        ContactCell cell;
        cell.picture = index.data(Qt::DecorationRole).value<QPixmap>().toImage();
        cell.caption << QFileInfo(QString::fromStdString(r.image.name)).fileName();
        if (r.result.base) {
            cell.caption << model.label(r.result.base->top1) + " " + percent(r.result.base->confidence);
            QString map = "explanation map " + percent(r.result.base->explConfidence);
            if (r.result.variantConfidence)
                map += ", variant " + percent(*r.result.variantConfidence);
            cell.caption << map;
        } else {
            cell.caption << (r.result.error.empty() ? "not explained yet" : "cannot be read");
        }
        cells.push_back(std::move(cell));
    }
    return cells;
}

bool exportContactSheet(
    const std::vector<ContactCell>& cells, const QString& title, const QString& path, QString* error)
{
    const Grid g = gridFor(cells.size());
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == "pdf") {
        QPdfWriter pdf(path);
        pdf.setResolution(72); // one unit = one point
        pdf.setPageSize(QPageSize(QSizeF(g.width, g.height), QPageSize::Point, "Contact sheet", QPageSize::ExactMatch));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setTitle("Feature CAM Studio — " + title);
        pdf.setCreator("Feature CAM Studio");
        QPainter painter;
        if (!painter.begin(&pdf)) {
            *error = "Could not write \"" + path + "\". Check the folder's permissions.";
            return false;
        }
        paint(painter, cells, title);
        return painter.end();
    }
    const double scale = 2.0;
    QImage image(QSize(g.width, g.height) * scale, QImage::Format_RGB32);
    QPainter painter(&image);
    painter.scale(scale, scale);
    paint(painter, cells, title);
    painter.end();
    if (!image.save(path, suffix == "jpg" || suffix == "jpeg" ? "JPG" : "PNG")) {
        *error = "Could not write \"" + path + "\". Check the folder's permissions.";
        return false;
    }
    return true;
}

QString selectionCsv(const GalleryModel& model, const std::vector<int>& rows)
{
    const auto number = [](double value) { return QString::number(value, 'g', 9).toStdString(); };
    std::string out = csvLine({"file", "truth_class", "top1", "top1_label", "confidence", "expl_top1",
        "expl_confidence", "variant_expl_confidence", "pointing_hit", "pointing_energy"});
    for (int row : rows) {
        const GalleryRow& r = model.at(row);
        const auto& b = r.result.base;
        const auto& p = r.result.pointing;
        out += csvLine({r.image.name, r.image.truthClass ? std::to_string(*r.image.truthClass) : "",
            b ? std::to_string(b->top1) : "", b ? model.label(b->top1).toStdString() : "",
            b ? number(b->confidence) : "", b ? std::to_string(b->explTop1) : "", b ? number(b->explConfidence) : "",
            r.result.variantConfidence ? number(*r.result.variantConfidence) : "", p ? std::to_string(int(p->hit)) : "",
            p ? number(p->energy) : ""});
    }
    return QString::fromStdString(out);
}

} // namespace fcs
