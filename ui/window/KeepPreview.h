#pragma once
// A new "mask keeps" share shown at once: the masks and explanation maps of a result redrawn from
// its maps on the GUI thread (no engine work), marked partial until the engine's re-classified
// confidences arrive. Torch-free.

#include "ui/worker/ExplainJob.h"

#include <memory>

namespace fcs {

// A copy of `result` (a complete explain-view result) with every mask and explanation map made
// for `keepPercent`; explanation.partial is set, since its confidences are the old share's.
std::shared_ptr<const ExplainResult> withKeepShare(const ExplainResult& result, double keepPercent);

} // namespace fcs
