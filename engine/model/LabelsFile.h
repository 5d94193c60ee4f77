#pragma once
// A labels file: one class name a line, in the model's output order (CRLF or LF; trailing empty
// lines dropped). Torch-free.

#include <string>
#include <vector>

namespace fcs {

std::vector<std::string> parseLabelLines(const std::string& text);

} // namespace fcs
