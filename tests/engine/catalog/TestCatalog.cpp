// The catalogue is the one place methods, edge detectors and defaults are declared: every entry
// is complete and makes what it says, descriptions follow the settings, the edge detectors
// offered follow the models path (HED only with its files), and the compare view's one-call
// request (all methods, failures reported) gives the same maps as one call per method.

#include "TinyModels.h"

#include "engine/cam/CamMethod.h"
#include "engine/catalog/EdgeCatalog.h"
#include "engine/catalog/MethodCatalog.h"
#include "engine/catalog/VariantDescription.h"
#include "engine/core/Error.h"
#include "engine/explain/Explainer.h"
#include "engine/explain/MethodAnatomy.h"
#include "engine/gallery/GalleryKeys.h"
#include "engine/live/LiveExplainer.h"
#include "engine/model/Sidecar.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <set>

using namespace fcs;

namespace {

std::vector<std::string> ids(const std::vector<EdgeDetectorInfo>& detectors)
{
    std::vector<std::string> out;
    for (const auto& detector : detectors)
        out.push_back(detector.id);
    return out;
}

// A stand-in for a method declared outside the catalogue's file: Grad-CAM's map under another
// entry, whose capabilities are what the test is about.
MethodInfo standInMethod(const std::string& id, MethodCapabilities capabilities)
{
    return {id, "Stand-in " + id, "A test's stand-in.",
        [](const MethodParameters&) { return std::string("A test's stand-in, computed as Grad-CAM."); }, capabilities,
        [](const MethodParameters& p) { return requireMethod("gradcam").make(p); }};
}

std::string readsSeed(const MethodParameters& parameters)
{
    return "seed=" + std::to_string(parameters.smooth.seed);
}

void touch(const QString& path)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("x");
}

} // namespace

class TestCatalog : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_handModel;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto network = test::handNetwork();
        m_handModel = test::saveWithSidecar(network, m_dir.path().toStdString(), "hand", 2, 16);
    }

    void everyMethodEntryIsCompleteAndMakesItself()
    {
        std::set<std::string> seen;
        const MethodParameters parameters;
        for (const auto& method : methodCatalog()) {
            QVERIFY2(seen.insert(method.id).second, method.id.c_str());
            QVERIFY(!method.displayName.empty());
            QVERIFY(!method.summary.empty());
            QVERIFY(method.describe && method.make);
            QVERIFY(method.description(parameters).size() > 40);
            QVERIFY(!method.costDescription(parameters).empty());
            QCOMPARE(makeCamMethod(method.id, parameters)->id(), method.id);
            QCOMPARE(findMethod(method.id), &method);
        }
        QCOMPARE(allMethodIds().size(), methodCatalog().size());
        QVERIFY(findMethod("scorecam-typo") == nullptr);
        QVERIFY_THROWS_EXCEPTION(Error, requireMethod("scorecam-typo"));
        const QString list = QString::fromStdString(methodIdList());
        QVERIFY2(list.startsWith("gradcam, gradcampp, smoothgradcampp, cam, "), qPrintable(list));
        QVERIFY2(list.endsWith(" or " + QString::fromStdString(methodCatalog().back().id)), qPrintable(list));
        QCOMPARE(list.count(", ") + 2, int(methodCatalog().size()));
    }

    void theProtocolLeavesOutMethodsThatEqualGradCam()
    {
        // CAM needs a GAP + linear head, where its map is Grad-CAM's: not a separate result. The
        // paper's three are in the protocol, in the catalogue's order.
        const auto protocol = protocolMethodIds();
        QCOMPARE(paperMethodIds(), (std::vector<std::string>{"gradcam", "gradcampp", "smoothgradcampp"}));
        for (const auto& method : methodCatalog())
            QCOMPARE(std::count(protocol.begin(), protocol.end(), method.id),
                method.capabilities.needsGapLinearHead ? 0 : 1);
        QVERIFY(requireMethod("cam").capabilities.needsGapLinearHead);
        QVERIFY(!requireMethod("cam").capabilities.needsGradients);
        QCOMPARE(requireMethod("smoothgradcampp").capabilities.cost, MethodCost::SamplePasses);
    }

    void descriptionsFollowTheSettings()
    {
        MethodParameters parameters;
        parameters.smooth.samples = 7;
        parameters.k = 0.4;
        const std::string smooth = requireMethod("smoothgradcampp").description(parameters);
        QVERIFY2(smooth.find("makes 7 slightly noisy copies") != std::string::npos, smooth.c_str());
        QVERIFY(requireMethod("smoothgradcampp").costDescription(parameters).find("7 forward") == 0);
        // X1 adds k times P: the text says the k in use, not "a quarter".
        const std::string x1 = describeFeatureCamVariant({Experiment::X1, PerturbedInput::I2}, parameters);
        QVERIFY2(
            x1.find("adds k = 0.4 times two parts grey image to one part edge map") != std::string::npos, x1.c_str());
        QVERIFY(x1.find("quarter") == std::string::npos);
        const std::string x3 = describeFeatureCamVariant({Experiment::X3, PerturbedInput::I3}, parameters);
        QVERIFY2(x3.find("X3-I3 multiplies the saliency map by the inverse of equal parts") != std::string::npos,
            x3.c_str());
    }

    void edgeDetectorsFollowTheModelsPath()
    {
        QTemporaryDir models;
        QVERIFY(models.isValid());
        EdgeOptions options = edgeOptionsFor({models.path().toStdString()});
        QCOMPARE(ids(availableEdgeDetectors(options)), (std::vector<std::string>{"canny", "sobel"}));
        bool fellBack = false;
        QCOMPARE(preferredEdgeDetector(options, &fellBack)->id(), std::string("sobel"));
        QVERIFY(fellBack);

        // HED is offered once its two files are on the models path (here in a "hed" folder).
        QVERIFY(QDir(models.path()).mkdir("hed"));
        touch(models.filePath("hed/deploy.prototxt"));
        touch(models.filePath("hed/hed_pretrained_bsds.caffemodel"));
        options = edgeOptionsFor({models.path().toStdString()});
        QCOMPARE(QString::fromStdString(options.hedWeights), models.filePath("hed/hed_pretrained_bsds.caffemodel"));
        QCOMPARE(ids(availableEdgeDetectors(options)), (std::vector<std::string>{"hed", "canny", "sobel"}));
    }

    void sharedEdgeModelsComeFirstInPreferenceOrder()
    {
        const QString shared = qEnvironmentVariable("FEATURECAM_MODEL_PATH");
        if (shared.isEmpty() || !QFile::exists(shared + "/pidinet_tiny.json")
            || !QFile::exists(shared + "/pidinet.json"))
            QSKIP("the shared PiDiNet models are not on FEATURECAM_MODEL_PATH");
        const auto offered = ids(availableEdgeDetectors(edgeOptionsFor({shared.toStdString()})));
        QVERIFY(offered.size() >= 4);
        QCOMPARE(offered[0], std::string("pidinet_tiny"));
        QCOMPARE(offered[1], std::string("pidinet"));
        QCOMPARE(offered[offered.size() - 2], std::string("canny"));
        QCOMPARE(offered.back(), std::string("sobel"));
    }

    void oneCallForAllMethodsReportsWhatCannotRun()
    {
        // Class 0 of the hand network is quadratic in A: not a GAP + linear head, so CAM cannot run.
        Explainer explainer(readSidecar(m_handModel));
        cv::Mat image(16, 16, CV_8UC3);
        cv::randu(image, 0, 255);
        ExplainSettings settings;
        settings.methods = allMethodIds();
        settings.targetClass = 0;
        settings.smooth.samples = 3;
        QVERIFY_THROWS_EXCEPTION(Error, explainer.explain(image, settings));

        settings.onMethodFailure = MethodFailurePolicy::Report;
        const Explanation all = explainer.explain(image, settings);
        QCOMPARE(all.failures.size(), std::size_t(1));
        QCOMPARE(all.failures[0].methodId, std::string("cam"));
        QVERIFY(all.failures[0].message.find("global average pooling") != std::string::npos);
        QCOMPARE(all.methods.size(), methodCatalog().size() - 1);
        // The stages' times (status bar, evaluate's breakdown): measured, and the maps' total is
        // the methods' own seconds.
        double methodSeconds = 0;
        for (const auto& method : all.methods) {
            QVERIFY(method.seconds > 0);
            methodSeconds += method.seconds;
        }
        QVERIFY(all.timings.gradientPass > 0 && all.timings.variants > 0 && all.timings.reclassification > 0);
        QCOMPARE(all.timings.maps, methodSeconds);

        // Sharing the gradient pass changes no map: each equals its own call's.
        for (const auto& method : all.methods) {
            ExplainSettings one = settings;
            one.methods = {method.methodId};
            const Explanation alone = explainer.explain(image, one);
            QCOMPARE(cv::norm(alone.methods.front().map, method.map, cv::NORM_INF), 0.0);
            QCOMPARE(alone.methods.front().reclassified.confidence, method.reclassified.confidence);
        }
    }

    // Last: it adds two entries to the process's catalogue. What runs live, what the inside view
    // takes apart and what enters the gallery's cache key follow a new entry's capabilities,
    // with no list of ids to edit anywhere (issue 28).
    void aNewMethodIsHandledByItsCapabilitiesAlone()
    {
        registerMethod(standInMethod("test-slow", {true, false, true, MethodCost::ChannelPasses}));
        registerMethod(standInMethod("test-reads-seed", {true, false, false, MethodCost::OnePass, nullptr, readsSeed}));
        QVERIFY_THROWS_EXCEPTION(Error, registerMethod(standInMethod("gradcam", {})));
        QCOMPARE(methodCatalog().back().id, std::string("test-reads-seed"));

        // A slow method never runs on a video's frames; a one-pass one does.
        Explainer explainer(readSidecar(m_handModel));
        QVERIFY(!runsLive("test-slow") && runsLive("test-reads-seed"));
        QVERIFY_THROWS_EXCEPTION(Error, LiveExplainer(explainer, "test-slow"));
        cv::Mat frame(16, 16, CV_8UC3, cv::Scalar(90, 120, 30));
        QVERIFY(!LiveExplainer(explainer, "test-reads-seed").explainFrame(frame).map.empty());
        const auto compared = compareMethodIds();
        QVERIFY(std::count(compared.begin(), compared.end(), "test-slow") == 0);

        // Neither names its channel weights: the inside view does not take them apart.
        QVERIFY(!canDissect("test-slow") && !canDissect("test-reads-seed") && canDissect("smoothgradcampp"));

        // The gallery's key changes with what the method reads, and only for it.
        GallerySettings a, b;
        a.method = b.method = "test-reads-seed";
        b.parameters.smooth.seed = a.parameters.smooth.seed + 1;
        QVERIFY(galleryBaseKey("m", a) != galleryBaseKey("m", b));
        a.method = b.method = "gradcam";
        QCOMPARE(galleryBaseKey("m", a), galleryBaseKey("m", b));
        a.method = b.method = "smoothgradcampp";
        QVERIFY(galleryBaseKey("m", a) != galleryBaseKey("m", b));

        // The explainer runs a registered method like any other.
        ExplainSettings settings;
        settings.methods = {"test-reads-seed", "gradcam"};
        settings.targetClass = 1;
        const Explanation both = explainer.explain(frame, settings);
        QCOMPARE(cv::norm(both.methods[0].map, both.methods[1].map, cv::NORM_INF), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestCatalog)
#include "TestCatalog.moc"
