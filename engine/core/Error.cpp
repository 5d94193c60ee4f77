#include "engine/core/Error.h"

namespace fcs {

Error::Error(ErrorCode code, const std::string& userMessage, const std::string& detail)
    : std::runtime_error(detail.empty() ? userMessage : userMessage + " (" + detail + ")")
    , m_code(code)
    , m_userMessage(userMessage)
    , m_detail(detail)
{
}

std::string briefWhat(const std::exception& e)
{
    const std::string text = e.what();
    return text.substr(0, text.find('\n'));
}

ErrorKind errorKind(ErrorCode code)
{
    switch (code) {
    case ErrorCode::ImageUnreadable:
    case ErrorCode::InvalidArgument:
    case ErrorCode::BadData:
        return ErrorKind::BadInput;
    case ErrorCode::ModelNotFound:
    case ErrorCode::BadModel:
    case ErrorCode::BadSidecar:
    case ErrorCode::ContractMismatch:
    case ErrorCode::BadResult:
        return ErrorKind::BadModel;
    case ErrorCode::ReadFailed:
    case ErrorCode::WriteFailed:
        return ErrorKind::Io;
    case ErrorCode::Cancelled:
        return ErrorKind::Cancelled;
    case ErrorCode::Internal:
        return ErrorKind::Internal;
    }
    return ErrorKind::Internal;
}

int exitCodeFor(ErrorCode code)
{
    switch (errorKind(code)) {
    case ErrorKind::BadInput:
    case ErrorKind::BadModel:
    case ErrorKind::Io:
        return 1;
    case ErrorKind::Cancelled:
        return 130;
    case ErrorKind::Internal:
        return 70;
    }
    return 70;
}

std::string errorHeadline(ErrorCode code)
{
    if (code == ErrorCode::ImageUnreadable)
        return "The image cannot be used.";
    switch (errorKind(code)) {
    case ErrorKind::BadInput:
        return "The input cannot be used.";
    case ErrorKind::BadModel:
        return "The model cannot be used.";
    case ErrorKind::Io:
        return "A file cannot be read or written.";
    case ErrorKind::Cancelled:
        return "Stopped.";
    case ErrorKind::Internal:
        return "Something went wrong inside Feature CAM Studio.";
    }
    return {};
}

} // namespace fcs
