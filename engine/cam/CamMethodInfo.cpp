#include "cam/CamMethodInfo.h"

namespace fcs {

const std::vector<CamMethodInfo>& camMethods()
{
    static const std::vector<CamMethodInfo> kMethods = {
        {"gradcam", "Grad-CAM",
            "Weights each feature map of the last convolutional layer by its average gradient for the class."},
        {"gradcampp", "Grad-CAM++",
            "Like Grad-CAM, but weights only the positive gradients, each by how much it matters at that pixel."},
        {"smoothgradcampp", "Smooth Grad-CAM++",
            "Averages Grad-CAM++ maps of many slightly noisy copies of the image, for a less speckled map."},
        {"cam", "CAM",
            "The class's own output weights applied to each feature map; needs a global-average-pool + linear head."},
    };
    return kMethods;
}

const CamMethodInfo* findCamMethod(const std::string& id)
{
    for (const auto& method : camMethods())
        if (method.id == id)
            return &method;
    return nullptr;
}

} // namespace fcs
