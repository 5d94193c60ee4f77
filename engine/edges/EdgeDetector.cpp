#include "engine/edges/EdgeDetector.h"

#include "engine/core/Error.h"
#include "engine/edges/ClassicEdges.h"
#include "engine/edges/HedEdges.h"
#include "engine/edges/TorchEdgeModel.h"
#include "engine/model/ModelCatalog.h"

namespace fcs {

std::unique_ptr<EdgeDetector> makeEdgeDetector(const std::string& id, const EdgeOptions& options)
{
    if (id == "canny")
        return std::make_unique<CannyEdges>();
    if (id == "sobel")
        return std::make_unique<SobelEdges>();
    if (id == "hed")
        return std::make_unique<HedEdges>(options.hedPrototxt, options.hedWeights);
    const Sidecar sidecar = findModel(options.modelDirs, id);
    if (sidecar.kind != ModelKind::Edge)
        throw Error(ErrorCode::InvalidArgument,
            "\"" + id
                + "\" is a classifier, not an edge model; the edge "
                  "detectors are canny, sobel, hed and the edge models "
                  "on the models path (e.g. pidinet).");
    return std::make_unique<TorchEdgeModel>(sidecar);
}

} // namespace fcs
