#pragma once
// Folder names derived from image file names: what `explain` writes under its --out folder.
// A name never escapes that folder: no separators, never empty, ".", ".." or hidden, no
// control characters, at most 100 bytes; and unique within one run.

#include <set>
#include <string>

namespace fcs {

// The stem of `imagePath`, made safe as a single folder name.
std::string safeOutputName(const std::string& imagePath);

// safeOutputName, with "-2", "-3"… appended when `used` already holds it; records the result.
std::string uniqueOutputName(const std::string& imagePath, std::set<std::string>& used);

} // namespace fcs
