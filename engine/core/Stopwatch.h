#pragma once
// Wall-clock seconds of a stage, for timings shown to users (status bar, evaluate's breakdown).

#include <chrono>

namespace fcs {

class Stopwatch
{
public:
    double seconds() const { return std::chrono::duration<double>(Clock::now() - m_start).count(); }

    // The seconds so far, and starts again: the time of one stage, then of the next.
    double lap()
    {
        const auto now = Clock::now();
        const double elapsed = std::chrono::duration<double>(now - m_start).count();
        m_start = now;
        return elapsed;
    }

private:
    using Clock = std::chrono::steady_clock;
    Clock::time_point m_start = Clock::now();
};

} // namespace fcs
