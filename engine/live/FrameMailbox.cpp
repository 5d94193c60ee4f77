#include "engine/live/FrameMailbox.h"

#include <algorithm>
#include <chrono>

namespace fcs {

bool FrameMailbox::offer(cv::Mat frame)
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_closed)
            return false;
        ++m_counts.offered;
        if (m_waiting)
            ++m_counts.dropped; // the engine was busy: the older frame is never shown
        m_waiting = std::move(frame);
        m_counts.maxInFlight = std::max(m_counts.maxInFlight, 1 + (m_working ? 1 : 0));
    }
    m_ready.notify_one();
    return true;
}

std::optional<cv::Mat> FrameMailbox::take(int timeoutMs)
{
    std::unique_lock<std::mutex> lock(m_mutex);
    const auto ready = [this]() { return m_waiting.has_value() || m_closed; };
    if (timeoutMs < 0)
        m_ready.wait(lock, ready);
    else if (!m_ready.wait_for(lock, std::chrono::milliseconds(timeoutMs), ready))
        return std::nullopt;
    if (!m_waiting)
        return std::nullopt;
    std::optional<cv::Mat> frame = std::move(m_waiting);
    m_waiting.reset();
    m_working = true;
    ++m_counts.taken;
    return frame;
}

void FrameMailbox::done()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_working = false;
}

void FrameMailbox::close()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_closed = true;
    }
    m_ready.notify_all();
}

MailboxCounts FrameMailbox::counts() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_counts;
}

} // namespace fcs
