#pragma once
// Reads an image file of any common format into 8-bit RGB. Every failure is an fcs::Error
// (ImageUnreadable) whose message names the file and says what is wrong. Any thread.

#include "engine/core/Limits.h"

#include <opencv2/core.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace fcs {

struct ImageLimits
{
    std::int64_t maxPixels = limits::kMaxImagePixels;
    std::int64_t maxFileBytes = 1'000'000'000; // 1 GB
};

// Returns CV_8UC3 in RGB order. 16-bit samples are scaled to 8 bits, grayscale is replicated
// to three channels, an alpha channel is composited over white, and the EXIF orientation is
// applied. Files over the pixel limit, or in a format whose header is not read, are refused
// before decoding. Bytes after a JPEG's end marker (motion photos) are ignored.
cv::Mat loadImageRgb(const std::string& path, const ImageLimits& limits = {});

// The same, from bytes already in memory (`name` is used in messages).
cv::Mat decodeImageRgb(std::vector<unsigned char> bytes, const std::string& name, const ImageLimits& limits = {});

// The image as a viewer shows it, given the EXIF orientation (1..8) of how it is stored.
cv::Mat applyExifOrientation(const cv::Mat& image, int orientation);

// Image file extensions the loader accepts when it scans a folder (lower case, with the dot).
bool hasImageExtension(const std::string& path);

} // namespace fcs
