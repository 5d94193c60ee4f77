#pragma once
// Model-independent saliency maps that every evaluation table carries, so that a reader can tell
// whether a method beats "just edges" or chance: the Sobel gradient magnitude of the image and a
// seeded uniform random map. Both go through the same mask / explanation / metrics path as a
// CAM map. Torch-free. Any thread.

#include <opencv2/core.hpp>

#include <cstdint>
#include <string>

namespace fcs {

// |∇G| of the BT.601 grey image with 3×3 Sobel kernels (replicated border), min–max normalized:
// CV_32F in [0,1], the size of `rgb`.
cv::Mat sobelBaselineMap(const cv::Mat& rgb);

// Uniform [0,1) values, CV_32F. The same (size, seed) gives the same map on every machine.
cv::Mat randomBaselineMap(cv::Size size, std::uint64_t seed);

// A per-image seed: the run's seed mixed with the image's name, so that an image gets the same
// random map whatever its position in the set or whether the run was resumed.
std::uint64_t imageSeed(std::uint64_t runSeed, const std::string& imageName);

} // namespace fcs
