#include "core/Error.h"

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

int exitCodeFor(ErrorCode code)
{
    return code == ErrorCode::Cancelled ? 130 : 1;
}

} // namespace fcs
