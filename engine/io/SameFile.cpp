#include "engine/io/SameFile.h"

#include "engine/core/Error.h"

#include <filesystem>

namespace fcs {

bool isSameFile(const std::string& a, const std::string& b)
{
    std::error_code error;
    const bool same = std::filesystem::equivalent(a, b, error);
    return !error && same;
}

void refuseOutputOverInput(const std::string& output, const std::string& input)
{
    if (isSameFile(output, input))
        throw Error(ErrorCode::InvalidArgument,
            "The output \"" + output + "\" is the input \"" + input
                + "\": writing it would destroy what is being read. Choose another output name.");
}

} // namespace fcs
