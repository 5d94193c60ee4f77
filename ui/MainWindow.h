#pragma once
// The application window: its layout, the image and model choices, and the views. It only wires
// things: requests are made by ExplainController (the engine runs in its ExplainService),
// pictures by the views, the settings live in SettingsPanel. The menus are built in
// window/MainWindowMenus.cpp, the file, export and tool-window actions live in
// window/MainWindowActions.cpp. Torch-free.

#include "ui/worker/ExplainJob.h"

#include <QMainWindow>

#include <functional>
#include <memory>
#include <string>
#include <vector>

class QLabel;
class QMenu;
class QProgressBar;
class QTabWidget;

namespace fcs {

class CompareView;
class ExplainController;
class ExplainService;
class ExplainView;
class GalleryView;
class InsideView;
class LiveView;
class PredictionChart;
class RecentFiles;
class SettingsPanel;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // `modelDirs`: folders given with --models (searched before FEATURECAM_MODEL_PATH).
    explicit MainWindow(const std::vector<std::string>& modelDirs = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    void openImage(const QString& path); // runs at once
    bool selectModel(const QString& nameOrPath); // false (and a message) when not found
    bool selectMethod(const QString& methodId);
    void explainClass(int classIndex); // as a click on the predictions chart does
    bool exportFigureTo(const QString& path); // PNG or PDF by suffix
    void showCompareView(bool compare);
    // Opens a participant session on a survey file, full screen; false (and a message) when the
    // file cannot be used.
    bool startSurveySession(const QString& path, bool fullScreen = true);
    bool showSurveyResultsOf(const QStringList& surveyFiles);
    bool showEvaluation(const QString& folder); // an `evaluate --out` folder
    bool openGallery(const QString& folderOrList);
    // The inside-the-method window for the explain view's photo (one; raised when open). While
    // it is open the explain view's requests also take the method apart.
    InsideView* showInside();
    InsideView* insideView() const { return m_inside; }
    // The Live tab on a video file or camera index; false (and a message) when it cannot start.
    bool openLive(const QString& source);
    LiveView* liveView() const { return m_liveView; } // the Gallery tab on a set; false (and a message) when unusable

    QString imagePath() const;
    QString errorMessage() const; // the message bar's text; empty when hidden
    std::shared_ptr<const ExplainResult> lastResult() const; // of the explain view
    // From the newest explain request to its base map on screen (also logged), seconds; 0 before.
    double baseMapOnScreenSeconds() const { return m_baseMapOnScreen; }
    double keepRepaintMilliseconds() const { return m_keepRepaintMs; } // the last keep change's redraw
    ExplainService* service() const;
    ExplainView* explainView() const { return m_explainView; }
    CompareView* compareView() const { return m_compareView; }
    PredictionChart* predictionChart() const { return m_chart; }
    SettingsPanel* settingsPanel() const { return m_settings; }
    GalleryView* galleryView() const { return m_galleryView; }

Q_SIGNALS:
    void resultShown(); // a result reached the views
    void errorShown(const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    QWidget* pageOf(ViewKind view) const;
    ViewKind currentView() const;
    void createMenus();
    void refreshModels(const std::string& select);
    void onResult(std::shared_ptr<const ExplainResult> result);
    void onFailure(const QString& message, const QString& detail);
    void showKeepShare(double keepPercent);
    static QString stageTimes(const ExplainResult& result); // for the status bar
    void showError(const QString& message, const QString& detail = {});
    void hideError();
    void updateActions();
    void updateGallerySource(); // the gallery explains with the window's model and settings
    void chooseImage();
    void chooseModel();
    // An .onnx without a sidecar: the set-up dialog; the sidecar written, or "" when cancelled.
    QString setUpOnnxModel(const QString& onnxPath);
    void chooseOnnxLayer(); // an ONNX model's layer to explain, saved in its sidecar
    void exportFigure();
    void exportPanels();
    void about();
    // Shows a window that may fail to open (fcs::Error -> the message bar); deleted on close.
    bool openToolWindow(const std::function<QWidget*()>& make);
    void newSurvey();
    void runSurvey();
    void showSurveyResults();

    std::vector<std::string> m_explicitModelDirs;

    SettingsPanel* m_settings;
    ExplainController* m_controller;
    PredictionChart* m_chart;
    ExplainView* m_explainView;
    CompareView* m_compareView;
    QWidget* m_comparePage; // the compare view in its scroll area
    GalleryView* m_galleryView;
    InsideView* m_inside = nullptr;
    LiveView* m_liveView;
    QTabWidget* m_tabs;
    QLabel* m_errorBar;
    QLabel* m_predictionTitle;
    QLabel* m_status;
    double m_baseMapOnScreen = 0;
    double m_keepRepaintMs = 0;
    QString m_keepPreviewOf; // the photo whose redrawn masks are shown until the engine's answer
    QProgressBar* m_busy;
    RecentFiles* m_recentFiles = nullptr;
    QList<QAction*> m_resultActions; // enabled once a result is shown
};

} // namespace fcs
