#include "engine/demo/ShapeGenerator.h"

#include <opencv2/imgproc.hpp>

#include <cmath>

namespace fcs {
namespace {

constexpr double kPi = 3.14159265358979323846;

// Vertices of a regular polygon (or a star: alternating outer and inner radius).
std::vector<cv::Point> polygon(cv::Point2d centre, double radius, int corners, double angle, double innerRatio)
{
    std::vector<cv::Point> points;
    const int count = innerRatio > 0 ? corners * 2 : corners;
    for (int i = 0; i < count; ++i) {
        const double r = (innerRatio > 0 && i % 2 == 1) ? radius * innerRatio : radius;
        const double a = angle + 2 * kPi * i / count;
        points.emplace_back(int(std::lround(centre.x + r * std::cos(a))), int(std::lround(centre.y + r * std::sin(a))));
    }
    return points;
}

double luminance(const cv::Scalar& c)
{
    return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
}

} // namespace

ShapeGenerator::ShapeGenerator(std::uint64_t seed, int size)
    : m_rng(seed)
    , m_size(size)
{
}

const std::vector<std::string>& ShapeGenerator::labels()
{
    static const std::vector<std::string> kLabels = {"circle", "square", "triangle", "star"};
    return kLabels;
}

cv::Mat ShapeGenerator::background()
{
    // A random base colour, a coarse blotchy texture and fine grain.
    const cv::Scalar base(m_rng.uniform(40, 216), m_rng.uniform(40, 216), m_rng.uniform(40, 216));
    cv::Mat coarse(4 + m_rng.uniform(0, 5), 4 + m_rng.uniform(0, 5), CV_32FC3);
    m_rng.fill(coarse, cv::RNG::UNIFORM, -25, 25);
    cv::resize(coarse, coarse, cv::Size(m_size, m_size), 0, 0, cv::INTER_CUBIC);
    cv::Mat grain(m_size, m_size, CV_32FC3);
    m_rng.fill(grain, cv::RNG::NORMAL, 0, 5);
    cv::Mat texture = coarse + grain + base;
    cv::Mat out;
    texture.convertTo(out, CV_8UC3);
    return out;
}

ShapeSample ShapeGenerator::next()
{
    ShapeSample sample;
    sample.rgb = background();
    sample.label = m_rng.uniform(0, int(labels().size()));
    const double radius = m_rng.uniform(0.14, 0.28) * m_size;
    const cv::Point2d centre(
        m_rng.uniform(radius + 1, m_size - radius - 1), m_rng.uniform(radius + 1, m_size - radius - 1));
    const cv::Scalar backgroundColour = cv::mean(sample.rgb);
    cv::Scalar colour;
    do { // a colour that stands out from the background
        colour = cv::Scalar(m_rng.uniform(0, 256), m_rng.uniform(0, 256), m_rng.uniform(0, 256));
    } while (std::abs(luminance(colour) - luminance(backgroundColour)) < 70);
    const double angle = m_rng.uniform(0.0, 2 * kPi);

    std::vector<cv::Point> points;
    switch (sample.label) {
    case 0:
        cv::circle(sample.rgb, centre, int(std::lround(radius)), colour, cv::FILLED, cv::LINE_AA);
        sample.box = cv::Rect(cv::Point(int(centre.x - radius), int(centre.y - radius)),
            cv::Point(int(std::ceil(centre.x + radius)) + 1, int(std::ceil(centre.y + radius)) + 1));
        break;
    case 1:
        points = polygon(centre, radius, 4, angle, 0);
        break;
    case 2:
        points = polygon(centre, radius, 3, angle, 0);
        break;
    default:
        points = polygon(centre, radius * 1.15, 5, angle, 0.45);
        break;
    }
    if (!points.empty()) {
        cv::fillPoly(sample.rgb, std::vector<std::vector<cv::Point>>{points}, colour, cv::LINE_AA);
        sample.box = cv::boundingRect(points);
    }
    sample.box &= cv::Rect(0, 0, m_size, m_size);
    return sample;
}

} // namespace fcs
