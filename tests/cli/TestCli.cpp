// featurecam-cli as a user or a script sees it: exit codes (0 ok, 1 bad input or model,
// 2 usage), --help/--version, the JSON lines of classify, and the files of explain.

#include "TestPaths.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run runCli(const QStringList& arguments, bool withModels = true)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (withModels)
        env.insert("FEATURECAM_MODEL_PATH", fcs::test::modelsDir());
    else
        env.remove("FEATURECAM_MODEL_PATH");
    process.setProcessEnvironment(env);
    process.start(FCS_CLI_PATH, arguments);
    if (!process.waitForFinished(240000))
        return {};
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2,
        QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // Issue 25: the parser reads "-plots" as "--plots", but main() looked for "--plots" alone to
    // make a QApplication, and the charts then aborted the program after the tables.
    void singleDashOptionsActAsTheirLongForms()
    {
        const QString plots = m_dir.filePath("single-dash-plots"), out = m_dir.filePath("single-dash-eval");
        const Run run = runCli({"evaluate", "--images", FCS_DEMO_MODEL_DIR "/samples", "--model",
            "featurecam_demo_shapes", "-method", "gradcam", "--feature-cam", "none", "--convention", "hard",
            "--auc-steps", "0", "-plots", plots, "-out", out});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(QFile::exists(out + "/summary.json"));
        QVERIFY2(!QDir(plots).entryList({"*.png", "*.pdf"}, QDir::Files).isEmpty(), qPrintable(run.out + run.err));
    }

    void versionAndHelp()
    {
        const Run version = runCli({"--version"});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith("featurecam-cli "));
        const Run help = runCli({"--help"});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("explain") && help.out.contains("FEATURECAM_MODEL_PATH"));
        const Run explainHelp = runCli({"explain", "--help"});
        QCOMPARE(explainHelp.exitCode, 0);
        QVERIFY(explainHelp.out.contains("--keep") && explainHelp.out.contains("--method"));
    }

    void usageErrorsExitTwo_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addRow("nothing") << QStringList{};
        QTest::addRow("unknown command") << QStringList{"explode"};
        QTest::addRow("unknown option") << QStringList{"classify", "--frobnicate", "x.png"};
        QTest::addRow("no image") << QStringList{"classify"};
        QTest::addRow("bad top") << QStringList{"classify", "--top", "zero", "x.png"};
        QTest::addRow("bad method") << QStringList{"explain", "--method", "gradcam+++", "x.png"};
        QTest::addRow("keep out of range") << QStringList{"explain", "--keep", "120", "x.png"};
        QTest::addRow("bad colormap") << QStringList{"explain", "--colormap", "rainbow", "x.png"};
        QTest::addRow("bad feature-cam set") << QStringList{"explain", "--feature-cam", "top3", "x.png"};
        QTest::addRow("k out of range") << QStringList{"explain", "--feature-cam", "top5", "--k", "0.7", "x.png"};
    }

    void usageErrorsExitTwo()
    {
        QFETCH(QStringList, arguments);
        const Run run = runCli(arguments);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("featurecam-cli"), qPrintable(run.err));
    }

    void badImageExitsOneAndNamesIt()
    {
        FCS_REQUIRE_SHARED_MODEL("mobilenet_v2_1.0_224");
        QFile text(m_dir.filePath("notes.png"));
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("not a picture");
        text.close();
        const Run run = runCli({"classify", m_dir.filePath("notes.png")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("notes.png") && run.err.contains("not an image"), qPrintable(run.err));
    }

    void unknownModelExitsOne()
    {
        const Run run = runCli({"classify", "--model", "no_such_model", "x.png"});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("no_such_model"), qPrintable(run.err));
    }

    void modelsListsTheSharedModels()
    {
        FCS_REQUIRE_SHARED_MODEL("mobilenet_v2_1.0_224");
        const Run run = runCli({"models"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains(QRegularExpression("mobilenet_v2_1.0_224\\s+classifier\\s+224x224\\s+1000")));
        QVERIFY(run.out.contains(QRegularExpression("pidinet\\s+edge")));
        const Run viaOption = runCli({"models", "--models", fcs::test::modelsDir()}, false);
        QCOMPARE(viaOption.out, run.out);
    }

    void classifyJsonLines()
    {
        FCS_REQUIRE_SHARED_MODEL("mobilenet_v2_1.0_224");
        FCS_REQUIRE_SAMPLE_DATA();
        const QString zebra = fcs::test::samplePhoto("n02391049_zebra.JPEG");
        const QString tench = fcs::test::samplePhoto("n01440764_tench.JPEG");
        const Run run = runCli({"classify", "--model", "mobilenet_v2_1.0_224", "--top", "3", "--json", zebra, tench});
        QCOMPARE(run.exitCode, 0);
        const QStringList lines = run.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        const QJsonObject first = QJsonDocument::fromJson(lines[0].toUtf8()).object();
        QCOMPARE(first["image"].toString(), zebra);
        const QJsonArray predictions = first["predictions"].toArray();
        QCOMPARE(predictions.size(), 3);
        QCOMPARE(predictions[0].toObject()["class_index"].toInt(), 340);
        QCOMPARE(predictions[0].toObject()["label"].toString(), QString("zebra"));
        QVERIFY(predictions[0].toObject()["probability"].toDouble() > 0.99);
        QCOMPARE(QJsonDocument::fromJson(lines[1].toUtf8())
                     .object()["predictions"]
                     .toArray()[0]
                     .toObject()["class_index"]
                     .toInt(),
            0);
    }

    void explainWritesTheFourFilesAndResult()
    {
        FCS_REQUIRE_SHARED_MODEL("mobilenet_v2_1.0_224");
        FCS_REQUIRE_SAMPLE_DATA();
        const QString out = m_dir.filePath("explained");
        const Run run = runCli({"explain", "--method", "gradcam", "--method", "gradcampp", "--keep", "50", "--out", out,
            fcs::test::samplePhoto("n01440764_tench.JPEG"), m_dir.filePath("missing.jpg")});
        QCOMPARE(run.exitCode, 1); // one of the two images does not exist; the other is done
        QVERIFY(run.err.contains("missing.jpg"));
        for (const char* method : {"gradcam", "gradcampp"}) {
            const QString dir = out + "/n01440764_tench/" + method;
            for (const char* file : {"saliency.png", "map16.png", "mask.png", "explanation.png"})
                QVERIFY2(QFile::exists(dir + "/" + file), qPrintable(dir + "/" + file));
            const cv::Mat map16 = cv::imread((dir + "/map16.png").toStdString(), cv::IMREAD_UNCHANGED);
            QCOMPARE(map16.type(), CV_16U);
            QCOMPARE(map16.size(), cv::Size(224, 224));
            const cv::Mat mask = cv::imread((dir + "/mask.png").toStdString(), cv::IMREAD_UNCHANGED);
            QVERIFY(qAbs(cv::countNonZero(mask) / double(mask.total()) - 0.5) < 0.01);
            // The pictures at the photo's own size (500 × 375), as the window shows them.
            for (const char* file : {"saliency.png", "mask.png", "explanation.png"})
                QCOMPARE(cv::imread((dir + "/" + file).toStdString()).size(), cv::Size(500, 375));
        }
        // With --center-crop, at the size of the window of the photo the model sees: the shorter
        // side 375 scaled to 256, a 224 window: 224 · 375 / 256 = 328 photo pixels square.
        const QString cropped = m_dir.filePath("explained-cropped");
        QCOMPARE(runCli({"explain", "--center-crop", "--out", cropped, fcs::test::samplePhoto("n01440764_tench.JPEG")})
                     .exitCode,
            0);
        QCOMPARE(
            cv::imread((cropped + "/n01440764_tench/gradcam/saliency.png").toStdString()).size(), cv::Size(328, 328));
        QFile resultFile(out + "/n01440764_tench/result.json");
        QVERIFY(resultFile.open(QIODevice::ReadOnly));
        const QJsonObject result = QJsonDocument::fromJson(resultFile.readAll()).object();
        QCOMPARE(result["explained_class"].toObject()["class_index"].toInt(), 0);
        QCOMPARE(result["predictions"].toArray()[0].toObject()["label"].toString(), QString("tench, Tinca tinca"));
        const QJsonObject gradcam = result["methods"].toObject()["gradcam"].toObject();
        QVERIFY(gradcam["explanation_top1"].toObject().contains("class_index"));
        const double confidence = gradcam["explanation_confidence"].toDouble();
        QVERIFY(confidence > 0 && confidence <= 1);
    }

    void explainWithFeatureCam()
    {
        FCS_REQUIRE_SHARED_MODEL("mobilenet_v2_1.0_224");
        FCS_REQUIRE_SAMPLE_DATA();
        const QString out = m_dir.filePath("featurecam");
        const Run run = runCli({"explain", "--feature-cam", "all", "--edges", "sobel", "--k", "0.4", "--out", out,
            fcs::test::samplePhoto("n01440764_tench.JPEG")});
        QCOMPARE(run.exitCode, 0);
        const QString imageDir = out + "/n01440764_tench";
        const cv::Mat edges = cv::imread((imageDir + "/edges16.png").toStdString(), cv::IMREAD_UNCHANGED);
        QCOMPARE(edges.type(), CV_16U);
        QCOMPARE(edges.size(), cv::Size(500, 375)); // the detector's resolution: the photo's own (<= 512)
        QFile resultFile(imageDir + "/result.json");
        QVERIFY(resultFile.open(QIODevice::ReadOnly));
        const QJsonObject result = QJsonDocument::fromJson(resultFile.readAll()).object();
        QCOMPARE(result["featurecam"].toObject()["edges"].toString(), QString("sobel"));
        QCOMPARE(result["featurecam"].toObject()["k"].toDouble(), 0.4);
        const QJsonObject variants = result["methods"].toObject()["gradcam"].toObject()["featurecam"].toObject();
        QCOMPARE(variants.size(), 9);
        for (const QString& variant : variants.keys()) {
            for (const char* file : {"saliency.png", "map16.png", "mask.png", "explanation.png"})
                QVERIFY2(QFile::exists(imageDir + "/gradcam/featurecam/" + variant + "/" + file), qPrintable(variant));
            const double confidence = variants[variant].toObject()["explanation_confidence"].toDouble();
            QVERIFY(confidence > 0 && confidence <= 1);
        }
        const Run badEdges = runCli({"explain", "--feature-cam", "top5", "--edges", "no_such_edges", "--out", out,
            fcs::test::samplePhoto("n01440764_tench.JPEG")});
        QCOMPARE(badEdges.exitCode, 1);
        QVERIFY2(badEdges.err.contains("no_such_edges"), qPrintable(badEdges.err));
    }

    void explainOfAFolderAndAClass()
    {
        FCS_REQUIRE_SHARED_MODEL("mobilenet_v2_1.0_224");
        FCS_REQUIRE_SAMPLE_DATA();
        const QString images = m_dir.filePath("folder");
        QDir().mkpath(images);
        QFile::copy(fcs::test::samplePhoto("n02391049_zebra.JPEG"), images + "/a.jpg");
        QFile::copy(fcs::test::samplePhoto("n01440764_tench.JPEG"), images + "/b.jpg");
        const QString out = m_dir.filePath("folder-out");
        const Run run = runCli({"explain", "--class", "1", "--out", out, images});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.err.contains("[2/2]")); // progress on stderr
        QFile resultFile(out + "/b/result.json");
        QVERIFY(resultFile.open(QIODevice::ReadOnly));
        QCOMPARE(
            QJsonDocument::fromJson(resultFile.readAll()).object()["explained_class"].toObject()["class_index"].toInt(),
            1);
        QVERIFY(QFile::exists(out + "/a/gradcam/saliency.png"));
    }

    // Issue 27: an .onnx without a sidecar is opened with options that say how it reads an image;
    // missing ones are named; the answers are saved as its sidecar; the importer's layer is said.
    void anOnnxModelWithoutASidecar()
    {
        const QString shared = fcs::test::modelsDir() + "/onnx";
        if (!QFile::exists(shared + "/mobilenet_v2_1.0_224.onnx"))
            QSKIP(qPrintable("the ONNX MobileNetV2 is not in " + shared));
        FCS_REQUIRE_SAMPLE_DATA();
        QVERIFY(QDir().mkpath(m_dir.filePath("onnx")));
        const QString model = m_dir.filePath("onnx/mynet.onnx");
        QVERIFY(QFile::copy(shared + "/mobilenet_v2_1.0_224.onnx", model));
        const QString photo = fcs::test::samplePhoto("n02391049_zebra.JPEG");

        const Run orphan = runCli({"models", "--models", m_dir.filePath("onnx")});
        QVERIFY2(orphan.out.contains("mynet") && orphan.out.contains("without a sidecar"), qPrintable(orphan.out));

        const Run asked = runCli({"classify", "--model", model, photo});
        QCOMPARE(asked.exitCode, 2);
        QVERIFY2(asked.err.contains("has no sidecar")
                && asked.err.contains("--normalize (imagenet, minus-one-to-one, "
                                      "zero-to-one)")
                && !asked.err.contains("--input-size HxW"), // the file declares 224x224
            qPrintable(asked.err));
        QVERIFY(!QFile::exists(m_dir.filePath("onnx/mynet.json")));

        const Run bad = runCli({"classify", "--model", model, "--normalize", "0.5,0.5/0.5,0.5,0.5", photo});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("three numbers"), qPrintable(bad.err));

        const Run answered = runCli({"classify", "--model", model, "--normalize", "minus-one-to-one", "--labels-file",
            shared + "/imagenet_labels.txt", "--top", "1", photo});
        QCOMPARE(answered.exitCode, 0);
        QVERIFY2(answered.out.contains("zebra"), qPrintable(answered.out));
        QVERIFY2(answered.err.contains("saved these answers as") && answered.err.contains("explaining the tensor"),
            qPrintable(answered.err));
        QVERIFY(QFile::exists(m_dir.filePath("onnx/mynet.json")));

        const Run again
            = runCli({"classify", "--models", m_dir.filePath("onnx"), "--model", "mynet", "--top", "1", photo});
        QCOMPARE(again.exitCode, 0);
        QVERIFY(again.out.contains("zebra"));
        const Run listed = runCli({"models", "--models", m_dir.filePath("onnx")});
        QVERIFY2(listed.out.contains("mynet"), qPrintable(listed.out));

        const Run twice = runCli({"classify", "--model", model, "--normalize", "imagenet", photo});
        QCOMPARE(twice.exitCode, 2);
        QVERIFY2(twice.err.contains("is not one"), qPrintable(twice.err));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "TestCli.moc"
