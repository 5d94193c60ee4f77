#pragma once
// The paper's mask and explanation map (docs/definitions.md, "Mask and explanation map"). The mask keeps
// the `keepPercent` % most salient pixels: those strictly above the map's (100 - keepPercent)-th
// percentile. So a map that is non-zero almost everywhere keeps keepPercent % of its pixels, a
// map that is zero on more than (100 - keepPercent) % keeps exactly its non-zero pixels, and an
// all-zero map keeps none. Torch-free. Any thread.

#include <opencv2/core.hpp>

namespace fcs {

// The q-th percentile (0..100) of a CV_32F map, with linear interpolation between order
// statistics (NumPy's default), so that results match the reference implementations.
float percentile(const cv::Mat& map, double q);

// Throws fcs::Error(InvalidArgument) unless 0 < keepPercent <= 100.
void checkKeepPercent(double keepPercent);

// CV_32F map in [0,1] -> CV_8U mask (255 = kept). Throws fcs::Error for keepPercent outside (0, 100].
cv::Mat saliencyMask(const cv::Mat& map, double keepPercent);

// RGB8 image with the pixels outside the mask set to black; image and mask have the same size.
cv::Mat explanationImage(const cv::Mat& rgb, const cv::Mat& mask);

// The soft convention of the Grad-CAM++ paper and of public libraries: every pixel scaled by the
// map's value (RGB8 × CV_32F map in [0,1], rounded). Same size required.
cv::Mat softExplanationImage(const cv::Mat& rgb, const cv::Mat& map);

} // namespace fcs
