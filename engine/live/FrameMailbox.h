#pragma once
// The live view's hand-over from the camera to the engine: one slot, and the newest frame always
// wins. A frame offered while another waits replaces it (that one is dropped, counted), so at most
// two frames are ever in flight — one waiting, one being explained — and memory stays flat however
// fast frames come. Torch-free. Any thread.

#include <opencv2/core.hpp>

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>

namespace fcs {

struct MailboxCounts
{
    std::int64_t offered = 0, dropped = 0, taken = 0;
    int maxInFlight = 0; // the most frames held at once (waiting + being explained)
};

class FrameMailbox
{
public:
    // The producer's side. Returns false once closed.
    bool offer(cv::Mat frame);
    // The consumer's side: waits for a frame (nullopt when closed and empty, or after timeoutMs).
    // The frame counts as in flight until done().
    std::optional<cv::Mat> take(int timeoutMs = -1);
    void done();
    void close(); // wakes the consumer; later offers are refused

    MailboxCounts counts() const;

private:
    mutable std::mutex m_mutex;
    std::condition_variable m_ready;
    std::optional<cv::Mat> m_waiting;
    bool m_working = false;
    bool m_closed = false;
    MailboxCounts m_counts;
};

} // namespace fcs
