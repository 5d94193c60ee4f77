#pragma once
// How every program of ours takes memory from the kernel (issue 26, docs/performance.md).
//
// glibc's defaults hand each allocation above 128 KB to mmap and give the top of the heap back to
// the kernel once 128 KB are free there. A network's activations are such allocations, made and
// freed on every pass, so every pass first-touched fresh pages; on a VM where a page fault is
// expensive a MobileNetV2 forward took 4x eager PyTorch. The policy keeps freed memory for reuse:
// allocations up to kMmapThreshold come from the heap, and the heap is trimmed only when more than
// kTrimThreshold are free at its top.
//
// It is applied before main() in every program that links the engine (a static initializer the
// engine's link options pull in), so benchmarks and tests run as the shipped programs do.
// FEATURECAM_MEMORY_POLICY=system leaves glibc's defaults (to measure against), and a
// glibc.malloc.mmap_threshold or trim_threshold in GLIBC_TUNABLES is the user's and is kept.

#include <cstddef>
#include <string>

namespace fcs {

inline constexpr std::size_t kMmapThreshold = std::size_t(32) << 20;  // glibc's own ceiling
inline constexpr std::size_t kTrimThreshold = std::size_t(128) << 20;

struct MemoryPolicy
{
    bool applied = false;      // false: glibc's defaults (or the user's tunables) are in force
    std::string description;   // one line for logs and benchmark context
};

const MemoryPolicy& memoryPolicy();

// Minor page faults of the whole process so far (getrusage): a guard against the policy's loss.
long minorPageFaults();

} // namespace fcs
