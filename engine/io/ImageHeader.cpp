#include "engine/io/ImageHeader.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

namespace fcs {
namespace {

using Bytes = std::vector<unsigned char>;

// Bounds-checked reads: every offset comes from the file, so none is trusted.
struct Reader
{
    const unsigned char* data;
    std::size_t size;
    bool bigEndian = false;

    bool has(std::size_t offset, std::size_t count) const { return offset <= size && count <= size - offset; }
    std::uint32_t u8(std::size_t at) const { return has(at, 1) ? data[at] : 0; }
    std::uint32_t u16(std::size_t at) const
    {
        if (!has(at, 2))
            return 0;
        return bigEndian ? (data[at] << 8) | data[at + 1] : (data[at + 1] << 8) | data[at];
    }
    std::uint32_t u32(std::size_t at) const
    {
        if (!has(at, 4))
            return 0;
        return bigEndian ? (std::uint32_t(u16(at)) << 16) | u16(at + 2) : (std::uint32_t(u16(at + 2)) << 16) | u16(at);
    }
    std::uint32_t u24le(std::size_t at) const
    {
        return has(at, 3) ? data[at] | (data[at + 1] << 8) | (data[at + 2] << 16) : 0;
    }
    bool tagAt(std::size_t at, const char* tag) const
    {
        const std::size_t n = std::strlen(tag);
        return has(at, n) && std::memcmp(data + at, tag, n) == 0;
    }
};

// A TIFF structure (a TIFF file, or the EXIF block of JPEG, PNG and WebP): reads IFD0's
// width (256), height (257) and orientation (274). `tiff` starts at the byte order mark.
struct TiffFields
{
    bool valid = false;
    bool big = false;
    std::int64_t width = 0, height = 0;
    int orientation = 1;
};

TiffFields readTiffFields(const unsigned char* tiff, std::size_t size)
{
    TiffFields out;
    Reader r{tiff, size};
    if (r.tagAt(0, "MM"))
        r.bigEndian = true;
    else if (!r.tagAt(0, "II"))
        return out;
    const std::uint32_t magic = r.u16(2);
    if (magic == 43) {
        out.big = true; // BigTIFF: 64-bit offsets; reported, not parsed
        return out;
    }
    if (magic != 42)
        return out;
    out.valid = true;
    const std::size_t ifd = r.u32(4);
    const std::uint32_t entries = r.u16(ifd);
    for (std::uint32_t i = 0; i < entries; ++i) {
        const std::size_t entry = ifd + 2 + std::size_t(i) * 12;
        if (!r.has(entry, 12))
            break;
        const std::uint32_t tag = r.u16(entry);
        const std::uint32_t type = r.u16(entry + 2);
        // SHORT (3) or LONG (4), one value, stored in the entry itself.
        const std::uint32_t value = type == 3 ? r.u16(entry + 8) : type == 4 ? r.u32(entry + 8) : 0;
        if (tag == 256)
            out.width = value;
        else if (tag == 257)
            out.height = value;
        else if (tag == 274 && type == 3 && value >= 1 && value <= 8)
            out.orientation = int(value);
    }
    return out;
}

int exifOrientation(const unsigned char* block, std::size_t size)
{
    // JPEG's APP1 and some WebP writers put "Exif\0\0" before the TIFF header; PNG's eXIf does not.
    if (size >= 6 && std::memcmp(block, "Exif\0\0", 6) == 0) {
        block += 6;
        size -= 6;
    }
    return readTiffFields(block, size).orientation;
}

bool isStandaloneMarker(unsigned char marker)
{
    return marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7); // TEM, RST0..7
}

bool isStartOfFrame(unsigned char marker)
{
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

// Walks the marker segments of a JPEG: the frame size, APP1's EXIF orientation, and whether
// the end-of-image marker is reached. Whatever follows it (a motion photo's video, a second
// picture of MPF) is ignored, as every viewer does.
void readJpeg(const Reader& r, ImageHeader& header)
{
    header.jpegComplete = false;
    std::size_t i = 2;
    while (i < r.size) {
        if (r.data[i] != 0xFF) { // stray bytes between segments: libjpeg skips them too
            ++i;
            continue;
        }
        while (i < r.size && r.data[i] == 0xFF) // fill bytes
            ++i;
        if (i >= r.size)
            return;
        const unsigned char marker = r.data[i];
        const std::size_t segment = i + 1; // the length field
        if (marker == 0xD9) {
            header.jpegComplete = true;
            return;
        }
        if (isStandaloneMarker(marker) || marker == 0x00) {
            ++i;
            continue;
        }
        const std::size_t length = r.u16(segment);
        if (length < 2 || !r.has(segment, length))
            return; // the file ends inside a segment
        if (isStartOfFrame(marker) && header.width == 0) {
            header.height = r.u16(segment + 3);
            header.width = r.u16(segment + 5);
        }
        if (marker == 0xE1 && header.orientation == 1 && r.tagAt(segment + 2, "Exif"))
            header.orientation = exifOrientation(r.data + segment + 2, length - 2);
        i = segment + length;
        if (marker == 0xDA) { // start of scan: entropy-coded data up to the next real marker
            while (i + 1 < r.size
                && !(r.data[i] == 0xFF && r.data[i + 1] != 0x00 && r.data[i + 1] != 0xFF
                    && !isStandaloneMarker(r.data[i + 1])))
                ++i;
            if (i + 1 >= r.size)
                return;
        }
    }
}

void readPng(const Reader& r, ImageHeader& header)
{
    if (r.tagAt(12, "IHDR")) {
        header.width = r.u32(16);
        header.height = r.u32(20);
    }
    for (std::size_t chunk = 8; r.has(chunk, 12);) {
        const std::size_t length = r.u32(chunk);
        if (r.tagAt(chunk + 4, "eXIf") && r.has(chunk + 8, length)) {
            header.orientation = exifOrientation(r.data + chunk + 8, length);
            return;
        }
        if (r.tagAt(chunk + 4, "IEND") || length > r.size)
            return;
        chunk += 12 + length;
    }
}

void readBmp(const Reader& r, ImageHeader& header)
{
    const std::uint32_t infoSize = r.u32(14);
    if (infoSize == 12) { // BITMAPCOREHEADER: 16-bit sizes
        header.width = r.u16(18);
        header.height = r.u16(20);
        return;
    }
    const auto width = std::int32_t(r.u32(18));
    const auto height = std::int32_t(r.u32(22)); // negative: stored top-down
    header.width = width > 0 ? width : 0;
    header.height = std::abs(std::int64_t(height));
}

void readWebP(const Reader& r, ImageHeader& header)
{
    for (std::size_t chunk = 12; r.has(chunk, 8);) {
        const std::size_t size = r.u32(chunk + 4);
        const std::size_t data = chunk + 8;
        if (r.tagAt(chunk, "VP8X")) {
            header.width = std::int64_t(r.u24le(data + 4)) + 1;
            header.height = std::int64_t(r.u24le(data + 7)) + 1;
        } else if (r.tagAt(chunk, "VP8 ") && header.width == 0 && r.has(data, 10)) {
            header.width = r.u16(data + 6) & 0x3FFF;
            header.height = r.u16(data + 8) & 0x3FFF;
        } else if (r.tagAt(chunk, "VP8L") && header.width == 0 && r.has(data, 5)) {
            const std::uint32_t bits = r.u32(data + 1);
            header.width = (bits & 0x3FFF) + 1;
            header.height = ((bits >> 14) & 0x3FFF) + 1;
        } else if (r.tagAt(chunk, "EXIF") && r.has(data, size)) {
            header.orientation = exifOrientation(r.data + data, size);
        }
        if (size > r.size)
            return;
        chunk = data + size + (size & 1); // chunks are padded to an even size
    }
}

// Netpbm (P1..P6, what scripts write without an imaging library): magic, then width and
// height as ASCII numbers, with whitespace and #-comments between them.
void readPnm(const Reader& r, ImageHeader& header)
{
    std::size_t i = 2;
    std::int64_t sides[2] = {0, 0};
    for (auto& side : sides) {
        while (i < r.size && (std::isspace(r.data[i]) || r.data[i] == '#')) {
            if (r.data[i] == '#')
                while (i < r.size && r.data[i] != '\n')
                    ++i;
            else
                ++i;
        }
        std::size_t digits = 0;
        for (; i < r.size && std::isdigit(r.data[i]) && digits < 10; ++i, ++digits)
            side = side * 10 + (r.data[i] - '0');
        if (digits == 0 || digits == 10)
            return; // no number, or one no image could have
    }
    header.width = sides[0];
    header.height = sides[1];
}

} // namespace

ImageHeader readImageHeader(const std::vector<unsigned char>& bytes)
{
    ImageHeader header;
    const Reader r{bytes.data(), bytes.size()}; // little-endian, as BMP and WebP are
    static const unsigned char kPng[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (r.has(0, 3) && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) {
        header.format = ImageFormat::Jpeg;
        Reader big = r;
        big.bigEndian = true;
        readJpeg(big, header);
    } else if (r.has(0, 8) && std::equal(kPng, kPng + 8, bytes.begin())) {
        header.format = ImageFormat::Png;
        Reader big = r;
        big.bigEndian = true;
        readPng(big, header);
    } else if (r.tagAt(0, "BM")) {
        header.format = ImageFormat::Bmp;
        readBmp(r, header);
    } else if (r.tagAt(0, "RIFF") && r.tagAt(8, "WEBP") && r.tagAt(12, "VP8")) {
        // Only what OpenCV's WebP decoder claims (a VP8/VP8L/VP8X chunk first): other bytes
        // would fall through to a decoder we do not vet.
        header.format = ImageFormat::WebP;
        readWebP(r, header);
    } else if (r.has(0, 3) && bytes[0] == 'P' && bytes[1] >= '1' && bytes[1] <= '6' && std::isspace(bytes[2])) {
        header.format = ImageFormat::Pnm;
        readPnm(r, header);
    } else if (r.tagAt(0, "II") || r.tagAt(0, "MM")) {
        const TiffFields tiff = readTiffFields(bytes.data(), bytes.size());
        if (tiff.big)
            header.format = ImageFormat::BigTiff;
        else if (tiff.valid) {
            header.format = ImageFormat::Tiff;
            header.width = tiff.width;
            header.height = tiff.height;
            header.orientation = tiff.orientation;
        }
    }
    return header;
}

std::string formatName(ImageFormat format)
{
    switch (format) {
    case ImageFormat::Jpeg:
        return "JPEG";
    case ImageFormat::Png:
        return "PNG";
    case ImageFormat::Bmp:
        return "BMP";
    case ImageFormat::Tiff:
        return "TIFF";
    case ImageFormat::BigTiff:
        return "BigTIFF";
    case ImageFormat::WebP:
        return "WebP";
    case ImageFormat::Pnm:
        return "PNM";
    case ImageFormat::Unknown:
        break;
    }
    return "unknown";
}

} // namespace fcs
