#include "CliSupport.h"
#include "Commands.h"
#include "engine/core/Error.h"
#include "engine/explain/Explainer.h"
#include "engine/io/ImageLoader.h"

#include <QJsonArray>

#include <algorithm>
#include <cstdio>

namespace fcs::cli {
namespace {

QJsonArray predictionsJson(const std::vector<Prediction>& predictions)
{
    QJsonArray array;
    for (const auto& p : predictions)
        array.append(QJsonObject{
            {"class_index", p.classIndex}, {"label", QString::fromStdString(p.label)}, {"probability", p.probability}});
    return array;
}

// A batch at once; when it fails (NaN from the model on one image), each image alone, so that
// only the bad one is reported. An empty prediction list marks an image that failed.
std::vector<std::vector<Prediction>> classifyEach(Explainer& explainer, const std::vector<cv::Mat>& images,
    const std::vector<std::string>& paths, int topK, int& status)
{
    try {
        return explainer.classify(images, topK);
    } catch (const std::exception&) {
    }
    std::vector<std::vector<Prediction>> out;
    for (std::size_t i = 0; i < images.size(); ++i) {
        try {
            out.push_back(explainer.classify({images[i]}, topK).front());
        } catch (const Error& e) {
            printError(paths[i] + ": " + e.userMessage());
            out.emplace_back();
            status = kExitBadInput;
        } catch (const std::exception& e) {
            printError(paths[i] + ": the model failed on this image: " + briefWhat(e));
            out.emplace_back();
            status = kExitBadInput;
        }
    }
    return out;
}

} // namespace

int runClassify(const QStringList& arguments)
{
    CommandLine line("classify", "IMAGE...", "Print the top-K classes of each image (or of each image in a folder).");
    line.addModelOptions();
    line.addOnnxSidecarOptions();
    line.parser().addOptions({
        {"top", "How many classes to print (default 5).", "K"},
        {"json", "One JSON object per image and line: {\"image\", \"predictions\": [...]}."},
    });
    if (!line.parse(arguments))
        return kExitOk;
    const int topK = line.intValue("top", 5, 1, 100000);
    const auto images = expandImages(line.parser().positionalArguments());
    line.applyThreads();
    const auto loaded = line.loadExplainer();
    Explainer& explainer = *loaded;

    // Images are decoded and classified a batch at a time; an unreadable one is reported and skipped.
    constexpr std::size_t kBatch = 16;
    int status = kExitOk;
    for (std::size_t start = 0; start < images.size(); start += kBatch) {
        std::vector<std::string> paths;
        std::vector<cv::Mat> decoded;
        for (std::size_t i = start; i < std::min(images.size(), start + kBatch); ++i) {
            try {
                decoded.push_back(loadImageRgb(images[i]));
                paths.push_back(images[i]);
            } catch (const Error& e) {
                printError(e.userMessage());
                status = kExitBadInput;
            } catch (const std::exception& e) {
                printError("Cannot read the image \"" + images[i] + "\": " + e.what());
                status = kExitBadInput;
            }
        }
        const auto results = classifyEach(explainer, decoded, paths, topK, status);
        for (std::size_t i = 0; i < results.size(); ++i) {
            if (results[i].empty())
                continue; // reported by classifyEach
            if (line.isSet("json")) {
                printJsonLine(
                    {{"image", QString::fromStdString(paths[i])}, {"predictions", predictionsJson(results[i])}});
                continue;
            }
            std::printf("%s\n", paths[i].c_str());
            for (const auto& p : results[i])
                std::printf("  %5d  %6.2f%%  %s\n", p.classIndex, 100.0 * p.probability, p.label.c_str());
        }
        std::fflush(stdout);
    }
    return status;
}

} // namespace fcs::cli
