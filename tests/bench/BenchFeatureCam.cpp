// Feature CAM's costs: each edge detector at 224×224, 1024×768 and 512×384 (1 and 2 threads), and the
// nine variants with their masks from a base map and a cached edge map (image arithmetic only).
// Run: FEATURECAM_MODEL_PATH=../shared/models build/tests/bench/bench_featurecam

#include "PageFaultCounter.h"
#include "TestPaths.h"

#include "engine/core/Threads.h"
#include "engine/edges/EdgeDetector.h"
#include "engine/explain/SaliencyMask.h"
#include "engine/featurecam/FeatureCam.h"

#include <ATen/Parallel.h>
#include <benchmark/benchmark.h>
#include <opencv2/imgproc.hpp>

using namespace fcs;

namespace {

const char* kDetectors[] = {"canny", "sobel", "pidinet_tiny", "pidinet"};
const cv::Size kSizes[] = {{224, 224}, {1024, 768}, {512, 384}}; // the last: the default edge size limit

cv::Mat photoLike(cv::Size size)
{
    cv::Mat image(size, CV_8UC3);
    cv::randu(image, 0, 255);
    cv::GaussianBlur(image, image, cv::Size(0, 0), 3); // some structure, not pure noise
    return image;
}

// Arguments: detector index, size index, threads.
void BM_EdgeDetector(benchmark::State& state)
{
    setComputeThreads(int(state.range(2)));
    EdgeOptions options;
    options.modelDirs = {test::modelsDir().toStdString()};
    auto detector = makeEdgeDetector(kDetectors[state.range(0)], options);
    const cv::Mat image = photoLike(kSizes[state.range(1)]);
    detector->detect(image); // warm-up
    const PageFaultsPerIteration faults(state);
    for (auto _ : state)
        benchmark::DoNotOptimize(detector->detect(image));
    state.SetLabel(std::string(kDetectors[state.range(0)]) + " " + std::to_string(kSizes[state.range(1)].width) + "x"
        + std::to_string(kSizes[state.range(1)].height));
}

void BM_NineVariantsWithMasks(benchmark::State& state)
{
    const cv::Mat image = photoLike({224, 224});
    cv::Mat saliency(224, 224, CV_32F), edges(375, 500, CV_32F);
    cv::randu(saliency, 0, 1);
    cv::randu(edges, 0, 1);
    const PageFaultsPerIteration faults(state);
    for (auto _ : state) {
        const auto maps = featureCamMaps(image, edges, saliency, allFeatureCamVariants(), 0.25);
        for (const auto& map : maps)
            benchmark::DoNotOptimize(explanationImage(image, saliencyMask(map, 80)));
    }
}

} // namespace

BENCHMARK(BM_EdgeDetector)->ArgsProduct({{0, 1, 2, 3}, {0, 1, 2}, {1, 2}})->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_NineVariantsWithMasks)->Unit(benchmark::kMillisecond)->MinTime(1.0);

int main(int argc, char** argv)
{
    if (!QFile::exists(test::modelsDir() + "/pidinet.pt")) {
        std::fprintf(stderr, "bench_featurecam: pidinet not found in %s; set FEATURECAM_MODEL_PATH\n",
            qPrintable(test::modelsDir()));
        return 1;
    }
    benchmark::Initialize(&argc, argv);
    benchmark::AddCustomContext("memory_policy", fcs::memoryPolicy().description);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
