#pragma once
// LibTorch's intra-op thread count. Its default on small machines is 1, and
// threads that already ran ATen code keep their old count, so set it once at start-up, before
// any worker runs.

namespace fcs {

void setComputeThreads(int threads); // < 1 means one per hardware thread
int computeThreads();

// A thread of one's own that runs networks (an evaluation lane) calls this first: its LibTorch
// thread count, and TorchScript's plain executor. Both are per-thread settings; a thread left
// on the profiling executor made its first calls ~20x slower and profiled again for every new
// input size (each photo's edge map), ClassifierModel.cpp says more.
void prepareComputeThread(int threads);

// How many images to send through a network at once. Measured on MobileNetV2 (2-core VM,
// docs/performance.md): one image per thread is fastest, since oneDNN then splits the batch
// across the threads; larger batches fall out of the cache and get slower per image (8
// explanation maps: 104 ms in batches of 2 at 2 threads, 180 ms in one batch of 8, 259 ms one
// by one at 1 thread). So: max(2, threads).
// setPreferredBatchSize(n > 0) overrides it (benchmarks, --batch); n <= 0 restores the default.
int preferredBatchSize();
void setPreferredBatchSize(int images);

} // namespace fcs
