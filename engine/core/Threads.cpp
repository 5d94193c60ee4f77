#include "core/Threads.h"

#include <ATen/Parallel.h>

#include <algorithm>
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

int preferredBatchSize()
{
    return std::max(2, at::get_num_threads());
}

} // namespace fcs
