#pragma once
// The pointing game, where the objects' boxes are known (docs/definitions.md, "Pointing game").
// Boxes are given in the photo's pixel coordinates and brought to the model's input the way
// fitToInput brings the photo; both scores are computed on a saliency map at the input size.
// Torch-free. Any thread.

#include "engine/evaluate/ImageSet.h"
#include "engine/evaluate/ObjectBox.h"
#include "engine/model/Preprocess.h"

#include <opencv2/core.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fcs {

// A box file: `file,x0,y0,x1,y1[,class_index]`, one row per box, several rows per photo
// allowed, the file as the image list names it. Throws fcs::Error(BadData) naming the line for
// a missing column, a number that is not one, an empty or inverted box; (ReadFailed) for a file
// that cannot be read.
std::map<std::string, std::vector<ObjectBox>> readObjectBoxes(const std::string& csvPath);

// Gives every image of the set the boxes the file names for it. Returns the file names of the
// box file that name no image of the set (a typo, or boxes for another set), for a warning.
std::vector<std::string> attachBoxes(
    std::vector<EvaluationImage>& images, const std::map<std::string, std::vector<ObjectBox>>& boxes);

// A digest of the boxes (not of the file's bytes: spacing and row order do not change it), for
// run.json: a resumed run must score against the same boxes.
// Throws fcs::Error(BadData) naming the box file's line when a box's class_index is not a class of
// the classifier (such a box would never be played, silently).
void checkBoxClasses(const std::vector<EvaluationImage>& images, int numClasses, const std::string& modelId,
    const std::string& boxFile);

std::string boxesDigest(const std::map<std::string, std::vector<ObjectBox>>& boxes);

// Throws fcs::Error(BadData) naming the box's line when it reaches beyond the photo (by more
// than half a pixel): the boxes are then in another scale than the photo, and are refused
// rather than guessed at.
void checkBoxesFitThePhoto(const std::vector<ObjectBox>& boxes, cv::Size photo, const std::string& image);

// The boxes of `classIndex` (and those without a class) at the model's input, as fitToInput
// maps the photo: a plain resize scales them, a center crop scales and shifts them and cuts
// them at the window (a box wholly outside it is dropped).
std::vector<cv::Rect2d> boxesAtInput(
    const std::vector<ObjectBox>& boxes, int classIndex, cv::Size photo, cv::Size input, ResizeMode mode);

struct PointingScore
{
    bool hit = false; // the map's peak lies within the tolerance of a box
    double energyInside = 0; // the share of the map's sum inside the boxes, in [0, 1]
};

// `map`: CV_32F at the input size, non-negative. The peak is the first maximum in row order,
// at its pixel's centre; a map without a positive value points nowhere (a miss, energy 0).
// `tolerance` in input pixels (the game's usual 15 at 224).
PointingScore pointingScore(const cv::Mat& map, const std::vector<cv::Rect2d>& boxes, double tolerance);

} // namespace fcs
