#pragma once
// The gallery's per-class chart (QCustomPlot): for the classes of the set, the top-1 accuracy
// (where the ground truth is known) and the mean confidence on the explanation maps, the worst
// classes on top. Clicking a class's bars asks to filter the grid to it. GUI thread.

#include <QWidget>

#include <string>
#include <vector>

class QCustomPlot;
class QCPAbstractPlottable;
class QMouseEvent;

namespace fcs {

class GalleryModel;

struct ClassStatistics
{
    int classIndex = -1;
    std::string label;
    int n = 0; // photos of the class computed so far
    double accuracy = -1; // % of them whose top-1 is the class; -1 without ground truth
    double explConfidence = 0; // mean % on the explanation maps
};

// Per ground-truth class where the set gives one, else per top-1 class; sorted by accuracy (or
// explanation confidence), lowest first.
std::vector<ClassStatistics> classStatistics(const GalleryModel& model);

class ClassChart : public QWidget
{
    Q_OBJECT

public:
    explicit ClassChart(QWidget* parent = nullptr);
    void update(const GalleryModel& model);
    const std::vector<ClassStatistics>& shown() const { return m_shown; }

Q_SIGNALS:
    void classClicked(int classIndex);

private:
    void onClick(QCPAbstractPlottable* plottable, int dataIndex, QMouseEvent* event);

    QCustomPlot* m_plot;
    std::vector<ClassStatistics> m_shown;
};

} // namespace fcs
