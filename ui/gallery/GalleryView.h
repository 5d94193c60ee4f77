#pragma once
// The Gallery: a whole image set at a glance. Opens a folder, an image list or an evaluate folder;
// shows every photo with its saliency overlay, top-1 and confidence (right / wrong where the truth
// is known) in a virtualized grid, explained in the background by GalleryRunner (visible photos
// first) through the result cache; sorts and filters by what matters; a per-class chart filters
// by class; a click opens the photo in the Explain view; a selection exports as a contact sheet
// and CSV. The model, method and settings are the main window's. GUI thread. Torch-free.

#include "engine/evaluate/ImageSet.h"
#include "engine/explain/Explainer.h"
#include "engine/gallery/GalleryKeys.h"

#include <QWidget>

#include <optional>
#include <string>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListView;
class QProgressBar;
class QStackedWidget;
class QTimer;

namespace fcs {

class ClassChart;
class GalleryModel;
class GalleryRunner;
class GallerySortFilter;
struct GalleryItemResult;

class GalleryView : public QWidget
{
    Q_OBJECT

public:
    explicit GalleryView(QWidget* parent = nullptr);
    ~GalleryView() override;

    // What to explain with: the main window's model and settings. A change re-explains the set
    // (from the cache where the change does not touch a result).
    void setExplainSource(const std::string& modelPath, const std::vector<std::string>& modelDirs,
        const std::string& method, const ExplainSettings& settings);
    void setCacheFile(const QString& file); // default GalleryCache::defaultLocation()
    QString cacheFile() const { return m_cacheFile; }
    bool clearCache(QString* error); // every stored result; an open set is explained again

    bool openSet(const QString& folderOrList, QString* error); // false with the reason
    bool setBoxFile(const QString& csv, QString* error);
    void setPointingTolerance(double inputPixels);
    std::vector<ObjectBox> boxesOf(const QString& imagePath) const; // from the box file; empty: none
    void setVariant(const std::optional<FeatureCamVariant>& variant);
    bool exportSelection(const QString& sheetPath, QString* error); // the sheet, and its CSV beside it
    // The selected photos side by side in a window of their own (deleted on close); null and a
    // message when nothing is selected.
    QWidget* compareSelection(QString* error);

    GalleryModel* model() const { return m_model; }
    GallerySortFilter* sortFilter() const { return m_proxy; }
    QListView* listView() const { return m_list; }
    GalleryRunner* runner() const { return m_runner; }
    ClassChart* classChart() const { return m_chart; }
    QComboBox* orderBox() const { return m_order; }
    QLineEdit* filterEdit() const { return m_filter; }

Q_SIGNALS:
    void openInExplain(const QString& imagePath);
    void errorShown(const QString& message);
    void setFinished(double seconds); // every photo of the current job has its result

private:
    void restart(); // a new job over the set, with the current settings
    void onItemDone(quint64 job, int row, const GalleryItemResult& result);
    void onFinished(quint64 job, double seconds);
    void prioritizeVisible();
    void updateProgress();
    std::vector<int> selectedSourceRows() const;
    void chooseSet(bool folder);
    void chooseBoxes();
    void exportChosen();
    void compareChosen();
    void confirmClearCache();

    GalleryModel* m_model;
    GallerySortFilter* m_proxy;
    GalleryRunner* m_runner;
    QListView* m_list;
    ClassChart* m_chart;
    QStackedWidget* m_stack;
    QComboBox* m_order;
    QComboBox* m_variant;
    QDoubleSpinBox* m_tolerance;
    QLineEdit* m_filter;
    QCheckBox* m_wrongOnly;
    QProgressBar* m_progress;
    QLabel* m_status;
    QTimer* m_visibleTimer; // debounces scrolling
    QTimer* m_chartTimer; // refreshes the chart while results come in

    QString m_cacheFile;
    QString m_cacheNoteShown; // the last "kept in memory" message raised, so that it is raised once
    QString m_setPath;
    std::vector<EvaluationImage> m_images; // as opened, with boxes where known
    std::string m_modelPath;
    std::vector<std::string> m_modelDirs;
    GallerySettings m_settings;
    std::string m_runningKey; // the settings of the job running or done, to skip needless restarts
};

} // namespace fcs
