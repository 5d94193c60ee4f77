// MainWindow's menus and their shortcuts; the methods menu comes from the method catalogue.

#include "ui/MainWindow.h"

#include "engine/catalog/Locations.h"
#include "engine/catalog/MethodCatalog.h"
#include "ui/window/ExplainController.h"
#include "ui/window/RecentFiles.h"
#include "ui/window/ShortcutsHelp.h"

#include <QAction>
#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>

namespace fcs {

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu("&File");
    file->addAction("&Open Image…", QKeySequence::Open, this, &MainWindow::chooseImage);
    m_recentFiles = new RecentFiles(file->addMenu("Open &Recent"), this);
    connect(m_recentFiles, &RecentFiles::openRequested, this, &MainWindow::openImage);
    QMenu* samples = file->addMenu("&Sample Images");
    for (const QString& sample : sampleImages())
        samples->addAction(QFileInfo(sample).fileName(), this, [this, sample]() { openImage(sample); });
    samples->setEnabled(!samples->isEmpty());
    file->addAction("Open &Model…", QKeySequence(Qt::CTRL | Qt::Key_M), this, &MainWindow::chooseModel);
    file->addAction("Model &Layer to Explain…", this, &MainWindow::chooseOnnxLayer);
    file->addAction("Open E&valuation Results…", this, [this]() {
        const QString folder = QFileDialog::getExistingDirectory(this, "The --out folder of featurecam-cli evaluate");
        if (!folder.isEmpty())
            showEvaluation(folder);
    });
    file->addSeparator();
    m_resultActions << file->addAction(
        "&Export Figure (PNG or PDF)…", QKeySequence(Qt::CTRL | Qt::Key_E), this, &MainWindow::exportFigure);
    m_resultActions << file->addAction(
        "Export &Panels as PNG…", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), this, &MainWindow::exportPanels);
    file->addSeparator();
    file->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);

    QMenu* view = menuBar()->addMenu("&View");
    view->addAction("&Explain", QKeySequence(Qt::CTRL | Qt::Key_1), this, [this]() { showCompareView(false); });
    view->addAction("&Compare Methods", QKeySequence(Qt::CTRL | Qt::Key_2), this, [this]() { showCompareView(true); });
    view->addAction("&Inside the Method", QKeySequence(Qt::CTRL | Qt::Key_I), this, [this]() { showInside(); });
    view->addSeparator();
    m_resultActions << view->addAction("&Run Again", QKeySequence::Refresh, m_controller, &ExplainController::runAgain);

    QMenu* method = menuBar()->addMenu("&Method");
    int shortcut = 0;
    for (const auto& info : methodCatalog()) {
        const QString id = QString::fromStdString(info.id);
        QAction* action = method->addAction(QString::fromStdString(info.displayName));
        action->setToolTip(QString::fromStdString(info.summary));
        if (shortcut < 9) // Alt+1 … Alt+9, in the catalogue's order
            action->setShortcut(QKeySequence(Qt::ALT | (Qt::Key_1 + shortcut++)));
        connect(action, &QAction::triggered, this, [this, id]() { selectMethod(id); });
    }

    QMenu* survey = menuBar()->addMenu("&Survey");
    survey->addAction("&New Survey…", this, &MainWindow::newSurvey);
    survey->addAction("&Run Survey (Participant Session)…", this, &MainWindow::runSurvey);
    survey->addAction("Survey &Results…", this, &MainWindow::showSurveyResults);

    QMenu* help = menuBar()->addMenu("&Help");
    help->addAction("&How the Methods Work", QKeySequence::HelpContents, this, [this]() { showCompareView(true); });
    help->addAction("&Keyboard Shortcuts", QKeySequence(Qt::CTRL | Qt::Key_Slash), this, [this]() {
        QMessageBox box(QMessageBox::NoIcon, "Keyboard Shortcuts", shortcutsHelp(*menuBar()), QMessageBox::Close, this);
        box.setTextFormat(Qt::RichText);
        box.exec();
    });
    help->addAction("&About Feature CAM Studio", this, &MainWindow::about);
    help->addAction("About &Qt", qApp, &QApplication::aboutQt);
}

void MainWindow::updateActions()
{
    for (QAction* action : m_resultActions)
        action->setEnabled(lastResult() != nullptr);
}

} // namespace fcs
