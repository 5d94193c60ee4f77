#include "MovingShapeVideo.h"

#include "engine/demo/ShapeGenerator.h"
#include "engine/evaluate/PointingGame.h"
#include "engine/explain/Explainer.h"

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

namespace fcs::test {

std::vector<cv::Rect> writeMovingShapeVideo(const std::string& path, int frames, Explainer& demoModel)
{
    ShapeGenerator generator(2024);
    ShapeSample sample;
    for (int tries = 0; tries < 500; ++tries) {
        sample = generator.next();
        if (sample.box.width > 26 || sample.box.x < 12 || 64 - sample.box.br().x < 12)
            continue;
        // Standing still, the model knows the shape and Grad-CAM finds it (as in 85% of the
        // generator's photos, TestDemoModel): what is tested is whether the map follows it.
        const auto still = demoModel.explain(sample.rgb, ExplainSettings());
        if (still.explainedClass == sample.label
            && pointingScore(still.methods.front().map, {cv::Rect2d(sample.box)}, 4).hit)
            break;
    }
    // Never out of the frame, and the reflected band at the border never reaches the shape.
    const int margin = std::min(sample.box.x, 64 - sample.box.br().x) - 1;
    cv::VideoWriter writer(path, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 15, {64, 64});
    if (!writer.isOpened())
        return {};
    std::vector<cv::Rect> boxes;
    for (int t = 0; t < frames; ++t) {
        const int dx = -margin + 2 * margin * t / std::max(1, frames - 1);
        const cv::Mat shift = (cv::Mat_<double>(2, 3) << 1, 0, dx, 0, 1, 0);
        cv::Mat moved, bgr;
        cv::warpAffine(sample.rgb, moved, shift, sample.rgb.size(), cv::INTER_NEAREST, cv::BORDER_REFLECT_101);
        cv::cvtColor(moved, bgr, cv::COLOR_RGB2BGR);
        writer.write(bgr);
        boxes.push_back(sample.box + cv::Point(dx, 0));
    }
    return boxes;
}

} // namespace fcs::test
