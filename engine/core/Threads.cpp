#include "engine/core/Threads.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <atomic>
#include <thread>

namespace fcs {

void setComputeThreads(int threads)
{
    if (threads < 1)
        threads = int(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(threads);
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
