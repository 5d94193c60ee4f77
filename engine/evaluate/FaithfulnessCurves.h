#pragma once
// Deletion and insertion curves (Petsiuk et al., RISE, 2018): pixels are removed from (deletion)
// or restored into (insertion) the image in order of decreasing saliency, `steps` equal shares at
// a time, and the classifier's probability of the explained class is read at each step. Removed
// pixels are black (0), as in the paper's explanation maps; insertion starts from an all-black
// image. Ties in the map keep raster order. A good map makes deletion fall fast (low AUC) and
// insertion rise fast (high AUC). Torch-free: the caller classifies the images.

#include <opencv2/core.hpp>

#include <vector>

namespace fcs {

// The images strictly between the curve's ends: step s = 1 .. steps-1 removes (deletion) or
// keeps (insertion) the round(s/steps · N) most salient of the N pixels. The ends are the
// original image and the all-black one, the same for every map, so the caller classifies them once.
std::vector<cv::Mat> deletionImages(const cv::Mat& rgb, const cv::Mat& map, int steps);
std::vector<cv::Mat> insertionImages(const cv::Mat& rgb, const cv::Mat& map, int steps);

// Trapezoidal area under values sampled at 0, 1/steps, ..., 1 (steps + 1 values).
double curveAuc(const std::vector<double>& values);

} // namespace fcs
