#include "engine/catalog/VariantDescription.h"

#include <QString>

namespace fcs {
namespace {

std::string perturbedInputText(PerturbedInput input)
{
    switch (input) {
    case PerturbedInput::I1:
        return "the edge map alone";
    case PerturbedInput::I2:
        return "two parts grey image to one part edge map";
    case PerturbedInput::I3:
        return "equal parts grey image and edge map";
    }
    return {};
}

} // namespace

std::string describeFeatureCamVariant(const FeatureCamVariant& variant, const MethodParameters& parameters)
{
    const std::string perturbed = perturbedInputText(variant.input);
    std::string how;
    switch (variant.experiment) {
    case Experiment::X1:
        how = "adds k = " + QString::number(parameters.k, 'g', 3).toStdString() + " times " + perturbed
            + " to the saliency map";
        break;
    case Experiment::X2:
        how = "multiplies the saliency map by " + perturbed;
        break;
    case Experiment::X3:
        how = "multiplies the saliency map by the inverse of " + perturbed;
        break;
    }
    return "Feature CAM " + variant.name() + " " + how
        + ", so that the fine edges of the object show inside the highlighted region.";
}

} // namespace fcs
