#pragma once
// Names joined as a sentence says them: "gradcam, gradcampp or cam" (help texts and messages).
// Header-only, torch-free.

#include <string>
#include <vector>

namespace fcs {

inline std::string wordList(const std::vector<std::string>& words, const char* lastJoin = " or ")
{
    std::string text;
    for (std::size_t i = 0; i < words.size(); ++i)
        text += (i == 0 ? "" : i + 1 == words.size() ? lastJoin : ", ") + words[i];
    return text;
}

} // namespace fcs
