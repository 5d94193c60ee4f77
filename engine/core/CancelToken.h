#pragma once
// A flag that a newer request (or the user) sets to stop a running job. Any thread may call
// cancel(); the engine polls throwIfCancelled() between expensive steps.

#include "engine/core/Error.h"

#include <atomic>

namespace fcs {

class CancelToken
{
public:
    void cancel() { m_cancelled.store(true, std::memory_order_relaxed); }
    bool isCancelled() const { return m_cancelled.load(std::memory_order_relaxed); }
    void throwIfCancelled() const
    {
        if (isCancelled())
            throw Error(ErrorCode::Cancelled, "The operation was cancelled.");
    }

private:
    std::atomic<bool> m_cancelled{false};
};

} // namespace fcs
