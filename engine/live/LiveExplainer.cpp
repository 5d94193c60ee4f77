#include "engine/live/LiveExplainer.h"

#include "engine/catalog/MethodCatalog.h"
#include "engine/core/Error.h"
#include "engine/core/Stopwatch.h"
#include "engine/explain/Explainer.h"
#include "engine/render/Colormap.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdio>

namespace fcs {
namespace {

// The caption's size follows the frame's (readable at 640 × 480, small on a thumbnail-size frame).
double textScale(const cv::Mat& rgb)
{
    return std::clamp(rgb.cols / 640.0 * 0.8, 0.25, 1.6);
}

// White text on a dark band, so that it reads over any map.
void drawCaption(cv::Mat& rgb, const std::string& text, cv::Point origin)
{
    const double scale = textScale(rgb);
    const int thickness = scale < 0.6 ? 1 : 2;
    int baseline = 0;
    const cv::Size size = cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, scale, thickness, &baseline);
    cv::rectangle(rgb, {origin.x - 2, origin.y - size.height - 3}, {origin.x + size.width + 2, origin.y + baseline},
        cv::Scalar(0, 0, 0), cv::FILLED);
    cv::putText(rgb, text, origin, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(255, 255, 255), thickness, cv::LINE_AA);
}

} // namespace

bool runsLive(const std::string& methodId)
{
    const MethodInfo* method = findMethod(methodId);
    return method && method->runsLive();
}

LiveExplainer::LiveExplainer(Explainer& explainer, const std::string& methodId, const MethodParameters& parameters)
    : m_explainer(explainer)
    , m_method(methodId)
    , m_parameters(parameters)
{
    const MethodInfo& method = requireMethod(methodId);
    if (!runsLive(methodId))
        throw Error(ErrorCode::InvalidArgument,
            method.displayName
                + " is too slow for a live stream (many network passes per frame); explain a paused frame with it, "
                  "or choose a gradient method such as Grad-CAM.");
}

LiveFrame LiveExplainer::explainFrame(const cv::Mat& rgb, double framesPerSecond)
{
    const Stopwatch clock;
    ExplainSettings settings;
    static_cast<MethodParameters&>(settings) = m_parameters;
    settings.methods = {m_method};
    settings.topK = 1;
    settings.reclassify = false; // a forward pass per frame saved
    const Explanation explanation = m_explainer.explain(rgb, settings);
    LiveFrame out;
    out.map = explanation.methods.front().map;
    out.top1 = explanation.explainedClass;
    out.probability = explanation.explainedConfidence;
    out.label = explanation.predictions.front().label;
    cv::Mat map;
    cv::resize(out.map, map, rgb.size(), 0, 0, cv::INTER_LINEAR);
    out.overlay = overlay(rgb, map, Colormap::Jet, 0.5);
    char text[160];
    std::snprintf(text, sizeof text, "%s %.1f%%", out.label.c_str(), 100 * out.probability);
    const int margin = std::max(3, rgb.cols / 64);
    drawCaption(out.overlay, text, {margin, margin + int(textScale(rgb) * 24)});
    if (framesPerSecond >= 0) {
        std::snprintf(text, sizeof text, "%.1f fps", framesPerSecond);
        drawCaption(out.overlay, text, {margin, rgb.rows - margin});
    }
    out.seconds = clock.seconds();
    return out;
}

} // namespace fcs
