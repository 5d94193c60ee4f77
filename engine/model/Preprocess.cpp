#include "engine/model/Preprocess.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace fcs {

cv::Mat fitToInput(const cv::Mat& rgb, int height, int width, ResizeMode mode)
{
    cv::Mat out;
    if (mode == ResizeMode::Plain) {
        if (rgb.rows == height && rgb.cols == width)
            return rgb.clone();
        cv::resize(rgb, out, cv::Size(width, height), 0, 0, cv::INTER_LINEAR);
        return out;
    }
    // The usual ImageNet evaluation crop: 224 from 256, i.e. a crop fraction of 0.875. The
    // scaled image is never made: sampling only the window costs input-size memory, where a
    // 20000×1 photo scaled to a 256-pixel shorter side would take gigabytes.
    constexpr double kCropFraction = 0.875;
    const double scale = std::max(height, width) / kCropFraction / std::min(rgb.rows, rgb.cols);
    const double scaledW = std::max(double(width), std::round(rgb.cols * scale));
    const double scaledH = std::max(double(height), std::round(rgb.rows * scale));
    const double offsetX = std::floor((scaledW - width) / 2), offsetY = std::floor((scaledH - height) / 2);
    // cv::resize's bilinear grid: source = (scaled + 0.5) · (source size / scaled size) − 0.5.
    const double ax = rgb.cols / scaledW, ay = rgb.rows / scaledH;
    const cv::Matx23d outputToSource(ax, 0, (offsetX + 0.5) * ax - 0.5, 0, ay, (offsetY + 0.5) * ay - 0.5);
    cv::warpAffine(rgb, out, outputToSource, cv::Size(width, height), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP,
        cv::BORDER_REPLICATE);
    return out;
}

} // namespace fcs
