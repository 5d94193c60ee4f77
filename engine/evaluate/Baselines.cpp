#include "engine/evaluate/Baselines.h"

#include "engine/featurecam/FeatureCam.h"

#include <opencv2/imgproc.hpp>

namespace fcs {

cv::Mat sobelBaselineMap(const cv::Mat& rgb)
{
    const cv::Mat grey = greyIntensity(rgb);
    cv::Mat dx, dy, magnitude;
    cv::Sobel(grey, dx, CV_32F, 1, 0, 3, 1, 0, cv::BORDER_REPLICATE);
    cv::Sobel(grey, dy, CV_32F, 0, 1, 3, 1, 0, cv::BORDER_REPLICATE);
    cv::magnitude(dx, dy, magnitude);
    return minMaxNormalized(magnitude);
}

cv::Mat randomBaselineMap(cv::Size size, std::uint64_t seed)
{
    cv::Mat map(size, CV_32F);
    cv::RNG rng(seed == 0 ? 1 : seed); // cv::RNG maps 0 to a fixed state; keep seeds distinct
    rng.fill(map, cv::RNG::UNIFORM, 0.0, 1.0);
    return map;
}

std::uint64_t imageSeed(std::uint64_t runSeed, const std::string& imageName)
{
    std::uint64_t hash = 1469598103934665603ull ^ runSeed; // FNV-1a
    for (unsigned char c : imageName) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    return hash;
}

} // namespace fcs
