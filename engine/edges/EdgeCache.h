#pragma once
// Edge maps are the slowest step after the CNN (PiDiNet: ~0.4 s at 224×224 on one core), so each
// is computed once per image content, detector and size limit. The detector runs on the image at
// its own resolution, shrunk only when its longer side exceeds maxSide (as the reference maps
// were made: those photos are all <= 500 px). Not thread-safe: one thread at a time.

#include "engine/edges/EdgeDetector.h"

#include <cstdint>
#include <list>

namespace fcs {

class EdgeCache
{
public:
    explicit EdgeCache(std::size_t capacity = 8)
        : m_capacity(capacity)
    {
    }

    // CV_32F edge map at the resolution the detector ran at.
    cv::Mat edges(EdgeDetector& detector, const cv::Mat& rgb, int maxSide = 512);

    std::size_t computations() const { return m_computations; } // cache misses so far

private:
    struct Entry
    {
        std::uint64_t imageHash;
        cv::Size imageSize;
        std::string detector;
        int maxSide;
        cv::Mat edges;
    };
    std::size_t m_capacity;
    std::size_t m_computations = 0;
    std::list<Entry> m_entries; // most recent first
};

// 64-bit FNV-1a over the pixels (and size) of an image: the cache's key.
std::uint64_t imageContentHash(const cv::Mat& image);

} // namespace fcs
