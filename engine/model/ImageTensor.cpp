#include "engine/model/ImageTensor.h"

#include <cstring>

namespace fcs {

torch::Tensor normalizedBatch(
    const std::vector<cv::Mat>& rgbImages, const std::array<float, 3>& mean, const std::array<float, 3>& std, bool bgr)
{
    CV_Assert(!rgbImages.empty());
    const int h = rgbImages.front().rows, w = rgbImages.front().cols;
    auto batch = torch::empty({int64_t(rgbImages.size()), h, w, 3}, torch::kUInt8);
    for (std::size_t i = 0; i < rgbImages.size(); ++i) {
        const cv::Mat& image = rgbImages[i];
        CV_Assert(image.type() == CV_8UC3 && image.rows == h && image.cols == w);
        const cv::Mat contiguous = image.isContinuous() ? image : image.clone();
        std::memcpy(batch[int64_t(i)].data_ptr(), contiguous.data, std::size_t(h) * w * 3);
    }
    auto x = batch.permute({0, 3, 1, 2}).to(torch::kFloat32).div_(255.0); // [N,3,H,W] in [0,1]
    if (bgr)
        x = x.flip(1);
    const auto meanTensor = torch::tensor(std::vector<float>(mean.begin(), mean.end())).view({1, 3, 1, 1});
    const auto stdTensor = torch::tensor(std::vector<float>(std.begin(), std.end())).view({1, 3, 1, 1});
    return ((x - meanTensor) / stdTensor).contiguous();
}

} // namespace fcs
