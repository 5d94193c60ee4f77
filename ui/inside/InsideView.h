#pragma once
// Inside the method: the current photo's map built in steps, each with one plain sentence —
// the feature maps A_k, the channel weights, the weighted sum before and after the ReLU, the
// method's own ingredient (Grad-CAM++'s alphas; Feature CAM's edge map, blend and k), and the
// mask and explanation map with its re-classification. For a classroom: arrow keys walk the
// steps (and past the last one, the photos of a lesson; Page Up / Page Down jump photos) (a folder or list), F11
// presents full screen in large type; the steps export as a PDF handout, one page per step. Shows what the window's
// engine computed (ExplainResult::anatomy). GUI thread. Torch-free.

#include "engine/evaluate/ImageSet.h"
#include "ui/worker/ExplainJob.h"

#include <QWidget>

#include <memory>
#include <vector>

class QCustomPlot;
class QCPAbstractPlottable;
class QLabel;
class QListWidget;
class QMouseEvent;
class QSlider;
class QStackedWidget;

namespace fcs {

class ImagePanel;

class InsideView : public QWidget
{
    Q_OBJECT

public:
    explicit InsideView(QWidget* parent = nullptr);
    ~InsideView() override;

    void showResult(std::shared_ptr<const ExplainResult> result);
    bool hasSteps() const { return m_result && !m_result->anatomy.methodId.empty(); }

    int stepCount() const;
    int currentStep() const;
    void setStep(int step);
    QString stepTitle(int step) const;

    // A lesson: the photos Page Up / Page Down walk through (photoRequested asks for each).
    bool setLesson(const QString& folderOrList, QString* error);
    int lessonPosition() const { return m_lessonPosition; }

    bool exportPdf(const QString& path, QString* error); // one page per step
    void setPresenting(bool presenting); // full screen, large type

    // What the weights chart shows, channel indices in bar order (tests).
    const std::vector<int>& chartedChannels() const { return m_chartOrder; }
    ImagePanel* channelPanel() const { return m_channelPanel; } // the clicked bar's channel

Q_SIGNALS:
    void photoRequested(const QString& path);

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    void build();
    void fillFeatureMaps();
    void fillWeights();
    void fillSum();
    void fillIngredient();
    void fillSmooth();
    void fillFeatureCamBlend();
    void fillMask();
    void showChannel(int channel);
    void onBarClick(QCPAbstractPlottable* plottable, int dataIndex, QMouseEvent* event);
    void stepLesson(int delta);

    std::shared_ptr<const ExplainResult> m_result;
    QListWidget* m_stepList;
    QStackedWidget* m_pages;
    QLabel* m_message;
    std::vector<QLabel*> m_sentences; // one per page
    std::vector<ImagePanel*> m_featurePanels;
    QCustomPlot* m_weights;
    std::vector<int> m_chartOrder;
    ImagePanel* m_channelPanel;
    ImagePanel* m_beforeRelu;
    ImagePanel* m_afterRelu;
    std::vector<ImagePanel*> m_ingredientPanels;
    std::vector<ImagePanel*> m_smoothPanels;
    QSlider* m_kSlider;
    QLabel* m_kLabel;
    ImagePanel* m_maskPanel;
    ImagePanel* m_explanationPanel;
    std::vector<EvaluationImage> m_lesson;
    int m_lessonPosition = -1;
    bool m_presenting = false;
};

} // namespace fcs
