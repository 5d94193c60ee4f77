#include "ui/export/FigureExport.h"

#include "ui/views/MethodDescriptions.h"
#include "ui/views/StageImages.h"

#include <QFileInfo>
#include <QPainter>
#include <QPdfWriter>

#include <vector>

namespace fcs {
namespace {

constexpr int kMargin = 16;
constexpr int kCell = 220; // picture width
constexpr int kGap = 10;
constexpr int kCaption = 34; // two lines of 9 pt
constexpr int kTitle = 44;
constexpr int kRowTitle = 20;

struct Layout
{
    int columns, pictureHeight, width, height;
};

Layout layoutOf(const ExplainResult& result)
{
    const auto& method = result.explanation.methods.front();
    const int cells = int(method.featureCam.size()) + 1; // the base map and its variants
    const int columns = std::max(4, cells <= 6 ? cells : 5);
    const int variantRows = (int(method.featureCam.size()) + 1 + columns - 1) / columns;
    const int pictureHeight = int(kCell * double(result.original.rows) / std::max(1, result.original.cols));
    const int rowHeight = pictureHeight + kCaption + kGap;
    return {columns, pictureHeight, 2 * kMargin + columns * kCell + (columns - 1) * kGap,
        2 * kMargin + kTitle + 2 * kRowTitle + (1 + variantRows) * rowHeight};
}

void paintFigure(QPainter& painter, const ExplainResult& result, const ViewStyle& style)
{
    const Layout layout = layoutOf(result);
    painter.fillRect(QRect(0, 0, layout.width, layout.height), Qt::white);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::black);

    const auto& method = result.explanation.methods.front();
    // Pixel sizes: the layout's units, whether they become PNG pixels or PDF points.
    auto font = [](int pixels, bool bold) {
        QFont f("DejaVu Sans");
        f.setPixelSize(pixels);
        f.setBold(bold);
        return f;
    };
    const QFont titleFont = font(16, true);
    const QFont captionFont = font(11, false);
    const QFont rowFont = font(12, true);
    painter.setFont(titleFont);
    const QString title = QFileInfo(result.request.imagePath).fileName() + " — "
        + QString::fromStdString(result.model.name.empty() ? result.model.id : result.model.name);
    painter.drawText(QRect(kMargin, kMargin, layout.width - 2 * kMargin, 22), Qt::AlignLeft | Qt::AlignVCenter, title);
    painter.setFont(captionFont);
    painter.drawText(QRect(kMargin, kMargin + 22, layout.width - 2 * kMargin, 18), Qt::AlignLeft | Qt::AlignVCenter,
        "Explaining "
            + classWithConfidence(result, result.explanation.explainedClass, result.explanation.explainedConfidence)
            + QString(" · mask keeps %1% · edges %2 · k %3")
                  .arg(result.request.settings.keepPercent)
                  .arg(QString::fromStdString(result.edgeDetector))
                  .arg(result.request.settings.k));

    auto drawCell = [&](int column, int top, const Stage& stage) {
        const int x = kMargin + column * (kCell + kGap);
        painter.drawImage(QRect(x, top, kCell, layout.pictureHeight), stage.image);
        painter.setFont(captionFont);
        painter.drawText(
            QRect(x, top + layout.pictureHeight + 2, kCell, kCaption), Qt::AlignHCenter | Qt::AlignTop, stage.caption);
    };
    int top = kMargin + kTitle;
    painter.setFont(rowFont);
    painter.drawText(QRect(kMargin, top, layout.width, kRowTitle), Qt::AlignLeft | Qt::AlignVCenter,
        methodDisplayName(method.methodId) + ": every stage");
    top += kRowTitle;
    const StageImages stages = renderStages(result, 0, -1, style);
    int column = 0;
    for (const Stage* stage : {&stages.original, &stages.saliency, &stages.mask, &stages.explanation})
        drawCell(column++, top, *stage);
    top += layout.pictureHeight + kCaption + kGap;

    painter.setFont(rowFont);
    painter.drawText(QRect(kMargin, top, layout.width, kRowTitle), Qt::AlignLeft | Qt::AlignVCenter,
        "Saliency maps: " + methodDisplayName(method.methodId)
            + " and its Feature CAM variants (explanation-map confidence)");
    top += kRowTitle;
    std::vector<Stage> cells = {{stages.saliency.image,
        methodDisplayName(method.methodId) + "\n" + stages.explanation.caption.section('\n', 1)}};
    for (std::size_t v = 0; v < method.featureCam.size(); ++v)
        cells.push_back(renderVariant(result, 0, v, style));
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const int row = int(i) / layout.columns;
        drawCell(int(i) % layout.columns, top + row * (layout.pictureHeight + kCaption + kGap), cells[i]);
    }
}

} // namespace

QSize figureSize(const ExplainResult& result)
{
    const Layout layout = layoutOf(result);
    return {layout.width, layout.height};
}

QImage renderFigure(const ExplainResult& result, const ViewStyle& style, double scale)
{
    const QSize size = figureSize(result);
    QImage image(size * scale, QImage::Format_RGB32);
    image.setDotsPerMeterX(int(3780 * scale)); // 96 dpi × scale: prints at the layout's size
    image.setDotsPerMeterY(int(3780 * scale));
    QPainter painter(&image);
    painter.scale(scale, scale);
    paintFigure(painter, result, style);
    return image;
}

bool exportFigure(const ExplainResult& result, const ViewStyle& style, const QString& path, QString* error)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == "pdf") {
        const QSize size = figureSize(result);
        QPdfWriter pdf(path);
        pdf.setResolution(72); // one unit = one point
        pdf.setPageSize(QPageSize(QSizeF(size), QPageSize::Point, "Figure", QPageSize::ExactMatch));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setTitle("Feature CAM Studio — " + QFileInfo(result.request.imagePath).fileName());
        pdf.setCreator("Feature CAM Studio");
        QPainter painter;
        if (!painter.begin(&pdf)) {
            *error = "Could not write \"" + path + "\". Check the folder's permissions.";
            return false;
        }
        paintFigure(painter, result, style);
        painter.end();
        return true;
    }
    if (!renderFigure(result, style).save(path, suffix == "jpg" || suffix == "jpeg" ? "JPG" : "PNG")) {
        *error = "Could not write \"" + path + "\". Check the folder's permissions.";
        return false;
    }
    return true;
}

} // namespace fcs
