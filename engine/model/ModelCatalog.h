#pragma once
// Finds models on the models path: every NAME.json with a NAME.pt beside it. Torch-free. Any thread.

#include "engine/model/Sidecar.h"

#include <string>
#include <vector>

namespace fcs {

struct CatalogEntry
{
    std::string id; // file stem
    std::string jsonPath;
    Sidecar sidecar; // valid only when error is empty
    std::string error; // why the sidecar cannot be used
};

// The folders to search, in order: those given on the command line (or in the GUI's settings),
// then those in FEATURECAM_MODEL_PATH (colon-separated).
std::vector<std::string> modelSearchPath(const std::vector<std::string>& explicitDirs);

// All models in those folders (not recursive), sorted by id; the first folder wins a name clash.
std::vector<CatalogEntry> scanModels(const std::vector<std::string>& dirs);

// A model by id (file stem) or by the path of its .pt or .json. Throws fcs::Error
// (ModelNotFound, naming the folders searched, or BadSidecar).
Sidecar findModel(const std::vector<std::string>& dirs, const std::string& nameOrPath);

} // namespace fcs
