#pragma once
// An object's box in a photo, as a box file gives it (the pointing game, PointingGame.h). Plain
// data, so that the image set can carry its boxes without OpenCV.

#include <optional>

namespace fcs {

// x0 <= x < x1, y0 <= y < y1, in the photo's pixels (a pixel i covers [i, i+1)); the class it
// shows, when given, limits it to explanations of that class.
struct ObjectBox
{
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    std::optional<int> classIndex;
    int line = 0; // in the box file, for messages
};

} // namespace fcs
