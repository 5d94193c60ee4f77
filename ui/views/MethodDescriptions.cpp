#include "views/MethodDescriptions.h"

#include "cam/CamMethodInfo.h"

namespace fcs {

QString methodDisplayName(const std::string& methodId)
{
    const CamMethodInfo* info = findCamMethod(methodId);
    return info ? QString::fromStdString(info->displayName) : QString::fromStdString(methodId);
}

QString methodDescription(const std::string& methodId)
{
    if (methodId == "cam")
        return "CAM looks at the network's last feature maps and adds them up, each weighted by how much the "
               "final layer counts it toward the class. It needs a network that averages its feature maps "
               "right before the last layer.";
    if (methodId == "gradcam")
        return "Grad-CAM asks: if this feature map grew a little, how much would the class score rise? It "
               "averages that gradient over the map to weigh each feature map, adds them up and keeps only "
               "what speaks for the class.";
    if (methodId == "gradcampp")
        return "Grad-CAM++ weighs each location of a feature map separately instead of averaging, so several "
               "objects of the same class, or a whole object rather than its most telling part, light up.";
    if (methodId == "smoothgradcampp")
        return "Smooth Grad-CAM++ makes many slightly noisy copies of the image, runs Grad-CAM++ on each and "
               "averages the maps: noise that does not matter cancels out, giving a steadier map.";
    return {};
}

QString variantDescription(const std::string& variant)
{
    if (variant.size() != 5)
        return {};
    const char experiment = variant[1];
    const char input = variant[4];
    const QString perturbed = input == '1' ? "the edge map alone"
        : input == '2'                     ? "two parts grey image to one part edge map"
                                           : "equal parts grey image and edge map";
    const QString how = experiment == '1' ? "adds a quarter (k) of " + perturbed + " to the saliency map"
        : experiment == '2'               ? "multiplies the saliency map by " + perturbed
                                          : "multiplies the saliency map by the inverse of " + perturbed;
    return "Feature CAM " + QString::fromStdString(variant) + " " + how
        + ", so that the fine edges of the object show inside the highlighted region.";
}

} // namespace fcs
