#pragma once
// cv::Mat (RGB8, grey 8-bit) to QImage, always a deep copy so the QImage owns its pixels.

#include <QImage>

#include <opencv2/core.hpp>

namespace fcs {

QImage toQImage(const cv::Mat& image); // CV_8UC3 (RGB) or CV_8UC1; null QImage for anything else

} // namespace fcs
