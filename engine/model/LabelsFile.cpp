#include "engine/model/LabelsFile.h"

#include <sstream>

namespace fcs {

std::vector<std::string> parseLabelLines(const std::string& text)
{
    std::vector<std::string> labels;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        labels.push_back(line);
    }
    while (!labels.empty() && labels.back().empty())
        labels.pop_back();
    return labels;
}

} // namespace fcs
