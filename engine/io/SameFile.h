#pragma once
// Outputs that would destroy an input: the same file reached under another name (a symlink, a
// hard link, "./clip.avi" and "clip.avi") is one file, told apart by device and inode.

#include <string>

namespace fcs {

// True when both paths exist and name one file (or folder).
bool isSameFile(const std::string& a, const std::string& b);

// Throws Error(InvalidArgument) naming both when writing `output` would overwrite `input`.
void refuseOutputOverInput(const std::string& output, const std::string& input);

} // namespace fcs
