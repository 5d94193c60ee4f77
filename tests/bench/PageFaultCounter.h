#pragma once
// Minor page faults per iteration beside each benchmark's time (issue 26): a pass that
// first-touches fresh memory shows here even where this machine's page faults happen to be cheap.
// Construct it right before the timed loop; it reports when it goes out of scope.

#include "engine/core/MemoryPolicy.h"

#include <benchmark/benchmark.h>

class PageFaultsPerIteration
{
public:
    explicit PageFaultsPerIteration(benchmark::State& state)
        : m_state(state)
        , m_start(fcs::minorPageFaults())
    {
    }
    ~PageFaultsPerIteration()
    {
        m_state.counters["minflt_per_iter"]
            = benchmark::Counter(double(fcs::minorPageFaults() - m_start), benchmark::Counter::kAvgIterations);
    }
    PageFaultsPerIteration(const PageFaultsPerIteration&) = delete;
    PageFaultsPerIteration& operator=(const PageFaultsPerIteration&) = delete;

private:
    benchmark::State& m_state;
    long m_start;
};
