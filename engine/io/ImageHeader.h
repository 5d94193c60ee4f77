#pragma once
// What the first bytes of an image file say before any decoder runs: its format, its size and
// its EXIF orientation, and whether a JPEG reaches its end marker. Read so that an oversized or
// unsupported file is refused before a decoder allocates anything, and so that a phone photo
// is explained the way it is shown. Pure byte parsing, bounds-checked; no Qt, no OpenCV.

#include <cstdint>
#include <string>
#include <vector>

namespace fcs {

enum class ImageFormat { Unknown, Jpeg, Png, Bmp, Tiff, BigTiff, WebP, Pnm };

struct ImageHeader
{
    ImageFormat format = ImageFormat::Unknown;
    std::int64_t width = 0; // 0 when the header is too short or corrupt to say
    std::int64_t height = 0;
    int orientation = 1; // EXIF orientation 1..8 (1: as stored); 1 when absent or invalid
    bool jpegComplete = true; // a JPEG whose markers end before the end-of-image marker: false
};

ImageHeader readImageHeader(const std::vector<unsigned char>& bytes);

std::string formatName(ImageFormat format);

} // namespace fcs
