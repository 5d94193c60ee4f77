#pragma once
// One photo of the gallery: its content hash, its thumbnail, and its explanation's numbers (the
// top-1 prediction, the explanation map's re-classification, a Feature CAM variant's, the
// pointing game where it has boxes), each taken from the cache when there and computed (and
// stored) otherwise. A photo whose results are all cached is not even decoded.
// Torch-free header. One thread at a time.

#include "engine/core/CancelToken.h"
#include "engine/evaluate/ImageSet.h"
#include "engine/gallery/GalleryCache.h"
#include "engine/gallery/GalleryKeys.h"

#include <memory>
#include <optional>
#include <string>

namespace fcs {

class EdgeCache;
class EdgeDetector;
class Explainer;

constexpr int kGalleryThumbnailSide = 128; // pixels, the longest side

struct GalleryItemResult
{
    std::string hash;
    std::optional<GalleryBaseEntry> base; // missing when the photo failed (error)
    std::optional<double> variantConfidence; // with a variant chosen
    std::optional<GalleryPointingEntry> pointing; // where the photo has boxes of its top-1 class
    std::string error; // the photo cannot be read or explained: why
    std::string note; // e.g. boxes refused; the rest is valid
    std::string cacheNote; // why results are kept in memory, not in the cache file ("" normally)
    // What this call had to compute; everything else came from the cache.
    bool hashed = false, thumbnailMade = false, explained = false;
};

class GalleryComputer
{
public:
    // `explainer` and `edges` are the caller's (edges only needed with a variant); `cache` too.
    GalleryComputer(Explainer& explainer, EdgeDetector* edges, GalleryCache& cache, const GallerySettings& settings);
    ~GalleryComputer();

    const GallerySettings& settings() const { return m_settings; }
    // Never throws for a bad photo (error says why); throws fcs::Error(Cancelled) when cancelled.
    GalleryItemResult compute(const EvaluationImage& image, const CancelToken& cancel = CancelToken());

private:
    std::string hashOf(const EvaluationImage& image, bool* computed);

    Explainer& m_explainer;
    EdgeDetector* m_edges;
    GalleryCache& m_cache;
    GallerySettings m_settings;
    std::string m_baseKey, m_variantKey;
    std::unique_ptr<EdgeCache> m_edgeCache;
};

} // namespace fcs
