// featurecam: the desktop application. `featurecam [--models DIR] [--model NAME] [--method M] [IMAGE]`
// opens with that image, model and method and runs at once; with no image it opens on a sample.

#include "engine/catalog/Locations.h"
#include "engine/catalog/MethodCatalog.h"
#include "engine/core/Threads.h"
#include "engine/core/Version.h"
#include "ui/MainWindow.h"
#include "ui/inside/InsideView.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

#include <chrono>
#include <iostream>

namespace {

// For scripts/measure-startup.py: the monotonic clock is the system's, so the script can tell
// the libraries' loading (launch to main) from the rest.
void logStartupMark(const char* what)
{
    const double now = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    qInfo("featurecam: %s at %.4f s (monotonic clock)", what, now);
}

} // namespace

int main(int argc, char* argv[])
{
    logStartupMark("main()");
    QApplication app(argc, argv);
    QApplication::setOrganizationName("FeatureCAMStudio");
    QApplication::setApplicationName("Feature CAM Studio");
    QApplication::setApplicationVersion(FCS_VERSION);
    QApplication::setDesktopFileName("org.featurecam.Studio");
    QApplication::setWindowIcon(QIcon(":/featurecam/featurecam.svg"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Feature CAM Studio: see why a CNN image classifier chose a class (CAM, Grad-CAM, Grad-CAM++,\n"
        "Smooth Grad-CAM++ and Feature CAM), stage by stage.");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
        {"models", "Search DIR for models (repeatable; before FEATURECAM_MODEL_PATH).", "DIR"},
        {"model", "The classifier: a name from the models path or the path of a .pt/.json file.", "NAME"},
        {"method", QString::fromStdString(fcs::methodIdList() + " (default " + fcs::defaults::kMethod + ")."), "M"},
        {"threads", "LibTorch compute threads (default: one per CPU core).", "N"},
        {"compare", "Open on the compare view (every method side by side)."},
        {"survey", "Run a participant session of this survey file, full screen.", "FILE"},
        {"survey-results", "Show the results of these survey files (repeatable: copies are merged).", "FILE"},
        {"evaluation", "Show the tables and charts of an evaluation (the --out folder of featurecam-cli evaluate).",
            "DIR"},
        {"inside", "Open the inside-the-method window (the steps of the map) on IMAGE."},
        {"lesson",
            "Teach with a lesson: the inside-the-method window walking through these photos (a folder or list; "
            "Page Up / Page Down).",
            "PATH"},
        {"live", "Open the Live view on a video file or camera index (see the tab for the cameras present).", "SOURCE"},
        {"gallery", "Open the Gallery on a folder of photos, an image list or an evaluate folder.", "PATH"},
        {"export-figure", "Explain IMAGE, write the figure (PNG or PDF by the suffix) and quit.", "FILE"},
    });
    parser.addPositionalArgument("IMAGE", "The image to open (default: a sample image).", "[IMAGE]");
    parser.process(app);

    const int threads = parser.value("threads").toInt();
    fcs::setComputeThreads(threads > 0 ? threads : 0);
    std::vector<std::string> modelDirs;
    for (const QString& dir : parser.values("models"))
        modelDirs.push_back(dir.toStdString());

    fcs::MainWindow window(modelDirs);
    if (parser.isSet("survey")) {
        // A study machine: only the participant's screen; quitting it quits the app.
        if (!window.startSurveySession(parser.value("survey")))
            return 1;
        return app.exec();
    }
    window.show();
    logStartupMark("window shown");
    if (parser.isSet("evaluation"))
        window.showEvaluation(parser.value("evaluation"));
    if (parser.isSet("survey-results"))
        window.showSurveyResultsOf(parser.values("survey-results"));
    if (parser.isSet("model"))
        window.selectModel(parser.value("model"));
    if (parser.isSet("method"))
        window.selectMethod(parser.value("method"));
    if (parser.isSet("compare"))
        window.showCompareView(true);
    if (parser.isSet("gallery"))
        window.openGallery(parser.value("gallery"));
    if (parser.isSet("live"))
        window.openLive(parser.value("live"));
    QString image = parser.positionalArguments().value(0);
    if (image.isEmpty()) {
        const QStringList samples = fcs::sampleImages(1);
        image = samples.value(0);
    }
    if (parser.isSet("lesson")) {
        QString error;
        if (!window.showInside()->setLesson(parser.value("lesson"), &error))
            std::cerr << "featurecam: " << error.toStdString() << '\n';
    } else if (parser.isSet("inside")) {
        window.showInside();
    }
    if (parser.isSet("export-figure")) {
        // Scripted use: the first result goes to the file, an error to stderr; then quit.
        const QString figure = parser.value("export-figure");
        QObject::connect(&window, &fcs::MainWindow::resultShown, &app, [&window, figure]() {
            const bool written = window.exportFigureTo(figure);
            if (!written)
                std::cerr << "featurecam: " << window.errorMessage().toStdString() << '\n';
            QCoreApplication::exit(written ? 0 : 1);
        });
        QObject::connect(&window, &fcs::MainWindow::errorShown, &app, [](const QString& message) {
            std::cerr << "featurecam: " << message.toStdString() << '\n';
            QCoreApplication::exit(1);
        });
    }
    if (!image.isEmpty() && !parser.isSet("lesson")) // a lesson opens its own first photo
        window.openImage(image);
    return app.exec();
}
