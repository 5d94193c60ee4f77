// MainWindow's actions: open an image or a model, export the figure and the panels, and the
// tool windows (surveys, evaluation results, About).

#include "ui/MainWindow.h"

#include "engine/core/Error.h"
#include "engine/core/Version.h"
#include "engine/onnx/OnnxSetup.h"
#include "engine/survey/SurveyDatabase.h"
#include "ui/export/FigureExport.h"
#include "ui/survey/SurveyBuilderDialog.h"
#include "ui/survey/SurveyResultsWindow.h"
#include "ui/survey/SurveySession.h"
#include "ui/views/EvaluationWindow.h"
#include "ui/views/ExplainView.h"
#include "ui/widgets/ImagePanel.h"
#include "ui/widgets/SettingsPanel.h"
#include "ui/window/ExplainController.h"
#include "ui/window/OnnxSetupDialog.h"

#include <QApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QRegularExpression>

namespace fcs {
namespace {

QString imageFilter()
{
    return "Images (*.jpg *.jpeg *.png *.bmp *.tif *.tiff *.webp);;All files (*)";
}

} // namespace

void MainWindow::chooseImage()
{
    const QString start = imagePath().isEmpty() ? QDir::homePath() : QFileInfo(imagePath()).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, "Open Image", start, imageFilter());
    if (!path.isEmpty())
        openImage(path);
}

void MainWindow::chooseModel()
{
    const QString path = QFileDialog::getOpenFileName(this, "Open Model", QDir::homePath(),
        "Models (*.json *.pt *.onnx);;ONNX models (*.onnx);;CAM-ready TorchScript (*.json *.pt);;All files (*)");
    if (!path.isEmpty())
        selectModel(path);
}

QString MainWindow::setUpOnnxModel(const QString& onnxPath)
{
    try {
        OnnxSetupDialog dialog(onnxPath, imagePath(), this);
        return dialog.exec() == QDialog::Accepted ? dialog.sidecarPath() : QString();
    } catch (const Error& e) {
        showError(QString::fromStdString(e.userMessage()), QString::fromStdString(e.detail()));
        return {};
    }
}

void MainWindow::chooseOnnxLayer()
{
    try {
        const Sidecar sidecar = readSidecar(m_settings->modelPath());
        if (!isOnnxModel(sidecar)) {
            showError(QString::fromStdString(sidecar.id)
                + " is a TorchScript archive, cut at its layer when it was exported (models/export.py "
                  "--target-layer). The layer can be chosen here for ONNX models.");
            return;
        }
        QApplication::setOverrideCursor(Qt::WaitCursor);
        OnnxLayers layers;
        try {
            layers = explainableOnnxLayers(sidecar);
        } catch (...) {
            QApplication::restoreOverrideCursor();
            throw;
        }
        QApplication::restoreOverrideCursor();
        const std::string current = sidecar.targetLayer.empty() ? layers.chosen : sidecar.targetLayer;
        QStringList items;
        int currentRow = 0;
        for (const auto& layer : layers.layers) {
            QString shape;
            for (const auto dim : layer.shape)
                shape += (shape.isEmpty() ? "" : " × ") + QString::number(dim);
            if (layer.name == current)
                currentRow = int(items.size());
            items << QString("%1    [%2]%3")
                         .arg(QString::fromStdString(layer.name), shape,
                             layer.name == layers.chosen ? "    (the importer's choice)" : "");
        }
        bool ok = false;
        const QString picked = QInputDialog::getItem(this, "Layer to Explain",
            "The spatial tensors of " + QString::fromStdString(sidecar.id)
                + " that every path to its output passes through.\nThe choice is saved in its sidecar, so "
                  "featurecam-cli and every view use it.",
            items, currentRow, false, &ok);
        if (!ok)
            return;
        const std::string name = layers.layers[std::size_t(items.indexOf(picked))].name;
        if (name == current)
            return;
        saveTargetLayer(sidecar.jsonPath, name);
        m_controller->settingsChanged();
        updateGallerySource();
        m_status->setText(QString("%1 is explained at %2 now (saved in %3).")
                              .arg(QString::fromStdString(sidecar.id), QString::fromStdString(name),
                                  QString::fromStdString(sidecar.jsonPath)));
    } catch (const Error& e) {
        showError(QString::fromStdString(e.userMessage()), QString::fromStdString(e.detail()));
    }
}

bool MainWindow::exportFigureTo(const QString& path)
{
    const auto result = lastResult();
    if (!result)
        return false;
    QString error;
    if (!fcs::exportFigure(*result, m_settings->style(), path, &error)) {
        showError(error);
        return false;
    }
    m_status->setText("Figure written to " + path);
    return true;
}

void MainWindow::exportFigure()
{
    if (!lastResult())
        return;
    const QString suggested = QFileInfo(imagePath()).completeBaseName() + "-featurecam.pdf";
    const QString path
        = QFileDialog::getSaveFileName(this, "Export Figure", suggested, "PDF document (*.pdf);;PNG image (*.png)");
    if (!path.isEmpty())
        exportFigureTo(path);
}

void MainWindow::exportPanels()
{
    if (!lastResult())
        return;
    const QString folder = QFileDialog::getExistingDirectory(this, "Export Panels to Folder");
    if (folder.isEmpty())
        return;
    int written = 0;
    std::vector<ImagePanel*> panels = m_explainView->stagePanels();
    for (auto* panel : m_explainView->variantPanels())
        panels.push_back(panel);
    for (auto* panel : panels) {
        QString name = panel->caption().replace('\n', ' ').toLower();
        name.replace(QRegularExpression("[^a-z0-9+-]+"), "-");
        if (!panel->image().isNull()
            && panel->image().save(
                QDir(folder).filePath(QString("%1-%2.png").arg(written + 1, 2, 10, QChar('0')).arg(name.left(60)))))
            ++written;
    }
    m_status->setText(QString("%1 panels written to %2").arg(written).arg(folder));
}

void MainWindow::about()
{
    QMessageBox::about(this, "About Feature CAM Studio",
        QString("<h3>Feature CAM Studio %1</h3>"
                "<p>Shows why a CNN image classifier chose a class: CAM, Grad-CAM, Grad-CAM++, Smooth Grad-CAM++ "
                "and Feature CAM, which blends deep edge maps into their saliency maps.</p>"
                "<p>After F. Clement, J. Yang, I. Cheng: <i>Feature CAM: Interpretable AI in Image "
                "Classification</i>.</p><p>Built with Qt %2, LibTorch, OpenCV and QCustomPlot.</p>")
            .arg(FCS_VERSION, qVersion()));
}

void MainWindow::newSurvey()
{
    auto* dialog = new SurveyBuilderDialog(m_controller->modelDirs(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString sample = QString::fromLocal8Bit(qgetenv("FEATURECAM_DATA_PATH")) + "/imagenet-sample/labels.csv";
    if (QFileInfo::exists(sample))
        dialog->setImages(sample, 10);
    dialog->show();
}

bool MainWindow::startSurveySession(const QString& path, bool fullScreen)
{
    try {
        auto* session = new SurveySession(SurveyDatabase::open(path));
        session->setAttribute(Qt::WA_DeleteOnClose);
        if (fullScreen)
            session->showFullScreen();
        else
            session->show();
        return true;
    } catch (const Error& e) {
        showError(QString::fromStdString(e.userMessage()));
        QMessageBox::warning(this, "Run Survey", QString::fromStdString(e.userMessage()));
        return false;
    }
}

void MainWindow::runSurvey()
{
    const QString path
        = QFileDialog::getOpenFileName(this, "Run Survey", QString(), "Surveys (*.fcsurvey);;All files (*)");
    if (!path.isEmpty())
        startSurveySession(path);
}

void MainWindow::showSurveyResults()
{
    const QStringList files = QFileDialog::getOpenFileNames(this,
        "Survey Results (choose one or several copies of a survey)", QString(), "Surveys (*.fcsurvey);;All files (*)");
    if (!files.isEmpty())
        showSurveyResultsOf(files);
}

bool MainWindow::openToolWindow(const std::function<QWidget*()>& make)
{
    try {
        QWidget* window = make();
        window->setAttribute(Qt::WA_DeleteOnClose);
        window->show();
        return true;
    } catch (const Error& e) {
        showError(QString::fromStdString(e.userMessage()));
        return false;
    }
}

bool MainWindow::showSurveyResultsOf(const QStringList& surveyFiles)
{
    return openToolWindow([&surveyFiles]() { return new SurveyResultsWindow(surveyFiles); });
}

bool MainWindow::showEvaluation(const QString& folder)
{
    return openToolWindow([&folder]() { return new EvaluationWindow(folder); });
}

} // namespace fcs
