// `featurecam-cli evaluate` on real photos with the real MobileNetV2: complete tables with values
// in range, the protocol reference's confidences reproduced, the same numbers on a second run,
// and a run killed part-way (SIGKILL) that resumes to the same tables as an uninterrupted one;
// the pointing game on the demo model's generated shapes, whose boxes are known.

#include "TestPaths.h"
#include "engine/demo/ShapeGenerator.h"
#include "engine/evaluate/EvaluationStore.h"
#include "engine/evaluate/PointingGame.h"
#include "engine/explain/Explainer.h"
#include "engine/model/ModelCatalog.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <csignal>
#include <map>

namespace {

const int kImages = 20;

QStringList evaluateArguments(const QString& out)
{
    return {"evaluate", "--images", fcs::test::dataDir() + "/imagenet-sample/labels.csv", "--model",
        "mobilenet_v2_1.0_224", "--edges", "pidinet_tiny", "--limit", QString::number(kImages), "--auc-steps", "2",
        "--seed", "0", "--out", out}; // seed 0: the reference's Smooth Grad-CAM++ noise
}

QProcessEnvironment cliEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("FEATURECAM_MODEL_PATH", fcs::test::modelsDir());
    return env;
}

int runToEnd(const QStringList& arguments, QString* err = nullptr)
{
    QProcess process;
    process.setProcessEnvironment(cliEnvironment());
    process.start(FCS_CLI_PATH, arguments);
    if (!process.waitForFinished(600000))
        return -1;
    if (err)
        *err = QString::fromUtf8(process.readAllStandardError());
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
}

QByteArray fileBytes(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeText(const QString& path, const std::string& text)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text.data(), qint64(text.size()));
}

QJsonObject summaryRow(const QJsonArray& rows, const QString& method, const QString& variant)
{
    for (const auto& row : rows)
        if (row.toObject()["method"] == method && row.toObject()["variant"] == variant)
            return row.toObject();
    return {};
}

QJsonArray summaryRows(const QString& folder)
{
    QFile file(folder + "/summary.json");
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object()["rows"].toArray();
}

int dataLines(const QString& csv)
{
    QFile file(csv);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return int(file.readAll().count('\n')) - 1;
}

} // namespace

class TestEvaluateCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_dir.setAutoRemove(qEnvironmentVariableIsEmpty("FCS_KEEP_TEST_FILES"));
    }

    void completeTablesInRange()
    {
        FCS_REQUIRE_SHARED_MODEL("mobilenet_v2_1.0_224");
        FCS_REQUIRE_SAMPLE_DATA();
        QString err;
        QCOMPARE(runToEnd(evaluateArguments(m_dir.filePath("first")), &err), 0);
        // 3 methods × (base + 5 variants) + 2 baselines = 20 maps, × 2 conventions, per image.
        QCOMPARE(dataLines(m_dir.filePath("first/per_image.csv")), kImages * 40);
        const QJsonArray rows = summaryRows(m_dir.filePath("first"));
        QCOMPARE(rows.size(), 40);
        for (const auto& value : rows) {
            const QJsonObject row = value.toObject();
            QCOMPARE(row["n"].toInt(), kImages);
            for (const char* key : {"right_classification", "avg_confidence", "orig_avg_confidence",
                     "increase_vs_original", "average_drop", "increase_in_confidence"}) {
                const double v = row[key].toDouble(-1);
                QVERIFY2(v >= 0 && v <= 100, key);
            }
            for (const char* key : {"deletion_auc", "insertion_auc"}) {
                const double v = row[key].toDouble(-1);
                QVERIFY2(v >= 0 && v <= 1, key);
            }
            const bool variant = row["method"] != "baseline" && row["variant"] != "base";
            QCOMPARE(row["increase_vs_base"].isDouble(), variant);
        }
        for (const char* table : {"table2_right_classification_hard.csv", "table3_avg_confidence_soft.csv",
                 "table_average_drop_hard.csv", "table_deletion_auc.csv"})
            QVERIFY2(QFile::exists(m_dir.filePath("first/") + table), table);
        // Every map beats chance: a CAM's mask keeps the object more often than a random one.
        std::map<QString, double> right;
        for (const auto& value : rows) {
            const QJsonObject row = value.toObject();
            if (row["convention"] == "hard")
                right[row["method"].toString() + "/" + row["variant"].toString()]
                    = row["right_classification"].toDouble();
        }
        QVERIFY(right["gradcam/base"] > right["baseline/random"] + 20);
        // Where the time went, stage by stage, each method named.
        const QString breakdown = err.section("time per image (20 images", 1).section('\n', 0, 0);
        for (const char* stage : {"loading ", "edges ", "gradient pass ", "gradcam ", "gradcampp ", "smoothgradcampp ",
                 "masks and variants ", "re-classification "})
            QVERIFY2(breakdown.contains(stage), qPrintable(stage + (": " + err)));
    }

    // The hard-mask confidences equal the independent implementation's, image by image.
    void matchesTheProtocolReference()
    {
        FCS_REQUIRE_SHARED_MODEL("mobilenet_v2_1.0_224");
        QFile reference(fcs::test::modelsDir() + "/protocol-reference/per_image.csv");
        QVERIFY(reference.open(QIODevice::ReadOnly));
        std::map<QString, double> expected;
        for (const QByteArray& line : reference.readAll().split('\n')) {
            const QList<QByteArray> f = line.split(',');
            if (f.size() == 8)
                expected[f[0] + "|" + f[2] + "|" + f[3]] = f[7].toDouble();
        }
        QFile ours(m_dir.filePath("first/per_image.csv"));
        QVERIFY(ours.open(QIODevice::ReadOnly));
        int compared = 0, aboveTight = 0;
        double worst = 0, worstBase = 0;
        for (const QByteArray& line : ours.readAll().split('\n')) {
            const QList<QByteArray> f = line.split(',');
            if (f.size() < 10 || f[4] != "hard" || f[2] == "baseline")
                continue;
            const auto found = expected.find(f[0] + "|" + f[2] + "|" + f[3]);
            QVERIFY(found != expected.end());
            const double difference = std::abs(found->second - f[9].toDouble());
            worst = std::max(worst, difference);
            if (f[3] == "base")
                worstBase = std::max(worstBase, difference);
            aboveTight += difference >= 1e-4 ? 1 : 0;
            ++compared;
        }
        QCOMPARE(compared, kImages * 18);
        // Base maps equal the reference's to 1e-4. A Feature CAM variant's mask can differ by a
        // pixel at the 20th-percentile threshold where PiDiNet's edges differ in the last float
        // bits (seen: 2 of 360 rows, 1.5e-4 and 2.4e-4, with Debian's OpenBLAS).
        QVERIFY2(worstBase < 1e-4, qPrintable(QString("max |Δ confidence| of base maps = %1").arg(worstBase)));
        QVERIFY2(worst < 1e-3, qPrintable(QString("max |Δ confidence| = %1").arg(worst)));
        QVERIFY2(aboveTight <= compared / 100, qPrintable(QString("%1 rows differ by 1e-4 or more").arg(aboveTight)));
    }

    void sameNumbersTwice()
    {
        FCS_REQUIRE_SHARED_MODEL("mobilenet_v2_1.0_224");
        QCOMPARE(runToEnd(evaluateArguments(m_dir.filePath("second"))), 0);
        QCOMPARE(summaryRows(m_dir.filePath("second")), summaryRows(m_dir.filePath("first")));
    }

    void resumesAfterAKill()
    {
        FCS_REQUIRE_SHARED_MODEL("mobilenet_v2_1.0_224");
        const QString out = m_dir.filePath("killed");
        QProcess process;
        process.setProcessEnvironment(cliEnvironment());
        process.start(FCS_CLI_PATH, evaluateArguments(out));
        QVERIFY(process.waitForStarted());
        QElapsedTimer timer;
        timer.start();
        while (dataLines(out + "/per_image.csv") < 3 * 40 && timer.elapsed() < 300000)
            QTest::qWait(100);
        ::kill(pid_t(process.processId()), SIGKILL);
        QVERIFY(process.waitForFinished());
        const int linesAtKill = dataLines(out + "/per_image.csv");
        QVERIFY2(linesAtKill < kImages * 40, "the run finished before it could be killed");

        QString err;
        QCOMPARE(runToEnd(evaluateArguments(out), &err), 0);
        QVERIFY2(err.contains("from an earlier run"), qPrintable(err));
        QCOMPARE(dataLines(out + "/per_image.csv"), kImages * 40);
        QCOMPARE(summaryRows(out), summaryRows(m_dir.filePath("first")));
    }

    // Two shards and their merge hold exactly the files of the whole run (same threads and batch).
    void shardsMergeIntoTheSameFiles()
    {
        FCS_REQUIRE_SHARED_MODEL("mobilenet_v2_1.0_224");
        QString err;
        for (const QString shard : {"2/2", "1/2"}) {
            QStringList arguments = evaluateArguments(m_dir.filePath("shard-" + shard.left(1)));
            arguments << "--shard" << shard;
            QCOMPARE(runToEnd(arguments, &err), 0);
            QVERIFY2(err.contains("shard " + shard + " of the set: 10 images"), qPrintable(err));
        }
        QCOMPARE(runToEnd({"merge", m_dir.filePath("shard-2"), "--out", m_dir.filePath("merged")}, &err), 1);
        QVERIFY2(err.contains("1/2 is missing"), qPrintable(err));
        QCOMPARE(
            runToEnd({"merge", m_dir.filePath("shard-1"), m_dir.filePath("shard-2"), "--out", m_dir.filePath("merged")},
                &err),
            0);
        for (const QString file :
            {"per_image.csv", "summary.json", "run.json", "table2_right_classification_hard.csv"}) {
            QFile merged(m_dir.filePath("merged/" + file)), whole(m_dir.filePath("first/" + file));
            QVERIFY(merged.open(QIODevice::ReadOnly) && whole.open(QIODevice::ReadOnly));
            QVERIFY2(merged.readAll() == whole.readAll(), qPrintable(file));
        }
        // A shard is not a whole run: merging into a folder of another run is refused.
        QCOMPARE(runToEnd({"merge", m_dir.filePath("shard-1"), m_dir.filePath("shard-2"), "--out",
                              m_dir.filePath("shard-1")},
                     &err),
            1);
        QVERIFY2(err.contains("other settings"), qPrintable(err));
        QStringList bad = evaluateArguments(m_dir.filePath("x"));
        bad << "--shard"
            << "3/2";
        QCOMPARE(runToEnd(bad, &err), 2);
        QVERIFY2(err.contains("at most the number of shards"), qPrintable(err));
    }

    // Several images at once (one thread each) write the files of a one-thread run byte for byte,
    // in the set's order, also when interrupted and resumed.
    void workersWriteTheFilesOfOneThread()
    {
        FCS_REQUIRE_SHARED_MODEL("mobilenet_v2_1.0_224");
        const auto arguments = [this](const QString& out, const QStringList& threads) {
            return QStringList{"evaluate", "--images", fcs::test::dataDir() + "/imagenet-sample/labels.csv", "--model",
                       "mobilenet_v2_1.0_224", "--edges", "pidinet_tiny", "--limit", "8", "--auc-steps", "0",
                       "--convention", "hard", "--out", m_dir.filePath(out)}
            + threads;
        };
        QString err;
        QCOMPARE(runToEnd(arguments("one-thread", {"--threads", "1"}), &err), 0);
        QCOMPARE(runToEnd(arguments("two-workers", {"--threads", "2", "--workers", "2"}), &err), 0);
        QVERIFY2(err.contains("in each of 2 workers"), qPrintable(err));
        const auto bytes = [this](const QString& path) {
            QFile file(m_dir.filePath(path));
            return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
        };
        for (const QString file : {"per_image.csv", "summary.json", "run.json"}) {
            QVERIFY(!bytes("one-thread/" + file).isEmpty());
            QVERIFY2(bytes("two-workers/" + file) == bytes("one-thread/" + file), qPrintable(file));
        }

        QProcess process; // interrupted after its first image: what it wrote is the start of the file
        process.setProcessEnvironment(cliEnvironment());
        process.start(FCS_CLI_PATH, arguments("interrupted", {"--threads", "2", "--workers", "2"}));
        QVERIFY(process.waitForStarted());
        const QString written = m_dir.filePath("interrupted/per_image.csv");
        QElapsedTimer timer;
        timer.start();
        while (dataLines(written) < 20 && timer.elapsed() < 300000)
            QTest::qWait(20);
        ::kill(pid_t(process.processId()), SIGINT);
        QVERIFY(process.waitForFinished(120000));
        QVERIFY2(process.exitCode() != 0, "the run finished before it could be interrupted");
        QVERIFY(QString::fromUtf8(process.readAllStandardError()).contains("interrupted"));
        const QByteArray partial = bytes("interrupted/per_image.csv");
        QVERIFY(dataLines(written) % 20 == 0 && dataLines(written) < 8 * 20);
        QVERIFY(bytes("one-thread/per_image.csv").startsWith(partial));
        QCOMPARE(runToEnd(arguments("interrupted", {"--threads", "2", "--workers", "2"}), &err), 0);
        QVERIFY(bytes("interrupted/per_image.csv") == bytes("one-thread/per_image.csv"));

        QCOMPARE(runToEnd(arguments("x", {"--threads", "2", "--workers", "3"}), &err), 2);
        QVERIFY2(err.contains("--workers"), qPrintable(err));
    }

    // The generator knows where each shape is: `evaluate --boxes` must score every map as the
    // engine's own pointingScore does on the same map, and Grad-CAM must hit >= 80% of 200
    // (TestDemoModel's known rate); a box file in another scale skips its photo, saying why.
    void pointingGameOnTheDemoSet()
    {
        const QString dir = m_dir.filePath("shapes");
        QVERIFY(QDir().mkpath(dir));
        fcs::ShapeGenerator generator(5151);
        fcs::Explainer explainer(fcs::findModel({FCS_DEMO_MODEL_DIR}, "featurecam_demo_shapes"));
        fcs::ExplainSettings settings;
        settings.methods = {"gradcam"};
        const int total = 200;
        const double tolerance = 4; // at the demo model's 64-pixel input
        std::string labels = "file,class_index\n", boxes = "file,x0,y0,x1,y1\n", scaled = boxes;
        std::map<std::string, bool> expectedHit;
        int expectedHits = 0;
        for (int i = 0; i < total; ++i) {
            const auto sample = generator.next();
            const std::string name = "shape_" + std::to_string(1000 + i) + ".png";
            cv::Mat bgr;
            cv::cvtColor(sample.rgb, bgr, cv::COLOR_RGB2BGR);
            QVERIFY(cv::imwrite((dir + "/").toStdString() + name, bgr));
            labels += name + "," + std::to_string(sample.label) + "\n";
            const cv::Rect& b = sample.box;
            const auto row = [&name](int x0, int y0, int x1, int y1) {
                return name + "," + std::to_string(x0) + "," + std::to_string(y0) + "," + std::to_string(x1) + ","
                    + std::to_string(y1) + "\n";
            };
            boxes += row(b.x, b.y, b.x + b.width, b.y + b.height);
            scaled += row(4 * b.x, 4 * b.y, 4 * (b.x + b.width), 4 * (b.y + b.height)); // as for a 256-px photo
            const auto explanation = explainer.explain(sample.rgb, settings);
            const bool hit = fcs::pointingScore(explanation.methods.front().map, {cv::Rect2d(b)}, tolerance).hit;
            expectedHit[name] = hit;
            expectedHits += hit;
        }
        writeText(dir + "/labels.csv", labels);
        writeText(dir + "/boxes.csv", boxes);
        writeText(dir + "/scaled.csv", scaled);

        const auto arguments = [&dir](const QString& boxFile, const QString& out) {
            return QStringList{"evaluate", "--images", dir + "/labels.csv", "--model", "featurecam_demo_shapes",
                "--method", "gradcam", "--feature-cam", "none", "--convention", "hard", "--auc-steps", "0", "--boxes",
                dir + "/" + boxFile, "--pointing-tolerance", "4", "--out", dir + "/" + out};
        };
        QString err;
        QCOMPARE(runToEnd(arguments("boxes.csv", "run"), &err), 0);
        QVERIFY2(err.contains("pointing game on the 200 of 200 images"), qPrintable(err));
        const auto records = fcs::parsePerImage(fileBytes(dir + "/run/per_image.csv").toStdString());
        int hits = 0, scored = 0;
        for (const auto& r : records) {
            QVERIFY2(r.pointingHit.has_value() && r.pointingEnergy.has_value(), r.image.c_str());
            QVERIFY(*r.pointingEnergy >= 0 && *r.pointingEnergy <= 1);
            if (r.method != "gradcam")
                continue;
            ++scored;
            hits += *r.pointingHit;
            QVERIFY2(*r.pointingHit == expectedHit.at(r.image), r.image.c_str());
        }
        QCOMPARE(scored, total);
        QCOMPARE(hits, expectedHits);
        QVERIFY2(hits >= total * 8 / 10, qPrintable(QString("%1 of %2").arg(hits).arg(total)));
        const QJsonArray rows = summaryRows(dir + "/run");
        const QJsonObject gradcam = summaryRow(rows, "gradcam", "base");
        QCOMPARE(gradcam["pointing_n"].toInt(), total);
        QCOMPARE(gradcam["pointing_hit_rate"].toDouble(), 100.0 * expectedHits / total);
        const QJsonObject random = summaryRow(rows, "baseline", "random");
        QVERIFY2(random["pointing_hit_rate"].toDouble() < gradcam["pointing_hit_rate"].toDouble() - 20,
            qPrintable(QString::number(random["pointing_hit_rate"].toDouble())));
        QVERIFY(QFile::exists(dir + "/run/table_pointing_hit_rate.csv"));
        QVERIFY(QFile::exists(dir + "/run/table_pointing_energy.csv"));
        const QJsonObject pointing
            = QJsonDocument::fromJson(fileBytes(dir + "/run/run.json")).object()["pointing"].toObject();
        QCOMPARE(pointing["tolerance"].toDouble(), tolerance);

        // Boxes of a 4× larger photo: every box past the first few shapes' own corner reaches beyond
        // the 64-pixel photo; those photos are skipped with the reason, the others scored.
        QCOMPARE(runToEnd(arguments("scaled.csv", "scaled") << "--limit"
                                                            << "5",
                     &err),
            1);
        QVERIFY2(err.contains("another scale") && err.contains("shape_1000.png"), qPrintable(err));
        QVERIFY(fileBytes(dir + "/scaled/summary.json").contains("another scale"));

        QCOMPARE(runToEnd(arguments("boxes.csv", "other") << "--boxes" << dir + "/labels.csv", &err), 1);
        QVERIFY2(err.contains("no `x0` column"), qPrintable(err));
        QCOMPARE(
            runToEnd(
                {"evaluate", "--images", dir + "/labels.csv", "--pointing-tolerance", "4", "--out", dir + "/x"}, &err),
            2);
        QVERIFY2(err.contains("--pointing-tolerance needs --boxes"), qPrintable(err));
    }

    // Issue 25: run.json held the models' names only, so shards made with other weights under one
    // name merged silently. Now a model is known by its files' content (run.json's
    // model_fingerprints): merge and resume refuse another file under the same name.
    void modelsAreKnownByContent()
    {
        const QString models = m_dir.filePath("demo-copy");
        QVERIFY(QDir().mkpath(models));
        for (const QString file : {"featurecam_demo_shapes.pt", "featurecam_demo_shapes.json",
                 "featurecam_demo_shapes_labels.txt"})
            QVERIFY(QFile::copy(QString(FCS_DEMO_MODEL_DIR) + "/" + file, models + "/" + file));
        const auto arguments = [&](const QString& out, const QString& shard) {
            return QStringList{"evaluate", "--images", QString(FCS_DEMO_MODEL_DIR) + "/samples", "--models", models,
                "--model", "featurecam_demo_shapes", "--method", "gradcam", "--feature-cam", "none", "--convention",
                "hard", "--auc-steps", "0", "--shard", shard, "--out", m_dir.filePath(out)};
        };
        QString err;
        QCOMPARE(runToEnd(arguments("fp-1", "1/2"), &err), 0);
        QVERIFY(fileBytes(m_dir.filePath("fp-1/run.json")).contains("model_fingerprints"));
        const QString labels = models + "/featurecam_demo_shapes_labels.txt";
        const QByteArray original = fileBytes(labels);
        QByteArray renamed = original;
        renamed.replace("circle", "disc");
        QVERIFY(renamed != original);
        writeText(labels, renamed.toStdString());
        QCOMPARE(runToEnd(arguments("fp-2", "2/2"), &err), 0);
        QCOMPARE(runToEnd({"merge", m_dir.filePath("fp-1"), m_dir.filePath("fp-2"), "--out", m_dir.filePath("fp-m")}, &err), 1);
        QVERIFY2(err.contains("model_fingerprints") && err.contains("another file"), qPrintable(err));
        QCOMPARE(runToEnd(arguments("fp-1", "1/2"), &err), 1); // resuming shard 1 with the other file
        QVERIFY2(err.contains("same name is another file"), qPrintable(err));
        writeText(labels, original.toStdString());
        QCOMPARE(runToEnd(arguments("fp-2", "2/2"), &err), 1);
        QCOMPARE(runToEnd(arguments("fp-1", "1/2"), &err), 0); // the original files: the same run again
    }

    void refusesAFolderWithOtherSettings()
    {
        FCS_REQUIRE_SHARED_MODEL("mobilenet_v2_1.0_224");
        QStringList arguments = evaluateArguments(m_dir.filePath("first"));
        arguments << "--keep"
                  << "50";
        QString err;
        QCOMPARE(runToEnd(arguments, &err), 1);
        QVERIFY2(err.contains("other settings"), qPrintable(err));
        QCOMPARE(runToEnd({"evaluate", "--out", m_dir.filePath("x")}, &err), 2);
        QVERIFY(err.contains("--images is required"));
        QCOMPARE(runToEnd({"evaluate", "--images", m_dir.filePath("none"), "--out", m_dir.filePath("x")}, &err), 1);
        QVERIFY(err.contains("does not exist"));
    }
};

QTEST_GUILESS_MAIN(TestEvaluateCli)
#include "TestEvaluateCli.moc"
