// libFuzzer: any bytes as a model's JSON sidecar (and as its labels file). fcs::Error is the
// expected answer; a crash, a sanitizer report or another exception is a bug.

#include "engine/core/Error.h"
#include "engine/model/Sidecar.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

namespace {

std::string scratchDir()
{
    static const std::string dir = [] {
        char pattern[] = "/tmp/fcs-fuzz-sidecar-XXXXXX";
        return std::string(mkdtemp(pattern));
    }();
    return dir;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string json = scratchDir() + "/model.json";
    {
        std::ofstream out(json, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), std::streamsize(size));
        // The same bytes as labels.txt: a sidecar naming it reads it too.
        std::ofstream labels(scratchDir() + "/labels.txt", std::ios::binary | std::ios::trunc);
        labels.write(reinterpret_cast<const char*>(data), std::streamsize(size));
    }
    try {
        const fcs::Sidecar sidecar = fcs::readSidecar(json);
        if (sidecar.kind == fcs::ModelKind::Classifier && int(sidecar.labels.size()) != sidecar.numClasses)
            __builtin_trap();
    } catch (const fcs::Error&) {
    }
    return 0;
}
