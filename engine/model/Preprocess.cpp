#include "engine/model/Preprocess.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace fcs {

InputGeometry inputGeometry(cv::Size photo, int height, int width, ResizeMode mode)
{
    if (mode == ResizeMode::Plain)
        return {double(width), double(height), 0, 0};
    // The usual ImageNet evaluation crop: 224 from 256, i.e. a crop fraction of 0.875.
    constexpr double kCropFraction = 0.875;
    const double scale = std::max(height, width) / kCropFraction / std::min(photo.height, photo.width);
    InputGeometry g;
    g.scaledWidth = std::max(double(width), std::round(photo.width * scale));
    g.scaledHeight = std::max(double(height), std::round(photo.height * scale));
    g.offsetX = std::floor((g.scaledWidth - width) / 2);
    g.offsetY = std::floor((g.scaledHeight - height) / 2);
    return g;
}

cv::Mat fitToInput(const cv::Mat& rgb, int height, int width, ResizeMode mode)
{
    cv::Mat out;
    if (mode == ResizeMode::Plain) {
        if (rgb.rows == height && rgb.cols == width)
            return rgb.clone();
        cv::resize(rgb, out, cv::Size(width, height), 0, 0, cv::INTER_LINEAR);
        return out;
    }
    // The scaled image is never made: sampling only the window costs input-size memory, where a
    // 20000×1 photo scaled to a 256-pixel shorter side would take gigabytes.
    const InputGeometry g = inputGeometry(rgb.size(), height, width, mode);
    // cv::resize's bilinear grid: source = (scaled + 0.5) · (source size / scaled size) − 0.5.
    const double ax = rgb.cols / g.scaledWidth, ay = rgb.rows / g.scaledHeight;
    const cv::Matx23d outputToSource(ax, 0, (g.offsetX + 0.5) * ax - 0.5, 0, ay, (g.offsetY + 0.5) * ay - 0.5);
    cv::warpAffine(rgb, out, outputToSource, cv::Size(width, height), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP,
        cv::BORDER_REPLICATE);
    return out;
}

} // namespace fcs
