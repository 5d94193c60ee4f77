#include "engine/core/Threads.h"

#include <ATen/Parallel.h>
#include <torch/csrc/jit/python/update_graph_executor_opt.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include <dlfcn.h>

namespace fcs {

namespace {

// LibTorch calls the BLAS (the linear layers) from inside its own thread pool, and OpenBLAS —
// Debian's libblas.so.3 when installed — starts a pool of its own: at 2 threads the two pools
// fought over the 2 cores (MobileNetV2's gradient pass 12.3 ms, forward 10.4 ms; with OpenBLAS
// on one thread 9.1 and 8.1 ms; docs/performance.md). One pool is enough. Looked up at run
// time: the reference BLAS has no such function.
void keepBlasOnOneThread()
{
    using SetThreads = void (*)(int);
    if (auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads")))
        set(1);
}

} // namespace

void setComputeThreads(int threads)
{
    if (threads < 1)
        threads = int(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(threads);
    keepBlasOnOneThread();
}

void prepareComputeThread(int threads)
{
    setComputeThreads(threads);
    torch::jit::setGraphExecutorOptimize(false);
}

int computeThreads()
{
    return at::get_num_threads();
}

namespace {
std::atomic<int> batchSizeOverride{0};
}

int preferredBatchSize()
{
    const int chosen = batchSizeOverride.load();
    return chosen > 0 ? chosen : std::max(2, at::get_num_threads());
}

void setPreferredBatchSize(int images)
{
    batchSizeOverride.store(std::max(0, images));
}

} // namespace fcs
