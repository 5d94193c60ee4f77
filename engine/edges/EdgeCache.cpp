#include "engine/edges/EdgeCache.h"

#include "engine/core/Limits.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace fcs {

std::uint64_t imageContentHash(const cv::Mat& image)
{
    std::uint64_t hash = 1469598103934665603ULL;
    const auto mix = [&hash](const unsigned char* data, std::size_t length) {
        for (std::size_t i = 0; i < length; ++i)
            hash = (hash ^ data[i]) * 1099511628211ULL;
    };
    const int header[3] = {image.rows, image.cols, image.type()};
    mix(reinterpret_cast<const unsigned char*>(header), sizeof header);
    for (int r = 0; r < image.rows; ++r)
        mix(image.ptr(r), image.cols * image.elemSize());
    return hash;
}

cv::Mat EdgeCache::edges(EdgeDetector& detector, const cv::Mat& rgb, int maxSide)
{
    if (maxSide <= 0 || maxSide > limits::kMaxEdgeSide)
        maxSide = limits::kMaxEdgeSide; // PiDiNet's memory grows with the area it runs at
    const std::uint64_t hash = imageContentHash(rgb);
    const std::string id = detector.id();
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
        if (it->imageHash == hash && it->imageSize == rgb.size() && it->detector == id && it->maxSide == maxSide) {
            m_entries.splice(m_entries.begin(), m_entries, it);
            return m_entries.front().edges;
        }
    }
    cv::Mat input = rgb;
    const int longer = std::max(rgb.rows, rgb.cols);
    if (maxSide > 0 && longer > maxSide) {
        const double scale = double(maxSide) / longer;
        const cv::Size size(
            std::max(1, int(std::lround(rgb.cols * scale))), std::max(1, int(std::lround(rgb.rows * scale))));
        cv::resize(rgb, input, size, 0, 0, cv::INTER_AREA);
    }
    cv::Mat result = detector.detect(input);
    ++m_computations;
    m_entries.push_front({hash, rgb.size(), id, maxSide, result});
    if (m_entries.size() > m_capacity)
        m_entries.pop_back();
    return result;
}

} // namespace fcs
