#include "engine/catalog/EdgeCatalog.h"

#include "engine/core/Error.h"
#include "engine/model/ModelCatalog.h"

#include <algorithm>
#include <filesystem>

namespace fcs {
namespace {

namespace fs = std::filesystem;

constexpr const char* kHedPrototxt = "deploy.prototxt";
constexpr const char* kHedWeights = "hed_pretrained_bsds.caffemodel";

// Deep edge models in order of preference; others found on the path follow, by id.
const std::vector<std::string>& preferredEdgeModels()
{
    static const std::vector<std::string> kOrder = {"pidinet_tiny", "pidinet"};
    return kOrder;
}

bool hasHedFiles(const fs::path& dir)
{
    std::error_code ignored;
    return fs::is_regular_file(dir / kHedPrototxt, ignored) && fs::is_regular_file(dir / kHedWeights, ignored);
}

} // namespace

EdgeOptions edgeOptionsFor(const std::vector<std::string>& modelDirs)
{
    EdgeOptions options;
    options.modelDirs = modelDirs;
    for (const auto& dir : modelDirs) {
        for (const fs::path& candidate : {fs::path(dir) / "hed", fs::path(dir)}) {
            if (hasHedFiles(candidate)) {
                options.hedPrototxt = (candidate / kHedPrototxt).string();
                options.hedWeights = (candidate / kHedWeights).string();
                return options;
            }
        }
    }
    return options;
}

std::vector<EdgeDetectorInfo> availableEdgeDetectors(const EdgeOptions& options)
{
    std::vector<EdgeDetectorInfo> deep;
    for (const auto& entry : scanModels(options.modelDirs)) {
        if (entry.error.empty() && entry.sidecar.kind == ModelKind::Edge)
            deep.push_back({entry.id, entry.sidecar.name.empty() ? entry.id : entry.sidecar.name,
                "A deep edge model (TorchScript) from " + entry.jsonPath + ".", EdgeFamily::Deep});
    }
    const auto rank = [](const EdgeDetectorInfo& info) {
        const auto& order = preferredEdgeModels();
        return std::size_t(std::find(order.begin(), order.end(), info.id) - order.begin());
    };
    std::stable_sort(deep.begin(), deep.end(), [&rank](const auto& a, const auto& b) { return rank(a) < rank(b); });

    std::vector<EdgeDetectorInfo> out = deep;
    if (!options.hedPrototxt.empty() && !options.hedWeights.empty())
        out.push_back({"hed", "HED",
            "Holistically-nested edge detection (the paper's), from " + options.hedWeights + ".", EdgeFamily::Deep});
    out.push_back(
        {"canny", "Canny", "Canny's classical edges (binary), computed in milliseconds.", EdgeFamily::Classical});
    out.push_back(
        {"sobel", "Sobel", "The Sobel gradient magnitude, a classical soft edge map.", EdgeFamily::Classical});
    return out;
}

std::unique_ptr<EdgeDetector> preferredEdgeDetector(const EdgeOptions& options, bool* fellBack)
{
    if (fellBack)
        *fellBack = false;
    for (const auto& preferred : preferredEdgeModels()) {
        try {
            return makeEdgeDetector(preferred, options);
        } catch (const Error& e) {
            if (e.code() != ErrorCode::ModelNotFound)
                throw;
        }
    }
    if (fellBack)
        *fellBack = true;
    return makeEdgeDetector("sobel", options);
}

} // namespace fcs
