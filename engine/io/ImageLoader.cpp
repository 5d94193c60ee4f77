#include "io/ImageLoader.h"

#include "core/Error.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>

namespace fcs {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& name, const std::string& what, const std::string& detail = {})
{
    throw Error(ErrorCode::ImageUnreadable, "Cannot read the image \"" + name + "\": " + what, detail);
}

std::uint32_t bigEndian32(const unsigned char* p)
{
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
}

std::uint32_t littleEndian32(const unsigned char* p)
{
    return (std::uint32_t(p[3]) << 24) | (std::uint32_t(p[2]) << 16) | (std::uint32_t(p[1]) << 8) | p[0];
}

bool isJpeg(const std::vector<unsigned char>& b)
{
    return b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF;
}

// Width × height read from the file header, so that an oversized image is refused before
// the decoder allocates it. Only the formats whose header is trivial to read; the others
// are checked after decoding.
std::optional<std::int64_t> headerPixelCount(const std::vector<unsigned char>& b)
{
    static const unsigned char kPng[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (b.size() >= 24 && std::equal(kPng, kPng + 8, b.begin()))
        return std::int64_t(bigEndian32(&b[16])) * bigEndian32(&b[20]);
    if (b.size() >= 26 && b[0] == 'B' && b[1] == 'M')
        return std::int64_t(littleEndian32(&b[18])) * std::abs(std::int32_t(littleEndian32(&b[22])));
    if (isJpeg(b)) {
        // Walk the marker segments up to the first start-of-frame (SOF0..SOF15 but DHT, JPG, DAC).
        std::size_t i = 2;
        while (i + 9 < b.size() && b[i] == 0xFF) {
            const unsigned char marker = b[i + 1];
            const std::size_t length = (std::size_t(b[i + 2]) << 8) | b[i + 3];
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                const std::int64_t height = (b[i + 5] << 8) | b[i + 6];
                const std::int64_t width = (b[i + 7] << 8) | b[i + 8];
                return width * height;
            }
            i += 2 + length;
        }
    }
    return std::nullopt;
}

// libjpeg fills a truncated file with grey and only warns; a complete JPEG ends with the
// EOI marker (possibly followed by a little padding or metadata), so look for it near the end.
bool jpegLooksComplete(const std::vector<unsigned char>& b)
{
    const std::size_t start = b.size() > 4096 ? b.size() - 4096 : 0;
    for (std::size_t i = b.size() - 1; i > start; --i)
        if (b[i - 1] == 0xFF && b[i] == 0xD9)
            return true;
    return false;
}

cv::Mat toEightBit(const cv::Mat& image)
{
    switch (image.depth()) {
    case CV_8U:
        return image;
    case CV_8S:
    case CV_16S:
    case CV_32S:
        break;
    case CV_16U: {
        cv::Mat out;
        image.convertTo(out, CV_8U, 1.0 / 257.0);
        return out;
    }
    case CV_32F:
    case CV_64F: {
        // Floating-point TIFF/EXR: take [0,1] as black..white, as image viewers do.
        cv::Mat out;
        image.convertTo(out, CV_8U, 255.0);
        return out;
    }
    }
    cv::Mat out;
    double lo = 0, hi = 0;
    cv::minMaxLoc(image.reshape(1), &lo, &hi);
    image.convertTo(out, CV_8U, hi > lo ? 255.0 / (hi - lo) : 0.0, hi > lo ? -lo * 255.0 / (hi - lo) : 0.0);
    return out;
}

// OpenCV decodes to BGR(A) or grey; the engine works in RGB.
cv::Mat toRgb(const cv::Mat& image8)
{
    cv::Mat rgb;
    switch (image8.channels()) {
    case 1:
        cv::cvtColor(image8, rgb, cv::COLOR_GRAY2RGB);
        break;
    case 3:
        cv::cvtColor(image8, rgb, cv::COLOR_BGR2RGB);
        break;
    case 4: {
        // Composite over white: transparent regions of icons and cut-outs read as background.
        cv::Mat bgra;
        image8.convertTo(bgra, CV_32F, 1.0 / 255.0);
        std::vector<cv::Mat> planes;
        cv::split(bgra, planes);
        const cv::Mat alpha = planes[3];
        for (int c = 0; c < 3; ++c)
            planes[c] = planes[c].mul(alpha) + (1.0 - alpha);
        cv::Mat bgrFloat;
        cv::merge(std::vector<cv::Mat>(planes.begin(), planes.begin() + 3), bgrFloat);
        cv::Mat bgr;
        bgrFloat.convertTo(bgr, CV_8U, 255.0);
        cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
        break;
    }
    default:
        return {};
    }
    return rgb;
}

} // namespace

cv::Mat decodeImageRgb(const std::vector<unsigned char>& bytes, const std::string& name, const ImageLimits& limits)
{
    if (bytes.empty())
        fail(name, "the file is empty.");
    const auto pixels = headerPixelCount(bytes);
    const auto tooLarge = [&](std::int64_t count) {
        fail(name,
            "it has " + std::to_string(count / 1'000'000) + " megapixels, more than the limit of "
                + std::to_string(limits.maxPixels / 1'000'000) + " megapixels.");
    };
    if (pixels && *pixels > limits.maxPixels)
        tooLarge(*pixels);
    if (isJpeg(bytes) && !jpegLooksComplete(bytes))
        fail(name, "the JPEG data is truncated (the file ends before the image does).");

    cv::Mat decoded;
    try {
        decoded = cv::imdecode(bytes, cv::IMREAD_UNCHANGED | cv::IMREAD_ANYDEPTH);
    } catch (const cv::Exception& e) {
        fail(name, "the decoder failed; the file is corrupt or not a supported image.", e.what());
    }
    if (decoded.empty())
        fail(name, "it is not an image in a supported format (JPEG, PNG, BMP, TIFF, WebP), or its data is corrupt.");
    if (std::int64_t(decoded.total()) > limits.maxPixels)
        tooLarge(std::int64_t(decoded.total()));

    cv::Mat rgb = toRgb(toEightBit(decoded));
    if (rgb.empty())
        fail(
            name, "it has " + std::to_string(decoded.channels()) + " channels; only grey, RGB and RGBA are supported.");
    return rgb;
}

cv::Mat loadImageRgb(const std::string& path, const ImageLimits& limits)
{
    std::error_code ec;
    const fs::path file(path);
    if (!fs::exists(file, ec))
        fail(path, "the file does not exist.");
    if (fs::is_directory(file, ec))
        fail(path, "it is a folder, not a file.");
    const auto size = fs::file_size(file, ec);
    if (ec)
        fail(path, "its size cannot be read.", ec.message());
    if (std::int64_t(size) > limits.maxFileBytes)
        fail(path, "the file is larger than " + std::to_string(limits.maxFileBytes / 1'000'000) + " MB.");

    std::ifstream in(file, std::ios::binary);
    if (!in)
        fail(path, "the file cannot be opened (check its permissions).");
    std::vector<unsigned char> bytes(size);
    if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(size)))
        fail(path, "the file cannot be read.");
    return decodeImageRgb(bytes, path, limits);
}

bool hasImageExtension(const std::string& path)
{
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    static const char* kExtensions[] = {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp"};
    return std::any_of(std::begin(kExtensions), std::end(kExtensions), [&](const char* e) { return ext == e; });
}

} // namespace fcs
