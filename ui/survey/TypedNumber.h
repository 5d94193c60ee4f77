#pragma once
// An answer typed as digits, for scales and pools that reach 10 or more (a pool of 12 photos, a
// rating from 0 to 10): a digit that could begin a longer valid number waits for the next digit,
// for Enter or for a pause; a digit that cannot is the answer at once. With answers up to 9
// every digit is the answer at once, as before. A digit that would make no valid answer is ignored.

#include <optional>

namespace fcs {

class TypedNumber
{
public:
    TypedNumber(int lowest, int highest);

    // The answer, when this digit completes one.
    std::optional<int> digit(int value);
    // Enter or a pause: the digits typed so far, as the answer (none when nothing waits).
    std::optional<int> finish();
    // What waits for a second digit (for the screen: "1…"); none when nothing waits.
    std::optional<int> pending() const { return m_pending; }
    void clear() { m_pending.reset(); }

private:
    int m_lowest;
    int m_highest;
    std::optional<int> m_pending;
};

} // namespace fcs
