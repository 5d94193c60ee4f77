#include "engine/render/Colormap.h"

#include "engine/core/Error.h"
#include "engine/core/WordList.h"

#include <opencv2/imgproc.hpp>

namespace fcs {

const std::vector<std::string>& colormapNames()
{
    static const std::vector<std::string> kNames = {"jet", "viridis", "inferno", "gray", "cividis"};
    return kNames;
}

Colormap colormapFromName(const std::string& name)
{
    const auto& names = colormapNames();
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == name)
            return Colormap(i);
    throw Error(ErrorCode::InvalidArgument, "Unknown colormap \"" + name + "\"; use " + colormapNameList() + ".");
}

std::string colormapNameList()
{
    return wordList(colormapNames());
}

std::string colormapName(Colormap colormap)
{
    return colormapNames().at(std::size_t(colormap));
}

cv::Mat colorize(const cv::Mat& map, Colormap colormap)
{
    CV_Assert(map.type() == CV_32FC1);
    cv::Mat gray;
    map.convertTo(gray, CV_8U, 255.0);
    cv::Mat rgb;
    if (colormap == Colormap::Gray) {
        cv::cvtColor(gray, rgb, cv::COLOR_GRAY2RGB);
        return rgb;
    }
    const int openCvMap = colormap == Colormap::Viridis ? cv::COLORMAP_VIRIDIS
        : colormap == Colormap::Inferno                 ? cv::COLORMAP_INFERNO
        : colormap == Colormap::Cividis                 ? cv::COLORMAP_CIVIDIS
                                                        : cv::COLORMAP_JET;
    cv::Mat bgr;
    cv::applyColorMap(gray, bgr, openCvMap);
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    return rgb;
}

cv::Mat overlay(const cv::Mat& rgb, const cv::Mat& map, Colormap colormap, double opacity)
{
    CV_Assert(rgb.size() == map.size() && rgb.type() == CV_8UC3);
    cv::Mat out;
    cv::addWeighted(rgb, 1.0 - opacity, colorize(map, colormap), opacity, 0.0, out);
    return out;
}

cv::Mat toSixteenBit(const cv::Mat& map)
{
    cv::Mat out;
    map.convertTo(out, CV_16U, 65535.0);
    return out;
}

} // namespace fcs
