// models/export.py: every torchvision architecture of the paper's list, exported with random
// weights, loads in the engine with logits of the right width and gives a Grad-CAM of the input's
// size; a user's own module exports; the error paths say what is wrong.

#include "TestPaths.h"

#include "engine/explain/Explainer.h"
#include "engine/model/ModelCatalog.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace fcs;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run exporter(const QStringList& arguments)
{
    QProcess process;
    process.start(FCS_PYTHON, QStringList{FCS_EXPORTER} + arguments + QStringList{"--cli", FCS_CLI_PATH});
    if (!process.waitForFinished(600000))
        return {};
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2,
        QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

bool torchvisionAvailable()
{
    QProcess process;
    process.start(FCS_PYTHON, {"-c", "import torch, torchvision"});
    return process.waitForFinished(60000) && process.exitCode() == 0;
}

} // namespace

class TestExporter : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        if (!torchvisionAvailable())
            QSKIP("python3-torch / python3-torchvision are not installed (scripts/install-deps.sh installs them)");
        QVERIFY(m_dir.isValid());
    }

    void torchvisionArchitecturesLoadAndExplain_data()
    {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<int>("side");
        QTest::addColumn<int>("channels");
        QTest::addRow("vgg16") << "vgg16" << 224 << 512;
        QTest::addRow("resnet50") << "resnet50" << 224 << 2048;
        QTest::addRow("inception_v3") << "inception_v3" << 299 << 2048;
        QTest::addRow("mobilenet_v2") << "mobilenet_v2" << 224 << 1280;
        QTest::addRow("densenet121") << "densenet121" << 224 << 1024;
        QTest::addRow("efficientnet_b0") << "efficientnet_b0" << 224 << 1280;
    }

    void torchvisionArchitecturesLoadAndExplain()
    {
        QFETCH(QString, arch);
        QFETCH(int, side);
        QFETCH(int, channels);
        const QString out = m_dir.filePath(arch);
        const Run run = exporter({"--arch", arch, "--random-weights", "--out", out});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains("loaded and run by featurecam-cli"), qPrintable(run.out));
        QVERIFY(run.out.contains(QString("features [%1,").arg(channels)));

        Explainer explainer(findModel({out.toStdString()}, arch.toStdString()));
        QCOMPARE(explainer.sidecar().numClasses, 1000);
        QCOMPARE(explainer.sidecar().inputHeight, side);
        QCOMPARE(explainer.sidecar().labels.front(), std::string("tench"));
        cv::Mat image(180, 240, CV_8UC3);
        cv::randu(image, 0, 255);
        ExplainSettings settings;
        settings.methods = {"gradcam"};
        const Explanation explanation = explainer.explain(image, settings);
        QCOMPARE(explanation.methods.front().map.size(), cv::Size(side, side));
        QVERIFY(cv::checkRange(explanation.methods.front().map, true, nullptr, 0, 1.0001));
        QCOMPARE(int(explanation.predictions.size()), 5);
        QVERIFY(explanation.explainedClass >= 0 && explanation.explainedClass < 1000);
        QFile::remove(out + "/" + arch + ".pt"); // VGG16 alone is 550 MB
    }

    void usersOwnModule()
    {
        const QString dir = m_dir.filePath("user");
        QDir().mkpath(dir);
        QFile source(dir + "/net.py");
        QVERIFY(source.open(QIODevice::WriteOnly));
        source.write(
            "import torch, torch.nn as nn\n"
            "def build():\n"
            "    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 4, 3, padding=1),\n"
            "                         nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 2))\n"
            "if __name__ == '__main__':\n"
            "    torch.manual_seed(1)\n"
            "    torch.save(build().state_dict(), __file__.replace('net.py', 'net.pth'))\n");
        source.close();
        QProcess weights;
        weights.start(FCS_PYTHON, {dir + "/net.py"});
        QVERIFY(weights.waitForFinished(60000) && weights.exitCode() == 0);
        QFile labels(dir + "/labels.txt");
        QVERIFY(labels.open(QIODevice::WriteOnly));
        labels.write("circle\nsquare\n");
        labels.close();
        const QStringList common{"--module", dir + "/net.py:build", "--input-size", "32", "32", "--labels",
            dir + "/labels.txt", "--name", "shapes", "--out", dir + "/out"};

        const Run ok = exporter(common + QStringList{"--weights", dir + "/net.pth", "--target-layer", "3"});
        QVERIFY2(ok.exitCode == 0, qPrintable(ok.err));
        Explainer explainer(findModel({(dir + "/out").toStdString()}, "shapes"));
        QCOMPARE(explainer.sidecar().labels, (std::vector<std::string>{"circle", "square"}));
        ExplainSettings settings;
        settings.methods = {"gradcam", "gradcampp"};
        QCOMPARE(explainer.explain(cv::Mat(40, 40, CV_8UC3, cv::Scalar(9, 99, 199)), settings).methods.size(),
            std::size_t(2));

        const Run wrongLayer
            = exporter(common + QStringList{"--weights", dir + "/net.pth", "--target-layer", "body.3"});
        QCOMPARE(wrongLayer.exitCode, 1);
        QVERIFY2(wrongLayer.err.contains("no layer named 'body.3'") && wrongLayer.err.contains("\n  4\n"),
            qPrintable(wrongLayer.err));
        const Run noWeights = exporter(common + QStringList{"--weights", dir + "/absent.pth", "--target-layer", "3"});
        QCOMPARE(noWeights.exitCode, 1);
        QVERIFY2(noWeights.err.contains("absent.pth") && noWeights.err.contains("does not exist"),
            qPrintable(noWeights.err));
    }

    void unknownArchitectureIsAUsageError()
    {
        const Run run = exporter({"--arch", "alexnet9", "--out", m_dir.filePath("x")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("unknown architecture 'alexnet9'") && run.err.contains("resnet50"));
    }
};

QTEST_GUILESS_MAIN(TestExporter)
#include "TestExporter.moc"
