#include "engine/evaluate/FaithfulnessCurves.h"

#include "engine/core/Error.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace fcs {
namespace {

// Pixel indices, most salient first; equal values in raster order.
std::vector<int> saliencyOrder(const cv::Mat& map)
{
    const cv::Mat values = map.isContinuous() ? map : map.clone();
    const float* v = values.ptr<float>();
    std::vector<int> order(values.total());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [v](int a, int b) { return v[a] > v[b]; });
    return order;
}

std::vector<cv::Mat> curveImages(const cv::Mat& rgb, const cv::Mat& map, int steps, bool deletion)
{
    if (steps < 1)
        throw Error(ErrorCode::InvalidArgument, "A deletion / insertion curve needs at least one step.");
    if (rgb.size() != map.size() || rgb.type() != CV_8UC3 || map.type() != CV_32F)
        throw Error(ErrorCode::Internal, "curveImages: the map and the image differ in size or type.");
    const auto order = saliencyOrder(map);
    const cv::Mat source = rgb.isContinuous() ? rgb : rgb.clone();
    cv::Mat current = deletion ? source.clone() : cv::Mat::zeros(rgb.size(), CV_8UC3);
    std::vector<cv::Mat> images;
    std::size_t done = 0;
    for (int s = 1; s < steps; ++s) {
        const auto upTo = std::size_t(std::lround(double(s) / steps * double(order.size())));
        auto* out = current.ptr<cv::Vec3b>();
        const auto* in = source.ptr<cv::Vec3b>();
        for (; done < upTo; ++done) {
            const int i = order[done];
            out[i] = deletion ? cv::Vec3b(0, 0, 0) : in[i];
        }
        images.push_back(current.clone());
    }
    return images;
}

} // namespace

std::vector<cv::Mat> deletionImages(const cv::Mat& rgb, const cv::Mat& map, int steps)
{
    return curveImages(rgb, map, steps, true);
}

std::vector<cv::Mat> insertionImages(const cv::Mat& rgb, const cv::Mat& map, int steps)
{
    return curveImages(rgb, map, steps, false);
}

double curveAuc(const std::vector<double>& values)
{
    if (values.size() < 2)
        return values.empty() ? 0.0 : values[0];
    const double width = 1.0 / double(values.size() - 1);
    double area = 0;
    for (std::size_t i = 1; i < values.size(); ++i)
        area += (values[i - 1] + values[i]) * 0.5 * width;
    return area;
}

} // namespace fcs
