// Every test program and every program a test starts keeps its settings, caches and data in the
// build tree's test-home/, never in the user's (~/.config, ~/.cache: the validated-models list,
// the gallery's cache, QSettings). Set before main(), so before any QStandardPaths lookup; a
// test that wants a fresh folder of its own (isolateWindowSettings) still sets one later.

#include "TestConfig.h"

#include <cstdlib>
#include <string>

// fcs_test_support's link options name this symbol, so every test links this file.
extern "C" {
extern const int fcsTestHomeAnchor;
const int fcsTestHomeAnchor = 1;
}

namespace {

bool isolateTestHome()
{
    const std::string home = FCS_TEST_HOME;
    setenv("XDG_CACHE_HOME", (home + "/cache").c_str(), 1);
    setenv("XDG_CONFIG_HOME", (home + "/config").c_str(), 1);
    setenv("XDG_DATA_HOME", (home + "/data").c_str(), 1);
    return true;
}

[[maybe_unused]] const bool isolated = isolateTestHome();

} // namespace
