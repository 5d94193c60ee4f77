#include "ui/views/MethodDescriptions.h"

#include "engine/catalog/MethodCatalog.h"
#include "engine/catalog/VariantDescription.h"

namespace fcs {

QString methodDisplayName(const std::string& methodId)
{
    const MethodInfo* method = findMethod(methodId);
    return QString::fromStdString(method ? method->displayName : methodId);
}

QString methodDescription(const std::string& methodId, const MethodParameters& parameters)
{
    const MethodInfo* method = findMethod(methodId);
    return method ? QString::fromStdString(method->description(parameters)) : QString();
}

QString variantDescription(const FeatureCamVariant& variant, const MethodParameters& parameters)
{
    return QString::fromStdString(describeFeatureCamVariant(variant, parameters));
}

} // namespace fcs
