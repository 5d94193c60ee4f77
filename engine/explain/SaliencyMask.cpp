#include "engine/explain/SaliencyMask.h"

#include "engine/core/Error.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace fcs {

float percentile(const cv::Mat& map, double q)
{
    CV_Assert(map.type() == CV_32FC1 && !map.empty());
    std::vector<float> values;
    values.reserve(map.total());
    for (int r = 0; r < map.rows; ++r)
        values.insert(values.end(), map.ptr<float>(r), map.ptr<float>(r) + map.cols);
    const double position = q / 100.0 * double(values.size() - 1);
    const auto lower = std::size_t(std::floor(position));
    const auto upper = std::min(lower + 1, values.size() - 1);
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(lower), values.end());
    const float lowValue = values[lower];
    if (upper == lower)
        return lowValue;
    const float highValue = *std::min_element(values.begin() + std::ptrdiff_t(lower) + 1, values.end());
    return float(lowValue + (position - double(lower)) * (highValue - lowValue));
}

void checkKeepPercent(double keepPercent)
{
    if (!(keepPercent > 0 && keepPercent <= 100))
        throw Error(ErrorCode::InvalidArgument,
            "The share of pixels the mask keeps must be above 0% and at most 100%; got " + std::to_string(keepPercent)
                + "%.");
}

cv::Mat saliencyMask(const cv::Mat& map, double keepPercent)
{
    checkKeepPercent(keepPercent);
    if (keepPercent >= 100)
        return cv::Mat(map.size(), CV_8U, cv::Scalar(255));
    const float threshold = percentile(map, 100.0 - keepPercent);
    cv::Mat mask = map > threshold; // CV_8U, 255 where true
    return mask;
}

cv::Mat explanationImage(const cv::Mat& rgb, const cv::Mat& mask)
{
    CV_Assert(rgb.size() == mask.size() && mask.type() == CV_8U);
    cv::Mat out(rgb.size(), rgb.type(), cv::Scalar::all(0));
    rgb.copyTo(out, mask);
    return out;
}

cv::Mat softExplanationImage(const cv::Mat& rgb, const cv::Mat& map)
{
    CV_Assert(rgb.size() == map.size() && rgb.type() == CV_8UC3 && map.type() == CV_32F);
    cv::Mat weights, pixels, out;
    cv::merge(std::vector<cv::Mat>(3, map), weights);
    rgb.convertTo(pixels, CV_32FC3);
    cv::multiply(pixels, weights, pixels);
    pixels.convertTo(out, CV_8UC3); // rounds to nearest, saturates
    return out;
}

} // namespace fcs
