#pragma once
// The feature descriptor of Feature CAM (docs/definitions.md, "Feature CAM"): an edge probability
// map E in [0,1] of an image. One interface for the deep detectors (PiDiNet as TorchScript, HED
// through OpenCV's dnn module) and the classical fallbacks (Canny, Sobel). Torch-free header.
// Not thread-safe: one thread at a time per detector.

#include <opencv2/core.hpp>

#include <memory>
#include <string>
#include <vector>

namespace fcs {

class EdgeDetector
{
public:
    virtual ~EdgeDetector() = default;
    virtual std::string id() const = 0; // "pidinet", "pidinet_tiny", "hed", "canny", "sobel"
    // RGB8 image -> CV_32F edge probabilities in [0,1], same size.
    virtual cv::Mat detect(const cv::Mat& rgb) = 0;
};

struct EdgeOptions
{
    std::vector<std::string> modelDirs; // where TorchScript edge models are looked up by name
    std::string hedPrototxt; // HED's deploy.prototxt and weights, from the user
    std::string hedWeights;
};

// "canny", "sobel", "hed", or the name (file stem) of an edge model on the models path. Throws
// fcs::Error naming what is missing.
std::unique_ptr<EdgeDetector> makeEdgeDetector(const std::string& id, const EdgeOptions& options);

} // namespace fcs
