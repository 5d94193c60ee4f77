#pragma once
// One running session per participant code and survey file. An open-file-description lock
// (Linux F_OFD_SETLK) on a byte of the survey file far beyond SQLite's own lock bytes, chosen
// by the code: no lock file to clean up, and the kernel releases it when the process ends,
// however it ends. Torch-free; move-only.

#include <QString>

namespace fcs {

class ParticipantLock
{
public:
    ParticipantLock() = default;
    // Takes the lock, or throws fcs::Error(WriteFailed) saying the code is in use elsewhere.
    static ParticipantLock acquire(const QString& surveyPath, const QString& code);

    ParticipantLock(ParticipantLock&& other) noexcept;
    ParticipantLock& operator=(ParticipantLock&& other) noexcept;
    ~ParticipantLock();
    ParticipantLock(const ParticipantLock&) = delete;
    ParticipantLock& operator=(const ParticipantLock&) = delete;

    bool isHeld() const { return m_fd >= 0; }

private:
    int m_fd = -1;
};

} // namespace fcs
