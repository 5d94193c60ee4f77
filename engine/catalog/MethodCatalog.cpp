#include "engine/catalog/MethodCatalog.h"

#include "engine/cam/AblationCam.h"
#include "engine/cam/Cam.h"
#include "engine/cam/EigenCam.h"
#include "engine/cam/GradCam.h"
#include "engine/cam/GradCamElementWise.h"
#include "engine/cam/GradCamPlusPlus.h"
#include "engine/cam/HiResCam.h"
#include "engine/cam/LayerCam.h"
#include "engine/cam/ScoreCam.h"
#include "engine/cam/SmoothGradCamPlusPlus.h"
#include "engine/cam/XGradCam.h"
#include "engine/core/Error.h"
#include "engine/core/WordList.h"

#include <cstdio>

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

std::string describeLayerCam(const MethodParameters&)
{
    return "LayerCAM lets every location of a feature map count by its own positive gradient instead of "
           "one weight per map, so the map keeps fine detail and works on earlier layers too.";
}

std::string describeXGradCam(const MethodParameters&)
{
    return "XGrad-CAM weighs each feature map by its gradient, averaged where the map itself is strong, "
           "so that the weights say how much the class score changes with the map, not only that it does.";
}

std::string describeHiResCam(const MethodParameters&)
{
    return "HiResCAM multiplies each feature map by its gradient location by location before adding them "
           "up, instead of averaging the gradient first: the map shows where the model really looked.";
}

std::string describeGradCamElementWise(const MethodParameters&)
{
    return "Grad-CAM element-wise multiplies each feature map by its gradient location by location and "
           "keeps only the positive products before adding them up: evidence against the class cannot "
           "cancel evidence for it.";
}

std::string describeEigenCam(const MethodParameters&)
{
    return "Eigen-CAM finds the main pattern shared by the feature maps (their first principal component) "
           "and shows where it is strong. It uses no class and no gradient: it shows what the network "
           "sees as important, whatever the class. Its sign is chosen so that the strongest part shows.";
}

std::string describeEigenGradCam(const MethodParameters&)
{
    return "EigenGrad-CAM finds the main pattern of the feature maps multiplied by their gradients for "
           "the class, so unlike Eigen-CAM it depends on the class. Its sign is chosen so that the "
           "strongest part shows.";
}

std::string describeScoreCam(const MethodParameters&)
{
    return "Score-CAM uses each feature map as a mask over the image, asks the network how much it still "
           "sees the class through that mask, and weighs the maps by those scores. No gradients, but one "
           "pass of the whole network per feature map: seconds, not milliseconds.";
}

std::string describeAblationCam(const MethodParameters&)
{
    return "Ablation-CAM switches each feature map off in turn and measures how much the class score "
           "drops: maps whose loss hurts most weigh most. No gradients; only the network's last layers "
           "run again.";
}

std::string describeCam(const MethodParameters&)
{
    return "CAM looks at the network's last feature maps and adds them up, each weighted by how much the "
           "final layer counts it toward the class. It needs a network that averages its feature maps "
           "right before the last layer.";
}

std::string smoothSettingsKey(const MethodParameters& parameters)
{
    char sigma[32];
    std::snprintf(sigma, sizeof sigma, "%.17g", parameters.smooth.sigma);
    return "n=" + std::to_string(parameters.smooth.samples) + "|sigma=" + sigma
        + "|seed=" + std::to_string(parameters.smooth.seed);
}

constexpr const char* kAveragedGradients = "the gradient averaged over the positions";
constexpr const char* kAlphaWeightedGradients = "the alpha-weighted positive gradients";

std::deque<MethodInfo>& catalog()
{
    static std::deque<MethodInfo> methods = {
        {"gradcam", "Grad-CAM",
            "Weights each feature map of the last convolutional layer by its average gradient for the class.",
            describeGradCam, {true, false, false, MethodCost::OnePass, kAveragedGradients}, make<GradCam>, true},
        {"gradcampp", "Grad-CAM++",
            "Like Grad-CAM, but weights only the positive gradients, each by how much it matters at that pixel.",
            describeGradCamPlusPlus, {true, false, false, MethodCost::OnePass, kAlphaWeightedGradients},
            make<GradCamPlusPlus>, true},
        {"smoothgradcampp", "Smooth Grad-CAM++",
            "Averages Grad-CAM++ maps of many slightly noisy copies of the image, for a less speckled map.",
            describeSmoothGradCamPlusPlus,
            {true, false, true, MethodCost::SamplePasses, kAlphaWeightedGradients, smoothSettingsKey},
            [](const MethodParameters& parameters) -> std::unique_ptr<CamMethod> {
                return std::make_unique<SmoothGradCamPlusPlus>(parameters.smooth);
            },
            true},
        {"cam", "CAM",
            "The class's own output weights applied to each feature map; needs a global-average-pool + linear head.",
            describeCam, {false, true, false, MethodCost::OnePass}, make<Cam>},
        {"layercam", "LayerCAM", "Each location weighted by its own positive gradient: sum_k ReLU(g_k)·A_k.",
            describeLayerCam, {}, make<LayerCam>},
        {"xgradcam", "XGrad-CAM",
            "Channel weights: the gradient averaged with the channel's own activations as weights.", describeXGradCam,
            {true, false, false, MethodCost::OnePass, "the gradients weighted by the activation"}, make<XGradCam>},
        {"hirescam", "HiResCAM", "The gradient times the activation, location by location: sum_k g_k·A_k.",
            describeHiResCam, {}, make<HiResCam>},
        {"gradcamelementwise", "Grad-CAM element-wise", "sum_k ReLU(g_k·A_k): only the positive products count.",
            describeGradCamElementWise, {}, make<GradCamElementWise>},
        {"eigencam", "Eigen-CAM", "The first principal component of the feature maps; no class, no gradient.",
            describeEigenCam, {false, false, false, MethodCost::OnePass}, make<EigenCam>},
        {"eigengradcam", "EigenGrad-CAM", "The first principal component of the feature maps times their gradients.",
            describeEigenGradCam, {}, make<EigenGradCam>},
        {"scorecam", "Score-CAM",
            "Each feature map masks the image; the class logits through the masks, softmaxed, weigh the maps.",
            describeScoreCam, {false, false, true, MethodCost::ChannelPasses}, make<ScoreCam>},
        {"ablationcam", "Ablation-CAM",
            "Each feature map is switched off in turn; the class score's relative drop weighs it (head only).",
            describeAblationCam, {false, false, true, MethodCost::ChannelHeadPasses}, make<AblationCam>},
    };
    return methods;
}

} // namespace

const std::deque<MethodInfo>& methodCatalog()
{
    return catalog();
}

void registerMethod(MethodInfo method)
{
    if (findMethod(method.id))
        throw Error(ErrorCode::InvalidArgument, "A CAM method \"" + method.id + "\" is already declared.");
    catalog().push_back(std::move(method)); // a deque: the entries others point to stay put
}

std::string MethodInfo::costDescription(const MethodParameters& parameters) const
{
    switch (capabilities.cost) {
    case MethodCost::OnePass:
        return capabilities.needsGradients ? "one forward and one backward pass, shared with the other gradient methods"
                                           : "one forward pass";
    case MethodCost::SamplePasses:
        return std::to_string(parameters.smooth.samples) + " forward and backward passes (one per noisy copy)";
    case MethodCost::ChannelPasses:
        return "one forward pass of the whole network per feature map (1280 on MobileNetV2: seconds per image)";
    case MethodCost::ChannelHeadPasses:
        return "one pass of the network's head per feature map, in batches (a fraction of a second)";
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
    return wordList(allMethodIds());
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

std::vector<std::string> paperMethodIds()
{
    std::vector<std::string> out;
    for (const auto& method : methodCatalog())
        if (method.inPaper)
            out.push_back(method.id);
    return out;
}

std::vector<std::string> compareMethodIds()
{
    std::vector<std::string> out;
    for (const auto& method : methodCatalog())
        if (!method.isSlow())
            out.push_back(method.id);
    return out;
}

} // namespace fcs
