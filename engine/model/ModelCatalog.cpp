#include "engine/model/ModelCatalog.h"

#include "engine/core/Error.h"
#include "engine/io/Utf8Name.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

namespace fcs {
namespace {

namespace fs = std::filesystem;

// NAME.json describes a model when NAME.pt or NAME.onnx is beside it, or its `file` field names
// a network that is (other JSON files of a folder are not sidecars, and are not listed).
bool hasNetworkBeside(const fs::path& json)
{
    if (fs::exists(fs::path(json).replace_extension(".pt")) || fs::exists(fs::path(json).replace_extension(".onnx")))
        return true;
    try {
        return fs::exists(readSidecar(json.string()).modelPath);
    } catch (const Error&) {
        return false;
    }
}

std::string joined(const std::vector<std::string>& dirs)
{
    std::string out;
    for (const auto& dir : dirs)
        out += (out.empty() ? "" : ", ") + dir;
    return out.empty() ? "(none)" : out;
}

} // namespace

std::vector<std::string> modelSearchPath(const std::vector<std::string>& explicitDirs)
{
    std::vector<std::string> dirs = explicitDirs;
    if (const char* env = std::getenv("FEATURECAM_MODEL_PATH")) {
        std::stringstream stream(env);
        for (std::string dir; std::getline(stream, dir, ':');)
            if (!dir.empty())
                dirs.push_back(dir);
    }
    return dirs;
}

std::vector<CatalogEntry> scanModels(const std::vector<std::string>& dirs)
{
    std::vector<CatalogEntry> entries;
    std::set<std::string> seen;
    for (const auto& dir : dirs) {
        std::error_code ec;
        std::vector<fs::path> jsons, orphans;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            if (it->path().extension() == ".json" && hasNetworkBeside(it->path()))
                jsons.push_back(it->path());
            if (it->path().extension() == ".onnx" && !fs::exists(fs::path(it->path()).replace_extension(".json")))
                orphans.push_back(it->path());
        }
        std::sort(jsons.begin(), jsons.end());
        std::sort(orphans.begin(), orphans.end());
        // An .onnx without a sidecar is listed, with what it needs (a sidecar naming it by `file`
        // under another stem has claimed it only if its own id comes first: rare, and harmless).
        for (const auto& onnx : orphans) {
            CatalogEntry entry;
            entry.id = onnx.stem().string();
            entry.jsonPath = onnx.string();
            entry.error = "an ONNX model without a sidecar: open it once with File ▸ Open Model… (the window asks how "
                          "it reads an image), or give featurecam-cli --model "
                + onnx.string() + " with --normalize (and --input-size if the file leaves it open)";
            if (seen.insert(entry.id).second)
                entries.push_back(std::move(entry));
        }
        for (const auto& json : jsons) {
            CatalogEntry entry;
            entry.id = json.stem().string();
            entry.jsonPath = json.string();
            if (!seen.insert(entry.id).second)
                continue;
            try {
                entry.sidecar = readSidecar(entry.jsonPath);
            } catch (const Error& e) {
                entry.error = e.userMessage();
            }
            entries.push_back(std::move(entry));
        }
    }
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    return entries;
}

Sidecar findModel(const std::vector<std::string>& dirs, const std::string& nameOrPath)
{
    const fs::path given(nameOrPath);
    if (given.extension() == ".pt" || given.extension() == ".onnx" || given.extension() == ".json") {
        const fs::path json = fs::path(given).replace_extension(".json");
        if (!fs::exists(given))
            throw Error(ErrorCode::ModelNotFound,
                "The model file \"" + nameOrPath + "\" does not exist." + lostBytesHint(nameOrPath));
        if (!fs::exists(json))
            throw Error(ErrorCode::BadSidecar,
                "The model \"" + nameOrPath + "\" has no sidecar: expected \"" + json.string()
                    + "\" beside it (see models/README.md).");
        return readSidecar(json.string());
    }
    for (const auto& dir : dirs) {
        const fs::path json = fs::path(dir) / (nameOrPath + ".json");
        if (fs::exists(json) && hasNetworkBeside(json))
            return readSidecar(json.string());
    }
    throw Error(ErrorCode::ModelNotFound,
        "No model named \"" + nameOrPath + "\" was found in the models path (" + joined(dirs)
            + "). Use --models DIR or set FEATURECAM_MODEL_PATH; "
              "`featurecam-cli models` lists what is found.");
}

} // namespace fcs
