#include "engine/catalog/MethodCatalog.h"

#include "engine/cam/Cam.h"
#include "engine/cam/GradCam.h"
#include "engine/cam/GradCamPlusPlus.h"
#include "engine/cam/SmoothGradCamPlusPlus.h"
#include "engine/core/Error.h"

namespace fcs {
namespace {

template <typename Method> std::unique_ptr<CamMethod> make(const MethodParameters&)
{
    return std::make_unique<Method>();
}

std::string describeGradCam(const MethodParameters&)
{
    return "Grad-CAM asks: if this feature map grew a little, how much would the class score rise? It "
           "averages that gradient over the map to weigh each feature map, adds them up and keeps only "
           "what speaks for the class.";
}

std::string describeGradCamPlusPlus(const MethodParameters&)
{
    return "Grad-CAM++ weighs each location of a feature map separately instead of averaging, so several "
           "objects of the same class, or a whole object rather than its most telling part, light up.";
}

std::string describeSmoothGradCamPlusPlus(const MethodParameters& parameters)
{
    return "Smooth Grad-CAM++ makes " + std::to_string(parameters.smooth.samples)
        + " slightly noisy copies of the image, runs Grad-CAM++ on each and averages the maps: noise that "
          "does not matter cancels out, giving a steadier map.";
}

std::string describeCam(const MethodParameters&)
{
    return "CAM looks at the network's last feature maps and adds them up, each weighted by how much the "
           "final layer counts it toward the class. It needs a network that averages its feature maps "
           "right before the last layer.";
}

} // namespace

const std::vector<MethodInfo>& methodCatalog()
{
    static const std::vector<MethodInfo> kMethods = {
        {"gradcam", "Grad-CAM",
            "Weights each feature map of the last convolutional layer by its average gradient for the class.",
            describeGradCam, {}, make<GradCam>},
        {"gradcampp", "Grad-CAM++",
            "Like Grad-CAM, but weights only the positive gradients, each by how much it matters at that pixel.",
            describeGradCamPlusPlus, {}, make<GradCamPlusPlus>},
        {"smoothgradcampp", "Smooth Grad-CAM++",
            "Averages Grad-CAM++ maps of many slightly noisy copies of the image, for a less speckled map.",
            describeSmoothGradCamPlusPlus, {true, false, true, MethodCost::SamplePasses},
            [](const MethodParameters& parameters) -> std::unique_ptr<CamMethod> {
                return std::make_unique<SmoothGradCamPlusPlus>(parameters.smooth);
            }},
        {"cam", "CAM",
            "The class's own output weights applied to each feature map; needs a global-average-pool + linear head.",
            describeCam, {false, true, false, MethodCost::OnePass}, make<Cam>},
    };
    return kMethods;
}

std::string MethodInfo::costDescription(const MethodParameters& parameters) const
{
    switch (capabilities.cost) {
    case MethodCost::OnePass:
        return capabilities.needsGradients ? "one forward and one backward pass, shared with the other gradient methods"
                                           : "one forward pass";
    case MethodCost::SamplePasses:
        return std::to_string(parameters.smooth.samples) + " forward and backward passes (one per noisy copy)";
    }
    return {};
}

const MethodInfo* findMethod(const std::string& id)
{
    for (const auto& method : methodCatalog())
        if (method.id == id)
            return &method;
    return nullptr;
}

std::string methodIdList()
{
    const auto& methods = methodCatalog();
    std::string out;
    for (std::size_t i = 0; i < methods.size(); ++i)
        out += (i == 0 ? "" : i + 1 == methods.size() ? " or " : ", ") + methods[i].id;
    return out;
}

const MethodInfo& requireMethod(const std::string& id)
{
    if (const MethodInfo* method = findMethod(id))
        return *method;
    throw Error(
        ErrorCode::InvalidArgument, "Unknown CAM method \"" + id + "\"; the methods are " + methodIdList() + ".");
}

std::vector<std::string> allMethodIds()
{
    std::vector<std::string> out;
    for (const auto& method : methodCatalog())
        out.push_back(method.id);
    return out;
}

std::vector<std::string> protocolMethodIds()
{
    std::vector<std::string> out;
    for (const auto& method : methodCatalog())
        if (!method.capabilities.needsGapLinearHead)
            out.push_back(method.id);
    return out;
}

} // namespace fcs
