#pragma once
// Test helpers: the shared models and sample photos (QSKIP with a clear message only where they
// are truly absent) and tiny model fixtures written to a temporary folder.

#include "TestConfig.h"

#include <QDir>
#include <QString>
#include <QtTest>

#include <cstdlib>
#include <string>

namespace fcs::test {

inline QString modelsDir()
{
    const char* env = std::getenv("FEATURECAM_MODEL_PATH");
    return QString::fromLocal8Bit(env && *env ? env : FCS_TEST_MODELS_DIR).section(':', 0, 0);
}

inline QString dataDir()
{
    const char* env = std::getenv("FEATURECAM_DATA_PATH");
    return QString::fromLocal8Bit(env && *env ? env : FCS_TEST_DATA_DIR);
}

inline QString samplePhoto(const QString& file)
{
    return dataDir() + "/imagenet-sample/" + file;
}

// For window tests: settings in `configDir` (a fresh QSettings, nothing from the user's), the
// shared models on the models path, and an application name of the test's own.
inline void isolateWindowSettings(const QString& configDir, const char* testName)
{
    qputenv("XDG_CONFIG_HOME", configDir.toUtf8());
    qputenv("FEATURECAM_MODEL_PATH", modelsDir().toUtf8());
    QCoreApplication::setOrganizationName("FeatureCAMStudioTest");
    QCoreApplication::setApplicationName(testName);
}

// Skips the calling test function when the shared folders are missing (never the case in CI).
#define FCS_REQUIRE_SHARED_MODEL(stem)                                                                                 \
    if (!QFile::exists(fcs::test::modelsDir() + "/" stem ".pt"))                                                       \
        QSKIP(qPrintable("model " stem " not found in " + fcs::test::modelsDir()                                       \
            + "; set FEATURECAM_MODEL_PATH to the shared models folder"));
#define FCS_REQUIRE_SAMPLE_DATA()                                                                                      \
    if (!QFile::exists(fcs::test::dataDir() + "/imagenet-sample/labels.csv"))                                          \
        QSKIP(qPrintable("sample photos not found in " + fcs::test::dataDir()                                          \
            + "; set FEATURECAM_DATA_PATH to the shared data folder"));

} // namespace fcs::test
