#include "engine/catalog/ModelPreferences.h"

#include "engine/catalog/Locations.h"

namespace fcs {

const CatalogEntry* preferredClassifier(const std::vector<CatalogEntry>& entries)
{
    const std::string builtin = builtinModelDir();
    const auto rank = [&builtin](const CatalogEntry& entry) {
        if (entry.id == kPreferredClassifierId)
            return 0;
        return entry.jsonPath.rfind(builtin, 0) == 0 ? 2 : 1;
    };
    const CatalogEntry* chosen = nullptr;
    for (const auto& entry : entries) {
        if (!entry.error.empty() || entry.sidecar.kind != ModelKind::Classifier)
            continue;
        if (!chosen || rank(entry) < rank(*chosen))
            chosen = &entry;
    }
    return chosen;
}

} // namespace fcs
