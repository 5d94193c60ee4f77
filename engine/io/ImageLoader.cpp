#include "engine/io/ImageLoader.h"

#include "engine/core/Error.h"
#include "engine/io/ImageHeader.h"
#include "engine/io/Utf8Name.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>

namespace fcs {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& name, const std::string& what, const std::string& detail = {})
{
    throw Error(ErrorCode::ImageUnreadable, "Cannot read the image \"" + name + "\": " + what, detail);
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
        // In 8-bit integers, row by row: a float copy of a 100-megapixel RGBA image is 1.6 GB.
        rgb.create(image8.size(), CV_8UC3);
        for (int y = 0; y < image8.rows; ++y) {
            const auto* in = image8.ptr<cv::Vec4b>(y);
            auto* out = rgb.ptr<cv::Vec3b>(y);
            for (int x = 0; x < image8.cols; ++x) {
                const int alpha = in[x][3];
                for (int c = 0; c < 3; ++c) // BGRA in, RGB out
                    out[x][2 - c] = cv::saturate_cast<uchar>((in[x][c] * alpha + 255 * (255 - alpha) + 127) / 255);
            }
        }
        break;
    }
    default:
        return {};
    }
    return rgb;
}

} // namespace

cv::Mat applyExifOrientation(const cv::Mat& image, int orientation)
{
    // EXIF orientations 5..8 swap width and height: a transpose, then a flip.
    cv::Mat out;
    switch (orientation) {
    case 2:
        cv::flip(image, out, 1);
        return out;
    case 3:
        cv::flip(image, out, -1);
        return out;
    case 4:
        cv::flip(image, out, 0);
        return out;
    case 5:
        cv::transpose(image, out);
        return out;
    case 6:
        cv::rotate(image, out, cv::ROTATE_90_CLOCKWISE);
        return out;
    case 7:
        cv::transpose(image, out);
        cv::flip(out, out, -1);
        return out;
    case 8:
        cv::rotate(image, out, cv::ROTATE_90_COUNTERCLOCKWISE);
        return out;
    default:
        return image;
    }
}

cv::Mat decodeImageRgb(std::vector<unsigned char> bytes, const std::string& name, const ImageLimits& limits)
{
    if (bytes.empty())
        fail(name, "the file is empty.");
    // Only formats whose header we read reach a decoder, so every decode is bounded in size.
    const ImageHeader header = readImageHeader(bytes);
    if (header.format == ImageFormat::Unknown)
        fail(name, "it is not an image in a supported format (JPEG, PNG, BMP, TIFF, WebP, PNM).");
    if (header.format == ImageFormat::BigTiff)
        fail(name, "it is a BigTIFF file, which is not supported; save it as an ordinary TIFF, PNG or JPEG.");
    // Found by fuzzing: when its own decoder rejects a file (libwebp is stricter than a header),
    // OpenCV tries GDAL, which claims anything with a DTED signature at byte 140 and then parses
    // the whole file through a temporary copy. GDAL is not a decoder we vet: never let it run.
    if (bytes.size() >= 144 && std::equal(bytes.begin() + 140, bytes.begin() + 144, "DTED"))
        fail(name, "its " + formatName(header.format) + " data is corrupt.");
    if (header.width <= 0 || header.height <= 0)
        fail(name, "its " + formatName(header.format) + " header is truncated or corrupt (no image size in it).");
    const auto tooLarge = [&](std::int64_t width, std::int64_t height) {
        // In double: each side may be up to 2^32, and their product overflows 64-bit integers.
        const double megapixels = double(width) * double(height) / 1e6;
        fail(name,
            "it is " + std::to_string(width) + " × " + std::to_string(height) + " pixels ("
                + std::to_string(std::llround(std::ceil(megapixels))) + " megapixels), more than the limit of "
                + std::to_string(limits.maxPixels / 1'000'000) + " megapixels.");
    };
    if (double(header.width) * double(header.height) > double(limits.maxPixels))
        tooLarge(header.width, header.height);
    if (header.format == ImageFormat::Jpeg && !header.jpegComplete)
        fail(name, "the JPEG data is truncated (the file ends before the image does).");

    cv::Mat decoded;
    try {
        decoded = cv::imdecode(bytes, cv::IMREAD_UNCHANGED | cv::IMREAD_ANYDEPTH);
    } catch (const cv::Exception& e) {
        fail(name, "the decoder failed; the file is corrupt or not a supported image.", e.what());
    }
    std::vector<unsigned char>().swap(bytes); // the file's bytes are not needed past this point
    if (decoded.empty())
        fail(name, "its " + formatName(header.format) + " data is corrupt or uses a variant the decoder cannot read.");
    if (std::int64_t(decoded.total()) > limits.maxPixels)
        tooLarge(decoded.cols, decoded.rows);

    // Each stage's input is released as soon as the next exists: a 100-megapixel 16-bit RGBA
    // PNG is 800 MB decoded, and three copies of it would blow the memory budget.
    const int channels = decoded.channels();
    cv::Mat eightBit = toEightBit(decoded);
    decoded.release();
    cv::Mat rgb = toRgb(eightBit);
    eightBit.release();
    if (rgb.empty())
        fail(name, "it has " + std::to_string(channels) + " channels; only grey, RGB and RGBA are supported.");
    // IMREAD_UNCHANGED skips OpenCV's EXIF handling for JPEG, PNG and WebP; its TIFF decoder
    // (libtiff) orients by itself. The user sees the image upright, so the model must too.
    return header.format == ImageFormat::Tiff ? rgb : applyExifOrientation(rgb, header.orientation);
}

cv::Mat loadImageRgb(const std::string& path, const ImageLimits& limits)
{
    std::error_code ec;
    const fs::path file(path);
    if (!fs::exists(file, ec))
        fail(path, "the file does not exist." + lostBytesHint(path));
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
    return decodeImageRgb(std::move(bytes), path, limits);
}

bool hasImageExtension(const std::string& path)
{
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    static const char* kExtensions[]
        = {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp", ".ppm", ".pgm", ".pnm"};
    return std::any_of(std::begin(kExtensions), std::end(kExtensions), [&](const char* e) { return ext == e; });
}

} // namespace fcs
