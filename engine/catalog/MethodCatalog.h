#pragma once
// The one place a CAM method is declared: its id, display name, plain-language description
// (parameterized by the current settings), factory and capabilities. Every front end (menus,
// compare view, survey builder, charts, CLI help and validation, the evaluator) reads this list;
// adding a method is its own file plus one entry in MethodCatalog.cpp. Torch-free header.

#include "engine/catalog/MethodParameters.h"

#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace fcs {

class CamMethod;

// What one map costs, in network passes over the image.
enum class MethodCost {
    OnePass, // one forward and one head backward, shared by all gradient methods of an image
    SamplePasses, // one forward and backward pass per noisy copy (n)
    ChannelPasses, // one forward pass of the whole network per feature-map channel (K)
    ChannelHeadPasses, // one pass of the head only per feature-map channel (K), batched
};

struct MethodCapabilities
{
    bool needsGradients = true; // differentiates the head
    // Needs a global-average-pool + linear head; on such heads its map equals Grad-CAM's, so the
    // evaluation protocol leaves it out.
    bool needsGapLinearHead = false;
    bool batched = false; // its passes run in batches, cancellable between them
    MethodCost cost = MethodCost::OnePass;
    // Its map is a weighted sum of the layer's channels, and these words say what weighs them
    // ("the alpha-weighted positive gradients"): the inside view takes it apart. Null: it is not.
    const char* channelWeights = nullptr;
    // The settings its map reads beyond those every map reads (the mask's share, Feature CAM's
    // k), written out for cache keys ("n=25|sigma=0.15|seed=0"). Null: none.
    std::string (*settingsKey)(const MethodParameters&) = nullptr;
};

struct MethodInfo
{
    std::string id; // stable: --method, CSV columns, result folders, saved settings
    std::string displayName; // "Grad-CAM++"
    std::string summary; // one technical sentence, for help texts and tooltips
    std::string (*describe)(const MethodParameters&); // a plain-language paragraph, for teaching
    MethodCapabilities capabilities;
    std::unique_ptr<CamMethod> (*make)(const MethodParameters&); // engine-internal factory
    bool inPaper = false; // one of the paper's three: the evaluation's and the survey's default

    std::string description(const MethodParameters& parameters) const { return describe(parameters); }
    // "one forward and backward pass", "25 forward and backward passes (one per noisy copy)".
    std::string costDescription(const MethodParameters& parameters) const;
    // Seconds rather than milliseconds per image: the compare view leaves it out (run it alone).
    bool isSlow() const { return capabilities.cost == MethodCost::ChannelPasses; }
    // One pass per frame or none: the live view runs only these.
    bool runsLive() const { return capabilities.cost == MethodCost::OnePass; }
    bool canBeTakenApart() const { return capabilities.channelWeights != nullptr; }
};

const std::deque<MethodInfo>& methodCatalog(); // in menu order
// Adds a method declared outside MethodCatalog.cpp (a plugin, a test's stand-in) at the end of
// the list; before the front ends read it. Throws fcs::Error(InvalidArgument) for a taken id.
void registerMethod(MethodInfo method);
const MethodInfo* findMethod(const std::string& id);
// Throws fcs::Error(InvalidArgument) naming the known ids.
const MethodInfo& requireMethod(const std::string& id);
// "gradcam, gradcampp, smoothgradcampp or cam": for help texts and messages.
std::string methodIdList();
// Every id.
std::vector<std::string> allMethodIds();
// The methods the evaluation protocol accepts: all but those whose map equals Grad-CAM's by
// construction (CAM).
std::vector<std::string> protocolMethodIds();
// The paper's three (Grad-CAM, Grad-CAM++, Smooth Grad-CAM++): the evaluation's and the survey
// builder's default.
std::vector<std::string> paperMethodIds();
// The compare view's methods: all but the slow ones (isSlow()), which it names instead.
std::vector<std::string> compareMethodIds();

} // namespace fcs
