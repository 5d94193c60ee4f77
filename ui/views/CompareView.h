#pragma once
// For teaching (the paper's Fig. 3): one row per CAM method — original, saliency map, mask,
// explanation map — with a plain-language description of the method beside it. A method the
// model cannot do (CAM on a head that is not global-average-pool + linear) says why in its row.

#include "ui/widgets/SettingsPanel.h"
#include "ui/worker/ExplainJob.h"

#include <QWidget>

#include <memory>
#include <vector>

class QGridLayout;
class QLabel;

namespace fcs {

class ImagePanel;

class CompareView : public QWidget
{
    Q_OBJECT

public:
    explicit CompareView(QWidget* parent = nullptr);

    void showResult(std::shared_ptr<const ExplainResult> result, const ViewStyle& style);
    void setStyle(const ViewStyle& style);
    void clear(const QString& message);
    bool hasResult() const { return m_result != nullptr; }

    std::vector<ImagePanel*> panels() const; // row by row (tests)

private:
    void render();

    std::shared_ptr<const ExplainResult> m_result;
    ViewStyle m_style;
    QGridLayout* m_grid;
    QLabel* m_message;
    std::vector<QWidget*> m_rowWidgets;
    std::vector<ImagePanel*> m_panels;
};

} // namespace fcs
