#include "ui/widgets/ImageConversion.h"

namespace fcs {

QImage toQImage(const cv::Mat& image)
{
    if (image.empty())
        return {};
    if (image.type() == CV_8UC3)
        return QImage(image.data, image.cols, image.rows, int(image.step), QImage::Format_RGB888).copy();
    if (image.type() == CV_8UC1)
        return QImage(image.data, image.cols, image.rows, int(image.step), QImage::Format_Grayscale8).copy();
    return {};
}

} // namespace fcs
