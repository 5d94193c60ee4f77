#include "engine/model/ModelStamp.h"

#include <filesystem>

namespace fcs {
namespace {

std::string fileStamp(const std::string& path)
{
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    const auto modified = std::filesystem::last_write_time(path, error);
    return error ? "?" : std::to_string(size) + "@" + std::to_string(modified.time_since_epoch().count());
}

} // namespace

std::string modelStamp(const Sidecar& sidecar)
{
    return sidecar.modelPath + "|" + fileStamp(sidecar.modelPath) + "|" + fileStamp(sidecar.jsonPath);
}

} // namespace fcs
