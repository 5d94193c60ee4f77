#pragma once
// The main comparison: the four stages (original, saliency, mask, explanation map) of the chosen
// map on top, and below them the base map and its Feature CAM variants, each with its explanation
// map's confidence. Clicking a variant shows its stages on top.

#include "engine/evaluate/ObjectBox.h"
#include "ui/widgets/SettingsPanel.h"
#include "ui/worker/ExplainJob.h"

#include <QWidget>

#include <memory>
#include <vector>

class QGridLayout;
class QLabel;

namespace fcs {

class ImagePanel;

class ExplainView : public QWidget
{
    Q_OBJECT

public:
    explicit ExplainView(QWidget* parent = nullptr);

    void showResult(std::shared_ptr<const ExplainResult> result, const ViewStyle& style);
    void setStyle(const ViewStyle& style); // repaint from the kept result
    void clear(const QString& message);

    int selectedVariant() const { return m_selected; } // -1: the base map
    bool showsPartialResult() const { return m_result && m_result->explanation.partial; }
    void selectVariant(int variant);
    // The objects' boxes of the photo shown next (photo pixels; from the gallery's box file),
    // drawn over every picture where they show the explained class; empty: none.
    void setObjectBoxes(const std::vector<ObjectBox>& boxes);
    const std::vector<ObjectBox>& objectBoxes() const { return m_boxes; }

    std::vector<ImagePanel*> stagePanels() const { return m_stages; }
    std::vector<ImagePanel*> variantPanels() const { return m_variants; } // [0] is the base map

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void render();
    void fitPanelsToPhoto();
    QImage withBoxes(const QImage& picture) const;

    std::shared_ptr<const ExplainResult> m_result;
    ViewStyle m_style;
    int m_selected = -1;
    std::vector<ObjectBox> m_boxes;
    std::vector<ImagePanel*> m_stages;
    std::vector<ImagePanel*> m_variants;
    QLabel* m_variantsTitle;
    QGridLayout* m_variantGrid;
};

} // namespace fcs
