#include "ui/widgets/ImagePanel.h"

#include <QContextMenuEvent>
#include <QFileDialog>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QRegularExpression>
#include <QVBoxLayout>

#include <cmath>

namespace fcs {

ImagePanel::ImagePanel(const QString& caption, QWidget* parent)
    : QFrame(parent)
    , m_picture(new QLabel(this))
    , m_caption(new QLabel(caption, this))
{
    setFrameShape(QFrame::StyledPanel);
    m_picture->setAlignment(Qt::AlignCenter);
    m_picture->setWordWrap(true); // placeholder text
    m_picture->setMinimumSize(96, 96);
    m_picture->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored); // the pixmap never dictates the size
    m_caption->setAlignment(Qt::AlignCenter);
    m_caption->setWordWrap(true);
    m_caption->setTextInteractionFlags(Qt::NoTextInteraction);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(2);
    layout->addWidget(m_picture, 1);
    layout->addWidget(m_caption);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setFocusPolicy(Qt::TabFocus); // reachable by keyboard: Space selects, the menu key saves
    setCaption(caption);
}

void ImagePanel::setImage(const QImage& image)
{
    // The same picture again (the photo for another method, a base map the complete result
    // repeats) keeps its scaled pixmap: comparing costs far less than smooth scaling.
    if (!m_picture->pixmap().isNull() && image == m_image)
        return;
    m_image = image;
    rescale();
}

void ImagePanel::setCaption(const QString& caption)
{
    m_caption->setText(caption);
    // A screen reader reads the caption as the picture's name ("Grad-CAM saliency map").
    setAccessibleName(caption.isEmpty() ? QString("Picture") : QString(caption).replace('\n', ' '));
}

QString ImagePanel::caption() const
{
    return m_caption->text();
}

void ImagePanel::setToolTipText(const QString& text)
{
    setToolTip(text);
    setAccessibleDescription(text);
}

void ImagePanel::setSelected(bool selected)
{
    // A thick frame marks the selection; captions keep their normal colour either way.
    setFrameShape(selected ? QFrame::Box : QFrame::StyledPanel);
    setLineWidth(selected ? 3 : 1);
}

void ImagePanel::clear(const QString& placeholder)
{
    m_image = QImage();
    m_picture->clear();
    m_picture->setText(placeholder);
}

QPixmap ImagePanel::shownPixmap() const
{
    return m_picture->pixmap();
}

void ImagePanel::rescale()
{
    if (m_image.isNull())
        return;
    const QSize room = (m_picture->size() - QSize(2, 2)).boundedTo(m_image.size() * 3);
    QPixmap pixmap = QPixmap::fromImage(m_image.scaled(room, Qt::KeepAspectRatio, Qt::SmoothTransformation));
    QPainter painter(&pixmap); // a thin frame: a white mask must not melt into the panel
    painter.setPen(QColor(150, 150, 150));
    painter.drawRect(pixmap.rect().adjusted(0, 0, -1, -1));
    painter.end();
    m_picture->setPixmap(pixmap);
}

int ImagePanel::heightForAspect(double aspect) const
{
    const QMargins margins = layout()->contentsMargins();
    const int pictureWidth = contentsRect().width() - margins.left() - margins.right();
    const int caption = m_caption->text().isEmpty() ? 0 : m_caption->heightForWidth(pictureWidth) + layout()->spacing();
    // +2: rescale() leaves the picture two pixels of room.
    return int(std::ceil(pictureWidth * aspect)) + 2 + caption + margins.top() + margins.bottom() + 2 * frameWidth();
}

void ImagePanel::resizeEvent(QResizeEvent* event)
{
    QFrame::resizeEvent(event);
    rescale();
}

void ImagePanel::mousePressEvent(QMouseEvent* event)
{
    QFrame::mousePressEvent(event);
    Q_EMIT clicked();
}

void ImagePanel::keyPressEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Space || event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) {
        Q_EMIT clicked();
        return;
    }
    QFrame::keyPressEvent(event);
}

void ImagePanel::paintEvent(QPaintEvent* event)
{
    QFrame::paintEvent(event);
    if (!hasFocus())
        return;
    QPainter painter(this);
    painter.setPen(QPen(palette().color(QPalette::Highlight), 2, Qt::DashLine));
    painter.drawRect(rect().adjusted(1, 1, -2, -2));
}

void ImagePanel::contextMenuEvent(QContextMenuEvent* event)
{
    if (m_image.isNull())
        return;
    QMenu menu(this);
    menu.addAction("Save image as…", this, [this]() { saveAs(); });
    menu.exec(event->globalPos());
}

bool ImagePanel::saveAs()
{
    QString name = m_caption->text().section('\n', 0, 0).toLower();
    name.replace(QRegularExpression("[^a-z0-9+-]+"), "-");
    const QString file = QFileDialog::getSaveFileName(
        this, "Save image", name + ".png", "PNG image (*.png);;JPEG image (*.jpg *.jpeg)");
    if (file.isEmpty())
        return false;
    if (!m_image.save(file)) {
        QMessageBox::warning(this, "Save image", "Could not write \"" + file + "\". Check the folder's permissions.");
        return false;
    }
    return true;
}

} // namespace fcs
