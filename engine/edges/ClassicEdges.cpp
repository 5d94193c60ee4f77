#include "engine/edges/ClassicEdges.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>

namespace fcs {
namespace {

cv::Mat grey(const cv::Mat& rgb)
{
    cv::Mat out;
    cv::cvtColor(rgb, out, cv::COLOR_RGB2GRAY); // BT.601 weights
    return out;
}

double median(const cv::Mat& grey8)
{
    int histogram[256] = {};
    for (int r = 0; r < grey8.rows; ++r)
        for (int c = 0; c < grey8.cols; ++c)
            ++histogram[grey8.at<uchar>(r, c)];
    const long half = long(grey8.total()) / 2;
    long seen = 0;
    for (int v = 0; v < 256; ++v)
        if ((seen += histogram[v]) > half)
            return v;
    return 255;
}

} // namespace

cv::Mat CannyEdges::detect(const cv::Mat& rgb)
{
    cv::Mat blurred;
    cv::GaussianBlur(grey(rgb), blurred, cv::Size(5, 5), 0);
    // Thresholds at 0.67 and 1.33 times the median keep the detector usable on dark and bright
    // photos alike, where fixed thresholds find nothing or everything.
    const double m = median(blurred);
    const double low = std::max(10.0, 0.67 * m), high = std::max(30.0, std::min(255.0, 1.33 * m));
    cv::Mat edges;
    cv::Canny(blurred, edges, low, high);
    cv::Mat out;
    edges.convertTo(out, CV_32F, 1.0 / 255.0);
    return out;
}

cv::Mat SobelEdges::detect(const cv::Mat& rgb)
{
    cv::Mat g;
    grey(rgb).convertTo(g, CV_32F, 1.0 / 255.0);
    cv::Mat dx, dy, magnitude;
    cv::Sobel(g, dx, CV_32F, 1, 0, 3);
    cv::Sobel(g, dy, CV_32F, 0, 1, 3);
    cv::magnitude(dx, dy, magnitude);
    double hi = 0;
    cv::minMaxLoc(magnitude, nullptr, &hi);
    if (hi > 0)
        magnitude /= hi;
    return magnitude;
}

} // namespace fcs
