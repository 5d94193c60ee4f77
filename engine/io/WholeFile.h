#pragma once
// A whole file's bytes, for the small text files the engine reads at once (image lists, run
// records, scripts). Any thread.

#include <filesystem>
#include <optional>
#include <string>

namespace fcs {

// Empty when the file cannot be opened or read.
std::optional<std::string> readWholeFile(const std::filesystem::path& path);

} // namespace fcs
