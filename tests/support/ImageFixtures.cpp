#include "ImageFixtures.h"

#include <opencv2/imgcodecs.hpp>

#include <stdexcept>
#include <string>

namespace fcs::test {

void put16be(Bytes& b, unsigned v)
{
    b.push_back(uchar(v >> 8));
    b.push_back(uchar(v));
}

void put32be(Bytes& b, std::uint32_t v)
{
    put16be(b, v >> 16);
    put16be(b, v & 0xFFFF);
}

void put32le(Bytes& b, std::uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        b.push_back(uchar(v >> (8 * i)));
}

// A big-endian TIFF block whose IFD0 holds one entry: Orientation (274) = `orientation`.
Bytes exifTiff(int orientation)
{
    Bytes t = {'M', 'M', 0, 42};
    put32be(t, 8); // IFD0 offset
    put16be(t, 1); // one entry
    put16be(t, 274);
    put16be(t, 3); // SHORT
    put32be(t, 1);
    put16be(t, unsigned(orientation));
    put16be(t, 0);
    put32be(t, 0); // no next IFD
    return t;
}

Bytes encode(const char* ext, const cv::Mat& bgr)
{
    Bytes bytes;
    const std::vector<int> params
        = std::string(ext) == ".jpg" ? std::vector<int>{cv::IMWRITE_JPEG_QUALITY, 100} : std::vector<int>{};
    if (!cv::imencode(ext, bgr, bytes, params))
        throw std::runtime_error("imencode failed");
    return bytes;
}

// APP1 "Exif" right after the JPEG's start-of-image marker.
Bytes jpegWithOrientation(const cv::Mat& bgr, int orientation)
{
    Bytes jpeg = encode(".jpg", bgr);
    Bytes app1 = {0xFF, 0xE1};
    const Bytes tiff = exifTiff(orientation);
    put16be(app1, unsigned(2 + 6 + tiff.size()));
    const char exif[6] = {'E', 'x', 'i', 'f', 0, 0};
    app1.insert(app1.end(), exif, exif + 6);
    app1.insert(app1.end(), tiff.begin(), tiff.end());
    jpeg.insert(jpeg.begin() + 2, app1.begin(), app1.end());
    return jpeg;
}

} // namespace fcs::test
