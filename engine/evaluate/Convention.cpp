#include "engine/evaluate/Convention.h"

#include "engine/core/Error.h"

namespace fcs {

std::string conventionName(Convention convention)
{
    return convention == Convention::Hard ? "hard" : "soft";
}

Convention conventionFromName(const std::string& name)
{
    if (name == "hard")
        return Convention::Hard;
    if (name == "soft")
        return Convention::Soft;
    throw Error(ErrorCode::InvalidArgument, "Unknown explanation convention \"" + name + "\": use hard, soft or both.");
}

} // namespace fcs
