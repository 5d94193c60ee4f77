// libFuzzer: any bytes through the image loader (header reading, the size limit, decoding,
// EXIF orientation). An fcs::Error is the expected answer to bad bytes; anything else (a crash,
// a sanitizer report, another exception) is a bug.

#include "engine/core/Error.h"
#include "engine/io/ImageHeader.h"
#include "engine/io/ImageLoader.h"

#include <cstddef>
#include <cstdint>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::vector<unsigned char> bytes(data, data + size);
    fcs::readImageHeader(bytes);
    fcs::ImageLimits limits;
    limits.maxPixels = 4'000'000; // keeps each run fast; the parsing paths are the same
    try {
        const cv::Mat rgb = fcs::decodeImageRgb(bytes, "fuzz", limits);
        if (rgb.type() != CV_8UC3 || rgb.empty())
            __builtin_trap(); // the loader's contract: 8-bit RGB or an error
    } catch (const fcs::Error&) {
    }
    return 0;
}
