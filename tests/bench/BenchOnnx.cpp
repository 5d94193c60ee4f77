// The ONNX importer's cost (issue 27): the opset-13 ONNX MobileNetV2 of ../shared/models/onnx
// against the TorchScript archive of the same network, batch 1, after warm-up. Each iteration runs
// the two back to back (the shared machine drifts by ±30%, so only a paired ratio means
// anything): one forward each, then one Grad-CAM each (its gradient pass and map). The counters
// are medians and their ratios, ONNX / TorchScript. The argument is LibTorch's thread count.
// Run: FEATURECAM_MODEL_PATH=../shared/models build/tests/bench/bench_onnx

#include "TestPaths.h"

#include "engine/cam/CamMethod.h"
#include "engine/cam/GradCam.h"
#include "engine/core/MemoryPolicy.h"
#include "engine/core/Threads.h"
#include "engine/model/ClassifierModel.h"
#include "engine/model/ModelCatalog.h"

#include <algorithm>
#include <benchmark/benchmark.h>
#include <chrono>

using namespace fcs;

namespace {

ClassifierModel& torchScriptModel()
{
    static auto loaded = ClassifierModel::load(findModel({test::modelsDir().toStdString()}, "mobilenet_v2_1.0_224"));
    return *loaded;
}

ClassifierModel& onnxModel()
{
    static auto loaded
        = ClassifierModel::load(findModel({(test::modelsDir() + "/onnx").toStdString()}, "mobilenet_v2_1.0_224"));
    return *loaded;
}

torch::Tensor input()
{
    static const auto x = torch::rand({1, 3, 224, 224}) * 2 - 1;
    return x;
}

double median(std::vector<double> v)
{
    std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(v.size() / 2), v.end());
    return v[v.size() / 2];
}

void BM_OnnxToTorchScript(benchmark::State& state)
{
    setComputeThreads(int(state.range(0)));
    CancelToken cancel;
    using Clock = std::chrono::steady_clock;
    const auto ms = [](Clock::time_point a, Clock::time_point b) {
        return std::chrono::duration<double, std::milli>(b - a).count();
    };
    const auto forward = [&](ClassifierModel& model) {
        torch::InferenceMode inference;
        benchmark::DoNotOptimize(model.forward(input()));
    };
    const auto gradCam = [&](ClassifierModel& model) {
        CamContext context(model, input(), 340, cancel);
        benchmark::DoNotOptimize(GradCam().compute(context));
    };
    std::vector<double> forwardTs, forwardOnnx, camTs, camOnnx;
    for (auto _ : state) {
        // Each first in every other iteration: the second of two runs back to back can find the
        // caches or the thread pool in another state.
        const bool onnxFirst = forwardTs.size() % 2 == 1;
        ClassifierModel& a = onnxFirst ? onnxModel() : torchScriptModel();
        ClassifierModel& b = onnxFirst ? torchScriptModel() : onnxModel();
        const auto t0 = Clock::now();
        forward(a);
        const auto t1 = Clock::now();
        forward(b);
        const auto t2 = Clock::now();
        gradCam(a);
        const auto t3 = Clock::now();
        gradCam(b);
        const auto t4 = Clock::now();
        forwardTs.push_back(ms(onnxFirst ? t1 : t0, onnxFirst ? t2 : t1));
        forwardOnnx.push_back(ms(onnxFirst ? t0 : t1, onnxFirst ? t1 : t2));
        camTs.push_back(ms(onnxFirst ? t3 : t2, onnxFirst ? t4 : t3));
        camOnnx.push_back(ms(onnxFirst ? t2 : t3, onnxFirst ? t3 : t4));
    }
    state.counters["forward_ts_ms"] = median(forwardTs);
    state.counters["forward_onnx_ms"] = median(forwardOnnx);
    state.counters["forward_ratio"] = median(forwardOnnx) / median(forwardTs);
    state.counters["gradcam_ts_ms"] = median(camTs);
    state.counters["gradcam_onnx_ms"] = median(camOnnx);
    state.counters["gradcam_ratio"] = median(camOnnx) / median(camTs);
}

// One model alone, forward only (argument 0: TorchScript, 1: ONNX; then the thread count): for
// `perf record --benchmark_filter=BM_ForwardAlone/1/2`, where the paired loop would mix the two.
// `faults` counts the minor page faults per pass (0 when the heap keeps its memory).
void BM_ForwardAlone(benchmark::State& state)
{
    setComputeThreads(int(state.range(1)));
    ClassifierModel& model = state.range(0) == 1 ? onnxModel() : torchScriptModel();
    torch::InferenceMode inference;
    model.forward(input());
    const long f0 = minorPageFaults();
    for (auto _ : state)
        benchmark::DoNotOptimize(model.forward(input()));
    state.counters["faults"] = double(minorPageFaults() - f0) / double(state.iterations());
}

} // namespace

BENCHMARK(BM_ForwardAlone)->ArgsProduct({{0, 1}, {1, 2}})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OnnxToTorchScript)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->MinTime(10.0);

BENCHMARK_MAIN();
