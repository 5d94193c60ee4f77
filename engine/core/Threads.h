#pragma once
// LibTorch's intra-op thread count. Its default on small machines is 1 (stack-notes §6), and
// threads that already ran ATen code keep their old count, so set it once at start-up, before
// any worker runs.

namespace fcs {

void setComputeThreads(int threads);   // < 1 means one per hardware thread
int computeThreads();

} // namespace fcs
