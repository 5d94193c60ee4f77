#pragma once
// Writes a whole file or nothing: the bytes go to a temporary file beside the target, are
// synced to disk, and replace the target in one rename. A full disk or a missing permission is
// an fcs::Error(WriteFailed) naming the file; the target is then left as it was. Any thread.

#include <opencv2/core.hpp>

#include <cstddef>
#include <functional>
#include <string>

namespace fcs {

void writeFileAtomically(const std::string& path, const std::string& bytes);

// The same for a file too large to hold as one string: pieces 0 … count−1, in order.
void writePiecesAtomically(
    const std::string& path, std::size_t count, const std::function<std::string(std::size_t)>& piece);

// An 8-bit RGB or grey, or 16-bit grey, image as PNG, through writeFileAtomically.
void writePngAtomically(const std::string& path, const cv::Mat& image);

} // namespace fcs
