#pragma once
// Turns a [0,1] map into colours, optionally over the image (docs/definitions.md, "Display"). Shared by the
// CLI's files and the GUI's panels. Torch-free. Any thread.

#include <opencv2/core.hpp>

#include <string>
#include <vector>

namespace fcs {

// Viridis and cividis read alike for colour-blind viewers (cividis was made for them); jet does not.
enum class Colormap { Jet, Viridis, Inferno, Gray, Cividis };

const std::vector<std::string>& colormapNames(); // "jet", "viridis", "inferno", "gray", "cividis"
Colormap colormapFromName(const std::string& name); // throws fcs::Error(InvalidArgument)
std::string colormapName(Colormap colormap); // "jet"
std::string colormapNameList(); // "jet, viridis, inferno, gray or cividis"

// CV_32F map in [0,1] -> RGB8.
cv::Mat colorize(const cv::Mat& map, Colormap colormap);

// (1 - opacity) * image + opacity * colorize(map); image RGB8 of the map's size.
cv::Mat overlay(const cv::Mat& rgb, const cv::Mat& map, Colormap colormap, double opacity);

// CV_32F map in [0,1] -> CV_16U, value = round(65535 * map): lossless enough to compare tools.
cv::Mat toSixteenBit(const cv::Mat& map);

} // namespace fcs
