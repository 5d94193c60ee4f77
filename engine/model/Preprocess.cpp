#include "model/Preprocess.h"

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
    // The usual ImageNet evaluation crop: 224 from 256, i.e. a crop fraction of 0.875.
    constexpr double kCropFraction = 0.875;
    const double scale = std::max(height, width) / kCropFraction / std::min(rgb.rows, rgb.cols);
    const int scaledW = std::max(width, int(std::lround(rgb.cols * scale)));
    const int scaledH = std::max(height, int(std::lround(rgb.rows * scale)));
    cv::Mat scaled;
    cv::resize(rgb, scaled, cv::Size(scaledW, scaledH), 0, 0, cv::INTER_LINEAR);
    const cv::Rect window((scaledW - width) / 2, (scaledH - height) / 2, width, height);
    return scaled(window).clone();
}

} // namespace fcs
