#pragma once
// The edge detectors Feature CAM can use, and which one to prefer: the deep models found on the
// models path (PiDiNet tiny first, as the protocol reference: 4–9× faster than PiDiNet), HED
// when its Caffe files are configured, then the classical Canny and Sobel. Both front ends read
// this list. Torch-free header.

#include "engine/edges/EdgeDetector.h"

#include <memory>
#include <string>
#include <vector>

namespace fcs {

enum class EdgeFamily { Deep, Classical };

struct EdgeDetectorInfo
{
    std::string id; // what makeEdgeDetector() and --edges take
    std::string displayName;
    std::string description;
    EdgeFamily family = EdgeFamily::Classical;
};

// Options for these model folders: HED's files are taken from a folder on them that holds
// deploy.prototxt and hed_pretrained_bsds.caffemodel (itself or its "hed" subfolder).
EdgeOptions edgeOptionsFor(const std::vector<std::string>& modelDirs);

// Every detector the options make available, preferred first.
std::vector<EdgeDetectorInfo> availableEdgeDetectors(const EdgeOptions& options);

// The first deep model that loads (pidinet_tiny, then pidinet), else Sobel; `fellBack` tells
// the caller to say that no deep edge model was found. Other errors (a broken model) propagate.
std::unique_ptr<EdgeDetector> preferredEdgeDetector(const EdgeOptions& options, bool* fellBack = nullptr);

} // namespace fcs
