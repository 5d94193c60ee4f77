#pragma once
// Image bytes for tests: encoded pictures with an EXIF orientation tag, written by hand so that
// the loader is checked against the EXIF specification, not against another library's reading.

#include <opencv2/core.hpp>

#include <cstdint>
#include <vector>

namespace fcs::test {

using Bytes = std::vector<unsigned char>;

void put16be(Bytes& b, unsigned v);
void put32be(Bytes& b, std::uint32_t v);
void put32le(Bytes& b, std::uint32_t v);

// A big-endian TIFF block whose IFD0 holds one entry: Orientation (274) = `orientation`.
Bytes exifTiff(int orientation);

// cv::imencode of a BGR image (JPEG at quality 100).
Bytes encode(const char* ext, const cv::Mat& bgr);

// A JPEG of `bgr` (as stored) with an APP1 "Exif" segment giving `orientation`.
Bytes jpegWithOrientation(const cv::Mat& bgr, int orientation);

} // namespace fcs::test
