#include "ui/survey/TypedNumber.h"

namespace fcs {

TypedNumber::TypedNumber(int lowest, int highest)
    : m_lowest(lowest)
    , m_highest(highest)
{
}

std::optional<int> TypedNumber::digit(int value)
{
    const int number = m_pending ? *m_pending * 10 + value : value;
    if (number > m_highest || (!m_pending && number < m_lowest && number * 10 > m_highest))
        return std::nullopt; // no valid answer starts or goes on this way
    if (number != 0 && number * 10 <= m_highest) { // "1" of 1–12 may become 10, 11 or 12
        m_pending = number;
        return std::nullopt;
    }
    m_pending.reset();
    if (number < m_lowest)
        return std::nullopt;
    return number;
}

std::optional<int> TypedNumber::finish()
{
    const auto number = m_pending;
    m_pending.reset();
    if (number && *number >= m_lowest && *number <= m_highest)
        return number;
    return std::nullopt;
}

} // namespace fcs
