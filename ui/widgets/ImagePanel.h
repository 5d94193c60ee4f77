#pragma once
// One captioned image of the comparison: the picture scaled to fit (aspect kept, never
// upscaled past 3×, smooth), a caption under it, "Save image as…" on right-click. A panel can be
// selectable (a highlighted frame), and says so with clicked().

#include <QFrame>
#include <QImage>

class QLabel;

namespace fcs {

class ImagePanel : public QFrame
{
    Q_OBJECT

public:
    explicit ImagePanel(const QString& caption = {}, QWidget* parent = nullptr);

    void setImage(const QImage& image);
    void setCaption(const QString& caption);
    void setToolTipText(const QString& text);
    void setSelected(bool selected);
    void clear(const QString& placeholder = {});

    const QImage& image() const { return m_image; }
    QString caption() const;
    QPixmap shownPixmap() const; // what is on screen (tests)
    // The height at which a picture of this aspect (height / width) fills the panel's width, with
    // the caption below it: no empty band above and below a landscape photo.
    int heightForAspect(double aspect) const;

    // Asks for a file and writes the full-resolution image; returns false when cancelled or failed.
    bool saveAs();

Q_SIGNALS:
    void clicked();

protected:
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override; // Space or Return: as a click
    void contextMenuEvent(QContextMenuEvent* event) override;
    void paintEvent(QPaintEvent* event) override; // the keyboard focus, drawn

private:
    void rescale();

    QImage m_image;
    QLabel* m_picture;
    QLabel* m_caption;
};

} // namespace fcs
