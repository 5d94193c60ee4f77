#pragma once
// What the gallery opens: a folder of photos, an image list (`file[,class_index]`, as evaluate
// reads), or an `evaluate --out` folder (its run.json names the image list). Torch-free.

#include "engine/evaluate/ImageSet.h"

#include <string>
#include <vector>

namespace fcs {

// Throws fcs::Error as readImageSet does; for an evaluate folder whose list has moved, says so.
std::vector<EvaluationImage> readGallerySet(const std::string& folderOrList);

} // namespace fcs
