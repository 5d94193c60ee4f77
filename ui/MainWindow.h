#pragma once
// The application window: menus and shortcuts, the image and model choices, and the views. It
// only wires things: the engine runs in ExplainService, pictures are made by the views, the
// settings live in SettingsPanel. Torch-free.

#include "worker/ExplainJob.h"

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
class ExplainService;
class ExplainView;
class PredictionChart;
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

    QString imagePath() const { return m_imagePath; }
    QString errorMessage() const; // the message bar's text; empty when hidden
    std::shared_ptr<const ExplainResult> lastResult() const { return m_lastResult; }
    ExplainService* service() const { return m_service; }
    ExplainView* explainView() const { return m_explainView; }
    CompareView* compareView() const { return m_compareView; }
    PredictionChart* predictionChart() const { return m_chart; }
    SettingsPanel* settingsPanel() const { return m_settings; }

Q_SIGNALS:
    void resultShown(); // a result reached the views
    void errorShown(const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createMenus();
    void refreshModels(const std::string& select);
    void requestExplanation();
    void onResult(std::shared_ptr<const ExplainResult> result);
    void onFailure(const QString& message, const QString& detail);
    void showError(const QString& message, const QString& detail = {});
    void hideError();
    void addRecentFile(const QString& path);
    void updateRecentMenu();
    void updateActions();
    void chooseImage();
    void chooseModel();
    void exportFigure();
    void exportPanels();
    void about();
    // Shows a window that may fail to open (fcs::Error -> the message bar); deleted on close.
    bool openToolWindow(const std::function<QWidget*()>& make);
    void newSurvey();
    void runSurvey();
    void showSurveyResults();

    std::vector<std::string> m_explicitModelDirs;
    std::vector<std::string> m_modelDirs;
    QString m_imagePath;
    std::shared_ptr<const ExplainResult> m_lastResult; // of the explain view
    bool m_compareStale = true;

    ExplainService* m_service;
    SettingsPanel* m_settings;
    PredictionChart* m_chart;
    ExplainView* m_explainView;
    CompareView* m_compareView;
    QTabWidget* m_tabs;
    QLabel* m_errorBar;
    QLabel* m_predictionTitle;
    QLabel* m_status;
    QProgressBar* m_busy;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_sampleMenu = nullptr;
    QList<QAction*> m_resultActions; // enabled once a result is shown
};

} // namespace fcs
