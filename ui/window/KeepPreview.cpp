#include "ui/window/KeepPreview.h"

#include "engine/explain/SaliencyMask.h"

namespace fcs {

std::shared_ptr<const ExplainResult> withKeepShare(const ExplainResult& result, double keepPercent)
{
    auto changed = std::make_shared<ExplainResult>(result);
    Explanation& explanation = changed->explanation;
    explanation.partial = true;
    changed->request.settings.keepPercent = keepPercent;
    const auto redraw = [&explanation, keepPercent](ExplainedMap& shown) {
        shown.mask = saliencyMask(shown.map, keepPercent);
        shown.explanation = explanationImage(explanation.input, shown.mask);
    };
    for (auto& method : explanation.methods) {
        redraw(method);
        for (auto& variant : method.featureCam)
            redraw(variant);
    }
    return changed;
}

} // namespace fcs
