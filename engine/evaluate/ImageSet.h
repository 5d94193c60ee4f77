#pragma once
// The images of an evaluation: a folder (every image in it, sorted by name) or a CSV with a
// `file` column (paths relative to the CSV's folder) and an optional ground-truth `class_index`
// column — the format of imagenet-sample/labels.csv. Torch-free.

#include "engine/evaluate/ObjectBox.h"

#include <optional>
#include <string>
#include <vector>

namespace fcs {

struct EvaluationImage
{
    std::string path; // to load
    std::string name; // as written in per_image.csv: the CSV's `file` entry, or the file name
    std::optional<int> truthClass;
    int line = 0; // in the CSV, for messages; 0 for a folder
    // From a box file (the pointing game): none when the run has no box file or the file does
    // not name this image; the maps of an image without boxes are not scored.
    std::optional<std::vector<ObjectBox>> boxes;
};

// Throws fcs::Error(InvalidArgument) for a missing folder / file, a CSV without a `file`
// column, with a non-integer class_index or a file listed twice (naming the line), or a set
// with no image. A byte-order mark, header case and spaces around fields are tolerated.
std::vector<EvaluationImage> readImageSet(const std::string& csvOrFolder);

// A `class_index` field: empty (no class) or a class number. Throws fcs::Error(BadData) that
// begins with `where` (e.g. "Line 3 of \"labels.csv\"") otherwise.
std::optional<int> parseClassIndex(const std::string& text, const std::string& where);

// Throws fcs::Error(InvalidArgument) naming the first line whose class_index is not a class
// of a classifier with `numClasses` outputs.
void checkTruthClasses(const std::vector<EvaluationImage>& images, int numClasses, const std::string& modelId,
    const std::string& csvOrFolder);

} // namespace fcs
