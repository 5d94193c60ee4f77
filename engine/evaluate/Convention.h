#pragma once
// How an explanation map is made from a saliency map for re-classification: the paper's hard
// mask (keep the top share of pixels, black elsewhere) or the soft map × image. Torch-free.

#include <string>

namespace fcs {

enum class Convention { Hard, Soft };

// "hard" / "soft": the value of per_image.csv's `convention` column and of --convention.
std::string conventionName(Convention convention);
// Throws fcs::Error(InvalidArgument) naming the two.
Convention conventionFromName(const std::string& name);

} // namespace fcs
