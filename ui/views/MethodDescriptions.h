#pragma once
// Short plain-language descriptions of the methods and Feature CAM variants, for teaching: shown
// beside the compare view and as tooltips.

#include <QString>

#include <string>

namespace fcs {

QString methodDescription(const std::string& methodId);
QString variantDescription(const std::string& variantName); // "X1-I2"
QString methodDisplayName(const std::string& methodId);

} // namespace fcs
