// The memory policy (engine/core/MemoryPolicy.h, issue 26) by its behaviour, not by time: a warm
// network pass must reuse the memory of the pass before instead of asking the kernel for fresh
// pages. Without the policy a warm MobileNetV2 forward faulted in thousands of pages per pass
// (docs/performance.md), so a small per-pass limit catches the policy's loss on any machine,
// fast or slow page faults alike.

#include "TestPaths.h"

#include "engine/cam/GradientPass.h"
#include "engine/core/MemoryPolicy.h"
#include "engine/core/Threads.h"
#include "engine/model/ClassifierModel.h"
#include "engine/model/ModelCatalog.h"

#include <QtTest>

#include <malloc.h>

#include <algorithm>
#include <cstdlib>
#include <thread>
#include <vector>

using namespace fcs;

#if defined(__SANITIZE_ADDRESS__)
#define FCS_SKIP_UNDER_SANITIZER() QSKIP("AddressSanitizer's allocator quarantines freed memory: its page faults say nothing of ours")
#else
#define FCS_SKIP_UNDER_SANITIZER()
#endif

namespace {

// Far below the thousands of a pass that maps its activations afresh, above the handful a pass
// may still touch (a new block of a growing cache, a thread's first use of an arena).
constexpr double kMaxFaultsPerWarmPass = 64;

// The median over ten warm passes: a lost policy faults on every pass, while the kernel's own
// work on a busy machine (compaction moving pages, seen: 40-80 faults in one pass of ten) hits a few.
template<typename Pass>
double faultsPerWarmPass(Pass pass)
{
    for (int warm = 0; warm < 3; ++warm)
        pass();
    std::vector<long> faults;
    for (int i = 0; i < 10; ++i) {
        const long before = minorPageFaults();
        pass();
        faults.push_back(minorPageFaults() - before);
    }
    std::nth_element(faults.begin(), faults.begin() + 5, faults.end());
    return double(faults[5]);
}

} // namespace

class TestMemoryPolicy : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ClassifierModel> m_model;
    torch::Tensor m_input;

    // glibc's defaults asked for, or a sanitizer's allocator in glibc's place (scripts/sanitize.sh).
    bool policyTurnedOffOnPurpose()
    {
#if defined(__SANITIZE_ADDRESS__)
        return true;
#else
        const char* choice = std::getenv("FEATURECAM_MEMORY_POLICY");
        return choice != nullptr && std::string(choice) == "system";
#endif
    }

private Q_SLOTS:
    void initTestCase()
    {
        setComputeThreads(1);
        if (QFile::exists(test::modelsDir() + "/mobilenet_v2_1.0_224.pt")) {
            m_model = ClassifierModel::load(findModel({test::modelsDir().toStdString()}, "mobilenet_v2_1.0_224"));
            m_input = torch::rand({1, 3, 224, 224}) * 2 - 1;
        }
    }

    void policyIsInForceBeforeMain()
    {
        if (policyTurnedOffOnPurpose())
            QSKIP("glibc's allocator is not the one in force (FEATURECAM_MEMORY_POLICY=system or a sanitizer)");
        QVERIFY2(memoryPolicy().applied, memoryPolicy().description.c_str());
    }

    void aFreedActivationSizedBlockStaysInTheHeap()
    {
        // A 6 MB block (a MobileNetV2 activation at 224 x 224 is 1.5-6 MB) must come from the
        // heap, not from mmap: glibc counts mmapped bytes in hblkhd.
        if (policyTurnedOffOnPurpose())
            QSKIP("glibc's allocator is not the one in force (FEATURECAM_MEMORY_POLICY=system or a sanitizer)");
        const std::size_t mappedBefore = mallinfo2().hblkhd;
        void* block = std::malloc(std::size_t(6) << 20);
        QVERIFY(block != nullptr);
        const std::size_t mappedWith = mallinfo2().hblkhd;
        std::free(block);
        QCOMPARE(mappedWith, mappedBefore);
    }

    void warmForwardTouchesNoFreshPages()
    {
        FCS_REQUIRE_SHARED_MODEL("mobilenet_v2_1.0_224");
        FCS_SKIP_UNDER_SANITIZER();
        torch::InferenceMode inference;
        const double faults = faultsPerWarmPass([&] { m_model->forward(m_input); });
        qInfo("warm MobileNetV2 forward: %.1f minor page faults in the median pass (%s)", faults,
            memoryPolicy().description.c_str());
        QVERIFY2(faults <= kMaxFaultsPerWarmPass, qPrintable(QString("%1 page faults per warm forward").arg(faults)));
    }

    void warmGradientPassTouchesNoFreshPages()
    {
        FCS_REQUIRE_SHARED_MODEL("mobilenet_v2_1.0_224");
        FCS_SKIP_UNDER_SANITIZER();
        const double faults = faultsPerWarmPass([&] { computeGradients(*m_model, m_input, {340}); });
        qInfo("warm MobileNetV2 gradient pass: %.1f minor page faults in the median pass", faults);
        QVERIFY2(faults <= kMaxFaultsPerWarmPass, qPrintable(QString("%1 page faults per warm gradient pass").arg(faults)));
    }

    void warmForwardOnAnotherThreadTouchesNoFreshPages()
    {
        // Worker threads (the window's engine thread, evaluation lanes, live) allocate from
        // arenas of their own, which glibc trims by the same threshold.
        FCS_REQUIRE_SHARED_MODEL("mobilenet_v2_1.0_224");
        FCS_SKIP_UNDER_SANITIZER();
        double faults = 0;
        std::thread worker([&] {
            prepareComputeThread(1);
            torch::InferenceMode inference;
            faults = faultsPerWarmPass([&] { m_model->forward(m_input.expand({2, 3, 224, 224}).contiguous()); });
        });
        worker.join();
        qInfo("warm MobileNetV2 forward of 2 images on a worker thread: %.1f minor page faults in the median pass", faults);
        QVERIFY2(faults <= kMaxFaultsPerWarmPass, qPrintable(QString("%1 page faults per warm forward").arg(faults)));
    }
};

QTEST_GUILESS_MAIN(TestMemoryPolicy)
#include "TestMemoryPolicy.moc"
