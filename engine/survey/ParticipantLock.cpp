#include "engine/survey/ParticipantLock.h"

#include "engine/core/Error.h"

#include <QCryptographicHash>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace fcs {
namespace {

// SQLite locks bytes from 1 GiB up to 1 GiB + 512; participants' bytes start at 1 TiB.
constexpr off_t kFirstParticipantByte = off_t(1) << 40;

off_t lockByteFor(const QString& code)
{
    const QByteArray hash = QCryptographicHash::hash(code.toUtf8(), QCryptographicHash::Sha256);
    std::uint32_t value = 0;
    std::memcpy(&value, hash.constData(), sizeof value);
    return kFirstParticipantByte + off_t(value);
}

} // namespace

ParticipantLock ParticipantLock::acquire(const QString& surveyPath, const QString& code)
{
    const int fd = ::open(surveyPath.toLocal8Bit().constData(), O_RDWR | O_CLOEXEC);
    if (fd < 0)
        throw Error(ErrorCode::WriteFailed,
            "Cannot open \"" + surveyPath.toStdString() + "\" for writing: " + std::strerror(errno)
                + ". Answers are saved into the survey file: copy it to a folder you can write to.");
    struct flock lock = {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    lock.l_start = lockByteFor(code);
    lock.l_len = 1;
    if (::fcntl(fd, F_OFD_SETLK, &lock) != 0) {
        const int error = errno;
        ::close(fd);
        if (error == EAGAIN || error == EACCES)
            throw Error(ErrorCode::WriteFailed,
                "The participant code \"" + code.toStdString()
                    + "\" is in use in another survey window on this machine. Close that window first, or "
                      "type another code.");
        throw Error(ErrorCode::WriteFailed, "Cannot lock the survey file: " + std::string(std::strerror(error)) + ".");
    }
    ParticipantLock held;
    held.m_fd = fd;
    return held;
}

ParticipantLock::ParticipantLock(ParticipantLock&& other) noexcept
    : m_fd(other.m_fd)
{
    other.m_fd = -1;
}

ParticipantLock& ParticipantLock::operator=(ParticipantLock&& other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = other.m_fd;
        other.m_fd = -1;
    }
    return *this;
}

ParticipantLock::~ParticipantLock()
{
    if (m_fd >= 0)
        ::close(m_fd); // closing the description releases its lock
}

} // namespace fcs
