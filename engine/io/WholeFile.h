#pragma once
// A whole file's bytes, for the small text files the engine reads at once (image lists, box
// files, run records, per_image.csv, scripts). Any thread.
//
// Only a regular file is read: a pipe would block the reader for ever and a device such as
// /dev/zero would grow without end (issue 25), and nothing larger than kMaxWholeFileBytes.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace fcs {

// Far above the largest file the tools write: an ImageNet-sized per_image.csv of 2 million rows
// with 8-step curves is ~0.5 GB.
inline constexpr std::uintmax_t kMaxWholeFileBytes = std::uintmax_t(2) << 30;

// Empty when the file cannot be read; `whyNot` (when given) then says why in a few words, to
// follow "Cannot read …": "it does not exist", "it is not a regular file", "it is larger than 2 GiB".
std::optional<std::string> readWholeFile(const std::filesystem::path& path, std::string* whyNot = nullptr);

} // namespace fcs
