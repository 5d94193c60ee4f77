#pragma once
// Comparing two maps of the same size: Pearson's r over their pixels (1 = the same map up to
// brightness and contrast, the measure the reference tests state their thresholds in).

#include <opencv2/core.hpp>

#include <cmath>

namespace fcs::test {

inline double pearson(const cv::Mat& a, const cv::Mat& b)
{
    cv::Mat x, y;
    a.convertTo(x, CV_64F);
    b.convertTo(y, CV_64F);
    x -= cv::mean(x)[0];
    y -= cv::mean(y)[0];
    return x.dot(y) / std::sqrt(x.dot(x) * y.dot(y));
}

} // namespace fcs::test
