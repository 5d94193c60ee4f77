#include "engine/core/MemoryPolicy.h"

#include <cstdlib>
#include <cstring>
#include <malloc.h>
#include <sys/resource.h>

// The engine's link options name this symbol as undefined (engine/CMakeLists.txt), so the linker
// takes this file from the static library into every program, and its initializer runs.
extern "C" {
extern const int fcsMemoryPolicyAnchor;
const int fcsMemoryPolicyAnchor = 1;
}

namespace fcs {

namespace {

bool tunableSet(const char* name)
{
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    return tunables != nullptr && std::strstr(tunables, name) != nullptr;
}

MemoryPolicy apply()
{
    const char* choice = std::getenv("FEATURECAM_MEMORY_POLICY");
    if (choice != nullptr && std::strcmp(choice, "system") == 0)
        return {false, "glibc's defaults (FEATURECAM_MEMORY_POLICY=system)"};
    if (tunableSet("glibc.malloc.mmap_threshold") || tunableSet("glibc.malloc.trim_threshold"))
        return {false, "glibc's tunables from GLIBC_TUNABLES"};
    // Setting either threshold also turns off glibc's sliding mmap threshold, which would only
    // rise after a large block has been freed once (the first passes would still fault).
    const bool ok = mallopt(M_MMAP_THRESHOLD, int(kMmapThreshold)) == 1
        && mallopt(M_TRIM_THRESHOLD, int(kTrimThreshold)) == 1;
    if (!ok)
        return {false, "glibc refused the thresholds; its defaults are in force"};
    return {true, "heap keeps freed memory (mmap above 32 MiB, trim above 128 MiB)"};
}

const MemoryPolicy& policyAppliedAtStart()
{
    static const MemoryPolicy policy = apply();
    return policy;
}

// Before main(): the first network pass must already run under the policy.
[[maybe_unused]] const MemoryPolicy& appliedBeforeMain = policyAppliedAtStart();

} // namespace

const MemoryPolicy& memoryPolicy()
{
    return policyAppliedAtStart();
}

long minorPageFaults()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_minflt;
}

} // namespace fcs
