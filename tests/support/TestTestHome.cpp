// Issue 25: the test suite wrote its temporary models into the user's real
// ~/.cache/featurecam/validated-models.txt. Every test program now keeps settings, caches and
// data in the build tree (support/TestHome.cpp); this checks where Qt looks them up.

#include "TestConfig.h"

#include <QStandardPaths>
#include <QtTest>

class TestTestHome : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void settingsAndCachesAreKeptInTheBuildTree()
    {
        for (const auto location : {QStandardPaths::GenericCacheLocation, QStandardPaths::GenericConfigLocation,
                 QStandardPaths::GenericDataLocation, QStandardPaths::CacheLocation, QStandardPaths::AppConfigLocation}) {
            const QString path = QStandardPaths::writableLocation(location);
            QVERIFY2(path.startsWith(FCS_TEST_HOME "/"), qPrintable(path + " is outside " FCS_TEST_HOME));
        }
    }
};

QTEST_GUILESS_MAIN(TestTestHome)
#include "TestTestHome.moc"
