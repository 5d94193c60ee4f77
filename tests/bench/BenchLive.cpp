// The Live tab's rate, latency and dropped share, outside ctest: plays a video (by default a
// 640×480 pan across a sample photo, written first) in the Live view on Qt's offscreen platform
// and reports what its status line reports, averaged over the run.
//
//   bench_live --model mobilenet_v2_1.0_224 [--method gradcam] [--threads 2] [--video FILE] [--seconds 10]

#include "engine/catalog/Locations.h"
#include "engine/core/Threads.h"
#include "engine/io/ImageLoader.h"
#include "engine/model/ModelCatalog.h"
#include "ui/live/LiveView.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTimer>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <vector>

namespace {

// A 640×480 pan across the photo, 25 frames a second, `frames` long.
bool writePan(const std::string& photo, const std::string& path, int frames)
{
    const cv::Mat rgb = fcs::loadImageRgb(photo);
    cv::Mat big, bgr;
    cv::resize(rgb, big, {960, 720});
    cv::VideoWriter writer(path, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 25, {640, 480});
    for (int t = 0; t < frames && writer.isOpened(); ++t) {
        cv::cvtColor(big(cv::Rect(t * 320 / (frames - 1), t * 240 / (frames - 1), 640, 480)), bgr, cv::COLOR_RGB2BGR);
        writer.write(bgr);
    }
    return writer.isOpened();
}

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions({{"model", "Classifier.", "NAME"}, {"method", "Method (default gradcam).", "M"},
        {"threads", "Compute threads (default 2).", "N"}, {"video", "A video (default: a pan, written first).", "FILE"},
        {"photo", "The photo the pan crosses (default: the golden retriever of the sample set).", "FILE"},
        {"seconds", "How long to play (default 10).", "S"}});
    parser.process(app);
    fcs::setComputeThreads(parser.isSet("threads") ? parser.value("threads").toInt() : 2);
    const auto dirs = fcs::appModelDirs({});
    const std::string model = fcs::findModel(dirs, parser.value("model").toStdString()).jsonPath;
    const double seconds = parser.isSet("seconds") ? parser.value("seconds").toDouble() : 10;
    QTemporaryDir dir;
    QString video = parser.value("video");
    if (video.isEmpty()) {
        const QString data = qEnvironmentVariable("FEATURECAM_DATA_PATH", "../shared/data");
        const QString photo
            = parser.isSet("photo") ? parser.value("photo") : data + "/imagenet-sample/n02099601_golden_retriever.JPEG";
        video = dir.filePath("pan.avi");
        if (!writePan(photo.toStdString(), video.toStdString(), int(25 * seconds))) {
            std::cerr << "bench_live: cannot write the pan video\n";
            return 1;
        }
    }
    fcs::LiveView view;
    view.resize(1000, 760);
    view.show();
    view.setExplainSource(model, dirs, parser.isSet("method") ? parser.value("method").toStdString() : "gradcam", {});
    std::vector<double> latencies, rates;
    QObject::connect(&view, &fcs::LiveView::errorShown, [](const QString& message) {
        std::cerr << "bench_live: " << message.toStdString() << '\n';
        QCoreApplication::exit(1);
    });
    QString error;
    if (!view.start(video, &error)) {
        std::cerr << "bench_live: " << error.toStdString() << '\n';
        return 1;
    }
    QElapsedTimer clock;
    clock.start();
    QTimer sampler; // what the status line shows, ten times a second
    int lastShown = 0;
    QObject::connect(&sampler, &QTimer::timeout, [&]() {
        if (view.framesShown() > lastShown && clock.elapsed() > 2000) { // after the model's first calls
            latencies.push_back(view.latencyMilliseconds());
            rates.push_back(view.framesPerSecond());
        }
        lastShown = view.framesShown();
        if (clock.elapsed() > seconds * 1000)
            QCoreApplication::quit();
    });
    sampler.start(100);
    app.exec();
    view.stop();
    if (latencies.empty()) {
        std::cerr << "bench_live: no frame was shown\n";
        return 1;
    }
    std::sort(latencies.begin(), latencies.end());
    std::sort(rates.begin(), rates.end());
    const auto counts = view.counts();
    std::printf("%d frames shown in %.1f s of a %s video; rate median %.1f fps; frame-to-screen latency median %.1f ms "
                "(90th percentile %.1f ms); %lld of %lld frames dropped (%.0f%%), at most %d in flight\n",
        view.framesShown(), clock.elapsed() / 1000.0, video.endsWith("pan.avi") ? "640×480" : "given",
        rates[rates.size() / 2], latencies[latencies.size() / 2], latencies[latencies.size() * 9 / 10],
        static_cast<long long>(counts.dropped), static_cast<long long>(counts.offered),
        counts.offered ? 100.0 * counts.dropped / counts.offered : 0.0, counts.maxInFlight);
    return 0;
}
