// libFuzzer: any bytes as one shard folder of an evaluation (issue 25) — its run.json, shard.json
// and per_image.csv, separated in the input by lines "====" — merged (mergeShards) and checked
// for completion (isShardComplete), as `featurecam-cli merge` and `evaluate --slurm` read them.
// fcs::Error is the expected answer to a tampered folder; any other exception or a crash is a bug
// (the CLI would exit 70, an internal error, for a bad input).

#include "engine/core/Error.h"
#include "engine/evaluate/ShardMerge.h"
#include "engine/evaluate/Sharding.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

namespace {

void writeFile(const std::string& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const std::string folder = [] {
        char pattern[] = "/tmp/fcs-fuzz-shard-XXXXXX";
        return std::string(mkdtemp(pattern));
    }();
    const std::string text(reinterpret_cast<const char*>(data), size);
    const std::string separator = "\n====\n";
    const std::size_t first = text.find(separator);
    const std::size_t second = first == std::string::npos ? first : text.find(separator, first + separator.size());
    const auto part = [&](std::size_t from, std::size_t to) {
        return from >= text.size() ? std::string() : text.substr(from, to == std::string::npos ? to : to - from);
    };
    writeFile(folder + "/run.json", part(0, first));
    writeFile(folder + "/" + fcs::kShardStatusFile,
        first == std::string::npos ? std::string() : part(first + separator.size(), second));
    writeFile(folder + "/per_image.csv", second == std::string::npos ? std::string() : part(second + separator.size(),
                                                                                           std::string::npos));
    fcs::isShardComplete(folder);
    try {
        fcs::mergeShards({folder});
    } catch (const fcs::Error&) {
    }
    return 0;
}
