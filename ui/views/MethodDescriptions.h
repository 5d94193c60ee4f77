#pragma once
// The catalogue's names and plain-language descriptions as QStrings, for the views' titles,
// the compare view's teaching column and tooltips. The words live in engine/catalog/.

#include "engine/catalog/MethodParameters.h"
#include "engine/featurecam/FeatureCam.h"

#include <QString>

#include <string>

namespace fcs {

QString methodDisplayName(const std::string& methodId); // the id itself when unknown
QString methodDescription(const std::string& methodId, const MethodParameters& parameters);
QString variantDescription(const FeatureCamVariant& variant, const MethodParameters& parameters);

} // namespace fcs
