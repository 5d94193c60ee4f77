#pragma once
// Synthetic images for the built-in demo model: one shape (circle, square, triangle or star) of
// random size, rotation, colour and position on a random textured background. The shape's
// bounding box is known, so a saliency map can be checked against it (the pointing game).
// Deterministic for a seed. Torch-free. One thread at a time per generator.

#include <opencv2/core.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace fcs {

struct ShapeSample
{
    cv::Mat rgb; // RGB8, size × size
    int label = 0; // index into ShapeGenerator::labels()
    cv::Rect box; // the shape's bounding box
};

class ShapeGenerator
{
public:
    explicit ShapeGenerator(std::uint64_t seed, int size = 64);
    ShapeSample next();
    static const std::vector<std::string>& labels(); // circle, square, triangle, star

private:
    cv::Mat background();
    cv::RNG m_rng;
    int m_size;
};

} // namespace fcs
