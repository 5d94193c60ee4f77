// Per-image cost of the engine on the real mobilenet_v2_1.0_224, batch 1, after warm-up:
// classify (one forward), Grad-CAM + Grad-CAM++ (one shared gradient pass), Smooth Grad-CAM++
// (n = 25, batched, against 25 separate passes), and re-classification of 8 explanation maps.
// Run: FEATURECAM_MODEL_PATH=../shared/models build/tests/bench/bench_engine
// The argument of each benchmark is LibTorch's thread count.

#include "PageFaultCounter.h"
#include "TestPaths.h"

#include "engine/cam/CamMethod.h"
#include "engine/cam/GradCam.h"
#include "engine/cam/GradCamPlusPlus.h"
#include "engine/cam/MapOps.h"
#include "engine/cam/SmoothGradCamPlusPlus.h"
#include "engine/catalog/MethodCatalog.h"
#include "engine/core/Threads.h"
#include "engine/explain/Explainer.h"
#include "engine/model/ClassifierModel.h"
#include "engine/model/ModelCatalog.h"

#include <ATen/Parallel.h>
#include <algorithm>
#include <benchmark/benchmark.h>
#include <chrono>
#include <sys/resource.h>

using namespace fcs;

namespace {

ClassifierModel& model()
{
    static auto loaded = ClassifierModel::load(findModel({test::modelsDir().toStdString()}, "mobilenet_v2_1.0_224"));
    return *loaded;
}

torch::Tensor input(int64_t n = 1)
{
    static const auto x = torch::rand({1, 3, 224, 224}) * 2 - 1;
    return x.expand({n, 3, 224, 224}).contiguous();
}

// The catalogue's methods that share one gradient pass (Grad-CAM, Grad-CAM++, LayerCAM, ...).
std::vector<std::unique_ptr<CamMethod>> oneGradientPassMethods()
{
    std::vector<std::unique_ptr<CamMethod>> methods;
    for (const auto& info : methodCatalog())
        if (info.capabilities.needsGradients && info.capabilities.cost == MethodCost::OnePass)
            methods.push_back(makeCamMethod(info.id, MethodParameters()));
    return methods;
}

void reportPeakMemory(benchmark::State& state)
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    state.counters["peak_MiB"] = double(usage.ru_maxrss) / 1024.0;
}

void BM_Forward(benchmark::State& state)
{
    setComputeThreads(int(state.range(0)));
    torch::InferenceMode inference;
    const PageFaultsPerIteration faults(state);
    for (auto _ : state)
        benchmark::DoNotOptimize(model().forward(input()));
    reportPeakMemory(state);
}

void BM_GradCamAndGradCamPlusPlus(benchmark::State& state)
{
    setComputeThreads(int(state.range(0)));
    CancelToken cancel;
    const PageFaultsPerIteration faults(state);
    for (auto _ : state) {
        CamContext context(model(), input(), 340, cancel);
        benchmark::DoNotOptimize(GradCam().compute(context));
        benchmark::DoNotOptimize(GradCamPlusPlus().compute(context));
    }
    reportPeakMemory(state);
}

void BM_FeaturesOnly(benchmark::State& state)
{
    setComputeThreads(int(state.range(0)));
    torch::NoGradGuard noGrad;
    const PageFaultsPerIteration faults(state);
    for (auto _ : state)
        benchmark::DoNotOptimize(model().features(input()));
}

void BM_GradientPass(benchmark::State& state)
{
    setComputeThreads(int(state.range(0)));
    const PageFaultsPerIteration faults(state);
    for (auto _ : state)
        benchmark::DoNotOptimize(computeGradients(model(), input(), {340}));
}

void BM_SmoothGradCamPlusPlus(benchmark::State& state)
{
    // Arguments: threads, copies per batch. Batch 1 is the 25 copies as 25 separate passes.
    setComputeThreads(int(state.range(0)));
    CancelToken cancel;
    SmoothSettings settings; // n = 25
    settings.batchSize = int(state.range(1));
    const PageFaultsPerIteration faults(state);
    for (auto _ : state) {
        CamContext context(model(), input(), 340, cancel);
        benchmark::DoNotOptimize(SmoothGradCamPlusPlus(settings).compute(context));
    }
    reportPeakMemory(state);
}

// The machine's speed drifts by +-30% between runs (shared VM), so the ratio asked for — Grad-CAM
// and Grad-CAM++ together against one plain forward — is measured interleaved: each iteration
// times one forward and one CAM pass back to back, and the counters are the medians.
void BM_CamToForwardRatio(benchmark::State& state)
{
    setComputeThreads(int(state.range(0)));
    CancelToken cancel;
    std::vector<double> forward, cam;
    using Clock = std::chrono::steady_clock;
    const PageFaultsPerIteration faults(state);
    for (auto _ : state) {
        auto start = Clock::now();
        {
            torch::InferenceMode inference;
            benchmark::DoNotOptimize(model().forward(input()));
        }
        auto middle = Clock::now();
        CamContext context(model(), input(), 340, cancel);
        benchmark::DoNotOptimize(GradCam().compute(context));
        benchmark::DoNotOptimize(GradCamPlusPlus().compute(context));
        auto end = Clock::now();
        forward.push_back(std::chrono::duration<double, std::milli>(middle - start).count());
        cam.push_back(std::chrono::duration<double, std::milli>(end - middle).count());
    }
    const auto median = [](std::vector<double> v) {
        std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(v.size() / 2), v.end());
        return v[v.size() / 2];
    };
    state.counters["forward_ms"] = median(forward);
    state.counters["gradcam_and_pp_ms"] = median(cam);
    state.counters["ratio"] = median(cam) / median(forward);
}

// The target for the CAM family: all seven one-pass gradient methods of one image (one
// shared gradient pass, the layer maps finished together as Explainer::explain does) against one
// plain forward, interleaved in each iteration; the counters split the methods' time into the
// gradient pass, the methods' own layer maps and the finishing (upsampling + normalization).
void BM_AllGradientMethodsToForwardRatio(benchmark::State& state)
{
    setComputeThreads(int(state.range(0)));
    const auto methods = oneGradientPassMethods();
    CancelToken cancel;
    std::vector<double> forward, pass, layerMapsMs, finishing, all;
    using Clock = std::chrono::steady_clock;
    const auto ms = [](Clock::time_point a, Clock::time_point b) {
        return std::chrono::duration<double, std::milli>(b - a).count();
    };
    const PageFaultsPerIteration faults(state);
    for (auto _ : state) {
        const auto start = Clock::now();
        {
            torch::InferenceMode inference;
            benchmark::DoNotOptimize(model().forward(input()));
        }
        const auto afterForward = Clock::now();
        CamContext context(model(), input(), 340, cancel);
        context.gradients();
        const auto afterPass = Clock::now();
        std::vector<torch::Tensor> layerMaps;
        for (const auto& method : methods)
            layerMaps.push_back(dynamic_cast<const LayerMapCam&>(*method).layerMap(context));
        const auto afterLayerMaps = Clock::now();
        benchmark::DoNotOptimize(mapops::finalizeAll(layerMaps, 224, 224));
        const auto end = Clock::now();
        forward.push_back(ms(start, afterForward));
        pass.push_back(ms(afterForward, afterPass));
        layerMapsMs.push_back(ms(afterPass, afterLayerMaps));
        finishing.push_back(ms(afterLayerMaps, end));
        all.push_back(ms(afterForward, end));
    }
    const auto median = [](std::vector<double> v) {
        std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(v.size() / 2), v.end());
        return v[v.size() / 2];
    };
    state.SetLabel(std::to_string(methods.size()) + " methods");
    state.counters["forward_ms"] = median(forward);
    state.counters["pass_ms"] = median(pass);
    state.counters["layer_maps_ms"] = median(layerMapsMs);
    state.counters["finish_ms"] = median(finishing);
    state.counters["all_ms"] = median(all);
    state.counters["ratio"] = median(all) / median(forward);
}

// Score-CAM against what it is made of, interleaved in each iteration so that the machine's drift
// cancels: one Score-CAM of the image, then K masked-input-sized forwards of our own in the same
// batches (K = 1280 channels, preferredBatchSize() images per forward).
void BM_ScoreCamToForwards(benchmark::State& state)
{
    setComputeThreads(int(state.range(0)));
    CancelToken cancel;
    const auto method = makeCamMethod("scorecam", MethodParameters());
    const int64_t batch = preferredBatchSize();
    std::vector<double> forwards, scoreCam;
    using Clock = std::chrono::steady_clock;
    const PageFaultsPerIteration faults(state);
    for (auto _ : state) {
        auto start = Clock::now();
        CamContext context(model(), input(), 340, cancel);
        benchmark::DoNotOptimize(method->compute(context));
        auto middle = Clock::now();
        const int64_t channels = context.gradients().activations.size(1);
        {
            torch::InferenceMode inference;
            for (int64_t done = 0; done < channels; done += batch)
                benchmark::DoNotOptimize(model().forward(input(std::min(batch, channels - done))));
        }
        auto end = Clock::now();
        scoreCam.push_back(std::chrono::duration<double>(middle - start).count());
        forwards.push_back(std::chrono::duration<double>(end - middle).count());
    }
    std::sort(scoreCam.begin(), scoreCam.end());
    std::sort(forwards.begin(), forwards.end());
    state.counters["scorecam_s"] = scoreCam[scoreCam.size() / 2];
    state.counters["forwards_s"] = forwards[forwards.size() / 2];
    state.counters["ratio"] = scoreCam[scoreCam.size() / 2] / forwards[forwards.size() / 2];
}

void BM_ReclassifyEightExplanations(benchmark::State& state)
{
    // Arguments: threads, images per forward. The 8 maps as 8/chunk forwards.
    setComputeThreads(int(state.range(0)));
    torch::InferenceMode inference;
    const int64_t chunk = state.range(1);
    const auto batch = input(8);
    const PageFaultsPerIteration faults(state);
    for (auto _ : state)
        for (int64_t start = 0; start < 8; start += chunk)
            benchmark::DoNotOptimize(model().forward(batch.narrow(0, start, chunk)).softmax(1));
    reportPeakMemory(state);
}

void BM_ExplainFullPipeline(benchmark::State& state)
{
    // What `featurecam-cli explain --method gradcam,gradcampp` does per image after decoding:
    // resize, classify, both maps, masks, explanation maps and their re-classification.
    setComputeThreads(int(state.range(0)));
    static Explainer explainer(findModel({test::modelsDir().toStdString()}, "mobilenet_v2_1.0_224"));
    cv::Mat image(375, 500, CV_8UC3);
    cv::randu(image, 0, 255);
    ExplainSettings settings;
    settings.methods = {"gradcam", "gradcampp"};
    const PageFaultsPerIteration faults(state);
    for (auto _ : state)
        benchmark::DoNotOptimize(explainer.explain(image, settings));
    reportPeakMemory(state);
}

void BM_Method(benchmark::State& state)
{
    // Arguments: threads, index in the method catalogue, and 0: one image with its own gradient
    // pass (the pass is part of each gradient method's cost when it runs alone), or 1: only what
    // the method adds once the image's gradient pass exists (computed before timing, cached).
    setComputeThreads(int(state.range(0)));
    const MethodInfo& info = methodCatalog().at(std::size_t(state.range(1)));
    const bool ownWorkOnly = state.range(2) == 1;
    state.SetLabel(info.id + (ownWorkOnly ? " (after the pass)" : ""));
    const auto method = makeCamMethod(info.id, MethodParameters());
    CancelToken cancel;
    CamContext shared(model(), input(), 340, cancel);
    if (ownWorkOnly)
        shared.gradients();
    const PageFaultsPerIteration faults(state);
    for (auto _ : state) {
        if (ownWorkOnly) {
            benchmark::DoNotOptimize(method->compute(shared));
        } else {
            CamContext context(model(), input(), 340, cancel);
            benchmark::DoNotOptimize(method->compute(context));
        }
    }
}

void BM_Finalize(benchmark::State& state)
{
    // What every method does last: its 7 x 7 map upsampled to 224 x 224 and min-max normalized.
    setComputeThreads(int(state.range(0)));
    const auto map = torch::rand({1, 1, 7, 7});
    const PageFaultsPerIteration faults(state);
    for (auto _ : state)
        benchmark::DoNotOptimize(mapops::finalize(map, 224, 224));
}

void BM_FinalizeTogether(benchmark::State& state)
{
    // Seven 7 x 7 maps finalized in one call ([7,1,7,7]): what all one-pass methods of one image
    // share at the end.
    setComputeThreads(int(state.range(0)));
    const auto maps = torch::rand({7, 1, 7, 7});
    const PageFaultsPerIteration faults(state);
    for (auto _ : state)
        benchmark::DoNotOptimize(mapops::finalize(maps, 224, 224));
}

void BM_AllGradientMethods(benchmark::State& state)
{
    // Every one-pass gradient method of the catalogue on one image, sharing one gradient pass.
    setComputeThreads(int(state.range(0)));
    const auto methods = oneGradientPassMethods();
    state.SetLabel(std::to_string(methods.size()) + " methods");
    CancelToken cancel;
    const PageFaultsPerIteration faults(state);
    for (auto _ : state) { // as Explainer::explain does: the layer maps finished together
        CamContext context(model(), input(), 340, cancel);
        std::vector<torch::Tensor> layerMaps;
        for (const auto& method : methods)
            layerMaps.push_back(dynamic_cast<const LayerMapCam&>(*method).layerMap(context));
        benchmark::DoNotOptimize(mapops::finalizeAll(layerMaps, 224, 224));
    }
}

void BM_CompareView(benchmark::State& state)
{
    // The compare view's request, every catalogue method of one image (Smooth Grad-CAM++ at
    // n = 25). Second argument 0: one explain() per method, as the window did before the
    // catalogue; 1: one explain() for all, sharing the forward, the gradient pass and the
    // batched re-classification.
    setComputeThreads(int(state.range(0)));
    static Explainer explainer(findModel({test::modelsDir().toStdString()}, "mobilenet_v2_1.0_224"));
    cv::Mat image(375, 500, CV_8UC3);
    cv::randu(image, 0, 255);
    ExplainSettings settings;
    settings.methods = allMethodIds();
    settings.onMethodFailure = MethodFailurePolicy::Report;
    const PageFaultsPerIteration faults(state);
    for (auto _ : state) {
        if (state.range(1) == 1) {
            benchmark::DoNotOptimize(explainer.explain(image, settings));
        } else {
            for (const auto& id : allMethodIds()) {
                ExplainSettings one = settings;
                one.methods = {id};
                benchmark::DoNotOptimize(explainer.explain(image, one));
            }
        }
    }
}

} // namespace

BENCHMARK(BM_Forward)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_GradCamAndGradCamPlusPlus)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_FeaturesOnly)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_GradientPass)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_SmoothGradCamPlusPlus)->ArgsProduct({{1, 2}, {1, 2, 4, 8}})->Unit(benchmark::kMillisecond)->MinTime(3.0);
BENCHMARK(BM_CamToForwardRatio)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->MinTime(4.0);
BENCHMARK(BM_AllGradientMethodsToForwardRatio)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->MinTime(4.0);
BENCHMARK(BM_ScoreCamToForwards)->Arg(1)->Arg(2)->Iterations(3)->Unit(benchmark::kSecond);
BENCHMARK(BM_ReclassifyEightExplanations)
    ->ArgsProduct({{1, 2}, {1, 2, 4, 8}})
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0);
BENCHMARK(BM_ExplainFullPipeline)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_Finalize)->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond)->MinTime(1.0);
BENCHMARK(BM_FinalizeTogether)->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond)->MinTime(1.0);
BENCHMARK(BM_AllGradientMethods)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_Method)
    ->ArgsProduct({{1, 2}, benchmark::CreateDenseRange(0, int(methodCatalog().size()) - 1, 1), {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->MinTime(1.0);
BENCHMARK(BM_CompareView)->ArgsProduct({{1, 2}, {0, 1}})->Unit(benchmark::kMillisecond)->MinTime(3.0);

int main(int argc, char** argv)
{
    if (!QFile::exists(test::modelsDir() + "/mobilenet_v2_1.0_224.pt")) {
        std::fprintf(stderr, "bench_engine: mobilenet_v2_1.0_224 not found in %s; set FEATURECAM_MODEL_PATH\n",
            qPrintable(test::modelsDir()));
        return 1;
    }
    benchmark::Initialize(&argc, argv);
    benchmark::AddCustomContext("memory_policy", fcs::memoryPolicy().description);
    model(); // load and validate (and so warm up) outside the timings
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
