// The gallery's throughput and memory, outside ctest: opens an image set in the Gallery (Qt's
// offscreen platform), explains it in the background with a fresh cache, then opens it again
// (everything from the cache), scrolls through every row, and reports photos per second, the
// GUI thread's longest pause and the resident memory. Compare the rate with
// `featurecam-cli explain` on the same photos (scripts/bench-gallery.sh runs both, alternated).
//
//   bench_gallery --images LIST_OR_FOLDER --model NAME [--method gradcam] [--threads 2]
//   bench_gallery --demo-photos 10000 [--threads 2]   (generated shapes and the built-in demo model)

#include "engine/catalog/Locations.h"
#include "engine/core/Threads.h"
#include "engine/demo/ShapeGenerator.h"
#include "engine/model/ModelCatalog.h"
#include "ui/gallery/GalleryModel.h"
#include "ui/gallery/GalleryRunner.h"
#include "ui/gallery/GallerySortFilter.h"
#include "ui/gallery/GalleryView.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QListView>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTimer>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <iostream>

namespace {

double residentMegabytes(const char* field) // "VmRSS" or "VmHWM"
{
    QFile status("/proc/self/status");
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(line.indexOf(':') + 1).trimmed().split(' ').front().toDouble() / 1024;
    return -1;
}

double openAndWait(fcs::GalleryView& view, const QString& images, qint64* longestGap)
{
    QSignalSpy finished(&view, &fcs::GalleryView::setFinished);
    QElapsedTimer sinceTick;
    sinceTick.start();
    *longestGap = 0;
    QTimer heartbeat;
    QObject::connect(&heartbeat, &QTimer::timeout, [&]() { *longestGap = std::max(*longestGap, sinceTick.restart()); });
    heartbeat.start(10);
    QString error;
    if (!view.openSet(images, &error)) {
        std::cerr << "bench_gallery: " << error.toStdString() << '\n';
        std::exit(1);
    }
    QEventLoop loop; // sleeps between events, as the application's own loop
    QObject::connect(&view, &fcs::GalleryView::setFinished, &loop, &QEventLoop::quit);
    if (finished.isEmpty())
        loop.exec();
    return finished.first().first().toDouble();
}

void writeDemoSet(const QString& folder, int count)
{
    QDir().mkpath(folder);
    fcs::ShapeGenerator generator(4242);
    QFile list(folder + "/labels.csv");
    if (!list.open(QIODevice::WriteOnly))
        std::exit(1);
    list.write("file,class_index\n");
    for (int i = 0; i < count; ++i) {
        const auto sample = generator.next();
        cv::Mat bgr;
        cv::cvtColor(sample.rgb, bgr, cv::COLOR_RGB2BGR);
        const std::string name = "shape_" + std::to_string(100000 + i) + ".png";
        cv::imwrite(folder.toStdString() + "/" + name, bgr);
        list.write((name + "," + std::to_string(sample.label) + "\n").c_str());
    }
}

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions({{"images", "Folder or image list.", "PATH"}, {"model", "Classifier.", "NAME"},
        {"models", "Models folder.", "DIR"}, {"method", "Method (default gradcam).", "M"},
        {"threads", "Compute threads (default 2).", "N"},
        {"demo-photos", "Generate N demo-model photos (in a temporary folder) and use the demo model.", "N"}});
    parser.process(app);
    fcs::setComputeThreads(parser.isSet("threads") ? parser.value("threads").toInt() : 2);
    std::vector<std::string> explicitDirs;
    if (parser.isSet("models"))
        explicitDirs.push_back(parser.value("models").toStdString());
    const auto dirs = fcs::appModelDirs(explicitDirs); // as the application: the path, then the built-in model
    QTemporaryDir cacheDir;
    QString images = parser.value("images");
    QString modelName = parser.value("model");
    if (parser.isSet("demo-photos")) {
        images = cacheDir.filePath("demo/labels.csv");
        writeDemoSet(cacheDir.filePath("demo"), parser.value("demo-photos").toInt());
        modelName = "featurecam_demo_shapes"; // built in: found without a models folder
    }
    const std::string model = fcs::findModel(dirs, modelName.toStdString()).jsonPath;
    const std::string method = parser.isSet("method") ? parser.value("method").toStdString() : "gradcam";

    const double before = residentMegabytes("VmRSS");
    fcs::GalleryView view;
    view.resize(1200, 800);
    view.show();
    view.setCacheFile(cacheDir.filePath("gallery.sqlite"));
    view.setExplainSource(model, dirs, method, {});
    qint64 gap = 0;
    const double first = openAndWait(view, images, &gap);
    const int photos = view.model()->rowCount();
    std::printf("first open: %d photos in %.2f s = %.2f photos/s (%s, %d threads); GUI longest pause %lld ms\n", photos,
        first, photos / first, method.c_str(), fcs::computeThreads(), gap);
    {
        // The write-ahead log folded into the file, as when the last connection closes.
        QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "bench");
        db.setDatabaseName(view.cacheFile());
        db.open();
        QSqlQuery(db).exec("PRAGMA wal_checkpoint(TRUNCATE)");
        QSqlQuery sizes(db);
        sizes.exec("SELECT (SELECT sum(length(jpeg)) FROM thumbs), (SELECT sum(length(map)) FROM base)");
        sizes.next();
        std::printf("cache: %.2f MB for %d photos = %.1f MB per 1,000 (thumbnails %.1f KB, maps %.1f KB per photo)\n",
            QFileInfo(view.cacheFile()).size() / 1e6, photos, QFileInfo(view.cacheFile()).size() / 1e3 / photos,
            sizes.value(0).toDouble() / 1e3 / photos, sizes.value(1).toDouble() / 1e3 / photos);
        db.close();
    }
    QSqlDatabase::removeDatabase("bench");
    const double second = openAndWait(view, images, &gap);
    std::printf("second open (cache): %.3f s, %.0fx faster; GUI longest pause %lld ms\n", second, first / second, gap);

    QElapsedTimer sorting; // on the GUI thread, as a person choosing an order
    sorting.start();
    view.sortFilter()->setOrder(fcs::GalleryOrder::LowestConfidence);
    const qint64 byConfidence = sorting.restart();
    view.sortFilter()->setText("a");
    std::printf(
        "ordered by lowest confidence in %lld ms, filtered by text in %lld ms\n", byConfidence, sorting.elapsed());
    view.sortFilter()->setText({});

    // Scroll through every row: each screenful's pictures are made (and the oldest forgotten).
    QElapsedTimer scroll;
    scroll.start();
    QScrollBar* bar = view.listView()->verticalScrollBar();
    qint64 longestFrame = 0;
    for (int value = 0; value <= bar->maximum(); value += std::max(1, bar->pageStep())) {
        QElapsedTimer frame;
        frame.start();
        bar->setValue(value);
        view.listView()->viewport()->repaint();
        QCoreApplication::processEvents();
        longestFrame = std::max(longestFrame, frame.elapsed());
    }
    std::printf("scrolled through %d photos in %.2f s, longest screenful %lld ms\n", photos, scroll.elapsed() / 1e3,
        longestFrame);
    std::printf("memory: %.0f MB resident before the gallery, %.0f MB now, peak %.0f MB\n", before,
        residentMegabytes("VmRSS"), residentMegabytes("VmHWM"));
    return 0;
}
