#pragma once
// Reads an image file of any common format into 8-bit RGB. Every failure is an fcs::Error
// (ImageUnreadable) whose message names the file and says what is wrong. Any thread.

#include <opencv2/core.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace fcs {

struct ImageLimits
{
    std::int64_t maxPixels = 100'000'000; // 100 megapixels
    std::int64_t maxFileBytes = 1'000'000'000; // 1 GB
};

// Returns CV_8UC3 in RGB order. 16-bit samples are scaled to 8 bits, grayscale is replicated
// to three channels, and an alpha channel is composited over white.
cv::Mat loadImageRgb(const std::string& path, const ImageLimits& limits = {});

// The same, from bytes already in memory (`name` is used in messages).
cv::Mat decodeImageRgb(
    const std::vector<unsigned char>& bytes, const std::string& name, const ImageLimits& limits = {});

// Image file extensions the loader accepts when it scans a folder (lower case, with the dot).
bool hasImageExtension(const std::string& path);

} // namespace fcs
