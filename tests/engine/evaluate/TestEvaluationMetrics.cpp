// The evaluation's arithmetic against hand-computed values: metrics over a fabricated set of
// predictions, deletion / insertion images and AUC, the baselines, the soft convention, CSV
// round trips, image sets, and the store's resume after a crash.

#include "engine/core/Error.h"
#include "engine/evaluate/Baselines.h"
#include "engine/evaluate/EvaluationReport.h"
#include "engine/evaluate/EvaluationStore.h"
#include "engine/evaluate/FaithfulnessCurves.h"
#include "engine/evaluate/ImageSet.h"
#include "engine/evaluate/Metrics.h"
#include "engine/explain/SaliencyMask.h"
#include "engine/io/CsvTable.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace fcs;

namespace {

EvaluationRecord record(const std::string& image, const std::string& method, const std::string& variant, int origTop1,
    double origConf, int explTop1, double explConf, std::optional<int> truth = std::nullopt)
{
    EvaluationRecord r;
    r.image = image;
    r.model = "m";
    r.method = method;
    r.variant = variant;
    r.convention = "hard";
    r.truthClass = truth;
    r.origTop1 = origTop1;
    r.origConf = origConf;
    r.explTop1 = explTop1;
    r.explConf = explConf;
    return r;
}

const SummaryRow& rowOf(const std::vector<SummaryRow>& rows, const std::string& method, const std::string& variant)
{
    for (const auto& r : rows)
        if (r.method == method && r.variant == variant)
            return r;
    throw std::runtime_error("no row " + method + "/" + variant);
}

std::string readAll(const QString& path)
{
    std::ifstream in(path.toStdString(), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeText(const QString& path, const std::string& text, bool append = false)
{
    std::ofstream out(path.toStdString(), append ? std::ios::binary | std::ios::app : std::ios::binary);
    out << text;
}

} // namespace

class TestEvaluationMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void metricsOnFabricatedPredictions()
    {
        // Three images. Original (class, conf): a (1, 0.8), b (2, 0.5), c (3, 0.4).
        // base:  a right 0.6 | b wrong 0.1 | c right 0.6
        // X1-I1: a right 0.9 | b right 0.5 | c wrong 0.2
        const std::vector<EvaluationRecord> records = {
            record("a", "gradcam", "base", 1, 0.8, 1, 0.6, 1),
            record("b", "gradcam", "base", 2, 0.5, 7, 0.1, 3),
            record("c", "gradcam", "base", 3, 0.4, 3, 0.6),
            record("a", "gradcam", "X1-I1", 1, 0.8, 1, 0.9, 1),
            record("b", "gradcam", "X1-I1", 2, 0.5, 2, 0.5, 3),
            record("c", "gradcam", "X1-I1", 3, 0.4, 9, 0.2),
        };
        const auto rows = summarize(records);
        QCOMPARE(int(rows.size()), 2);
        const SummaryRow& base = rowOf(rows, "gradcam", "base");
        QCOMPARE(base.n, 3);
        QCOMPARE(base.rightClassification, 200.0 / 3);
        QVERIFY(qAbs(base.avgConfidence - 100.0 * (0.6 + 0.1 + 0.6) / 3) < 1e-12);
        QVERIFY(qAbs(base.origAvgConfidence - 100.0 * (0.8 + 0.5 + 0.4) / 3) < 1e-12);
        QCOMPARE(base.increaseVsOriginal, 100.0 / 3); // only c: 0.6 > 0.4
        QCOMPARE(base.increaseInConfidence, base.increaseVsOriginal);
        // Average Drop: a (0.8-0.6)/0.8 = 0.25, b (0.5-0.1)/0.5 = 0.8, c 0 (increase) -> 35%
        QVERIFY(qAbs(base.averageDrop - 100.0 * (0.25 + 0.8 + 0.0) / 3) < 1e-12);
        QVERIFY(!base.increaseVsBase.has_value());
        QVERIFY(!base.deletionAuc.has_value());

        const SummaryRow& variant = rowOf(rows, "gradcam", "X1-I1");
        QCOMPARE(variant.rightClassification, 200.0 / 3);
        QCOMPARE(variant.increaseVsOriginal, 100.0 / 3); // a: 0.9 > 0.8; b equal does not count
        QVERIFY(variant.increaseVsBase.has_value());
        QCOMPARE(*variant.increaseVsBase, 200.0 / 3); // a 0.9 > 0.6, b 0.5 > 0.1, c 0.2 < 0.6
        // a: 0 (increase), b: 0, c: (0.4-0.2)/0.4 = 0.5
        QVERIFY(qAbs(variant.averageDrop - 50.0 / 3) < 1e-12);

        const auto accuracy = modelAccuracies(records);
        QCOMPARE(int(accuracy.size()), 1);
        QCOMPARE(accuracy[0].n, 2); // c has no ground truth
        QCOMPARE(accuracy[0].top1Accuracy, 50.0); // a right (1 == 1), b wrong (2 != 3)
    }

    void tablesLayOutLikeThePaper()
    {
        std::vector<EvaluationRecord> records = {
            record("a", "gradcampp", "base", 1, 0.8, 1, 0.6),
            record("a", "gradcampp", "X3-I3", 1, 0.8, 2, 0.3),
            record("a", "gradcam", "base", 1, 0.8, 1, 0.5),
            record("a", "baseline", "random", 1, 0.8, 4, 0.1),
            record("a", "baseline", "sobel", 1, 0.8, 1, 0.7),
        };
        const auto tables = metricTables(summarize(records), modelAccuracies(records));
        const MetricTable* table3 = nullptr;
        for (const auto& t : tables)
            if (t.fileName == "table3_avg_confidence_hard.csv")
                table3 = &t;
        QVERIFY(table3);
        const std::vector<std::string> header
            = {"Classifier", "Method", "Original", "base", "X3-I3", "sobel", "random"};
        QCOMPARE(table3->header, header);
        QCOMPARE(int(table3->rows.size()), 2); // gradcam first (the CLI's order), then gradcampp
        const std::vector<std::string> first = {"m", "gradcam", "80.0", "50.0", "", "70.0", "10.0"};
        const std::vector<std::string> second = {"m", "gradcampp", "80.0", "60.0", "30.0", "70.0", "10.0"};
        QCOMPARE(table3->rows[0], first);
        QCOMPARE(table3->rows[1], second);
        const std::string text = formatTable(*table3);
        QVERIFY(text.find("gradcampp      80.0  60.0   30.0") != std::string::npos);
    }

    void deletionAndInsertionImages()
    {
        // 1×4 image, pixel values 10, 20, 30, 40; saliency 0.1, 0.9, 0.5, 0.9 -> order 1, 3, 2, 0
        // (ties in raster order).
        cv::Mat rgb(1, 4, CV_8UC3);
        for (int i = 0; i < 4; ++i)
            rgb.at<cv::Vec3b>(0, i) = cv::Vec3b(uchar(10 * (i + 1)), 0, 0);
        const cv::Mat map = (cv::Mat_<float>(1, 4) << 0.1f, 0.9f, 0.5f, 0.9f);
        const auto deletion = deletionImages(rgb, map, 4);
        QCOMPARE(int(deletion.size()), 3); // steps 1..3 of 4
        auto red = [](const cv::Mat& m, int i) { return int(m.at<cv::Vec3b>(0, i)[0]); };
        QCOMPARE(red(deletion[0], 1), 0);
        QCOMPARE(red(deletion[0], 3), 40);
        QCOMPARE(red(deletion[1], 3), 0);
        QCOMPARE(red(deletion[1], 2), 30);
        QCOMPARE(red(deletion[2], 2), 0);
        QCOMPARE(red(deletion[2], 0), 10);
        const auto insertion = insertionImages(rgb, map, 4);
        QCOMPARE(red(insertion[0], 1), 20);
        QCOMPARE(red(insertion[0], 3), 0);
        QCOMPARE(red(insertion[1], 3), 40);
        QCOMPARE(red(insertion[2], 2), 30);
        QCOMPARE(red(insertion[2], 0), 0);

        QCOMPARE(curveAuc({1.0, 0.5, 0.0}), 0.5);
        QCOMPARE(curveAuc({1.0, 1.0, 1.0, 1.0}), 1.0);
        QVERIFY(qAbs(curveAuc({0.0, 1.0, 1.0}) - 0.75) < 1e-12);
    }

    void baselinesAndSoftConvention()
    {
        // A vertical step edge: the Sobel map peaks on the two columns around it, 0 elsewhere.
        cv::Mat rgb(8, 8, CV_8UC3, cv::Scalar(0, 0, 0));
        rgb(cv::Rect(4, 0, 4, 8)).setTo(cv::Scalar(200, 200, 200));
        const cv::Mat sobel = sobelBaselineMap(rgb);
        QCOMPARE(sobel.at<float>(3, 3), 1.0f);
        QCOMPARE(sobel.at<float>(3, 4), 1.0f);
        QCOMPARE(sobel.at<float>(3, 0), 0.0f);
        QCOMPARE(sobel.at<float>(3, 7), 0.0f);

        const cv::Mat r1 = randomBaselineMap({16, 16}, imageSeed(0, "a.jpg"));
        const cv::Mat r2 = randomBaselineMap({16, 16}, imageSeed(0, "a.jpg"));
        const cv::Mat r3 = randomBaselineMap({16, 16}, imageSeed(0, "b.jpg"));
        QCOMPARE(cv::norm(r1, r2, cv::NORM_INF), 0.0);
        QVERIFY(cv::norm(r1, r3, cv::NORM_INF) > 0.1);
        double low = 0, high = 0;
        cv::minMaxLoc(r1, &low, &high);
        QVERIFY(low >= 0 && high < 1);
        QVERIFY(imageSeed(0, "a.jpg") != imageSeed(1, "a.jpg"));

        cv::Mat pixel(1, 2, CV_8UC3, cv::Scalar(200, 100, 3));
        const cv::Mat weights = (cv::Mat_<float>(1, 2) << 0.5f, 0.25f);
        const cv::Mat soft = softExplanationImage(pixel, weights);
        QCOMPARE(soft.at<cv::Vec3b>(0, 0), cv::Vec3b(100, 50, 2)); // 1.5 rounds to even: 2
        QCOMPARE(soft.at<cv::Vec3b>(0, 1), cv::Vec3b(50, 25, 1)); // 0.75 -> 1
    }

    void csvRoundTrips()
    {
        const CsvRow row = {"plain", "with,comma", "with \"quote\"", ""};
        const auto parsed = parseCsv(csvLine(row) + csvLine({"x"}));
        QCOMPARE(int(parsed.size()), 2);
        QCOMPARE(parsed[0], row);
        std::size_t complete = 0;
        const auto partial = parseCsv("a,b\nc,\"d", &complete);
        QCOMPARE(int(partial.size()), 2);
        QCOMPARE(int(complete), 1);

        EvaluationRecord r = record("odd, name.jpg", "gradcampp", "X1-I2", 5, 0.1 + 0.2, 7, 1.0 / 3, 5);
        r.deletionAuc = 0.125;
        r.insertionAuc = 2.0 / 3;
        r.deletionCurve = {0.3, 0.2, 0.1};
        r.insertionCurve = {0.0, 0.7, 0.3};
        const auto back = parsePerImage(csvLine(perImageHeader()) + perImageLine(r));
        QCOMPARE(int(back.size()), 1);
        QCOMPARE(back[0].image, r.image);
        QCOMPARE(back[0].origConf, r.origConf); // exact: written with 17 digits
        QCOMPARE(back[0].explConf, r.explConf);
        QCOMPARE(*back[0].truthClass, 5);
        QCOMPARE(*back[0].insertionAuc, *r.insertionAuc);
        QCOMPARE(back[0].deletionCurve, r.deletionCurve);
        QVERIFY(!back[0].pointingHit && !back[0].pointingEnergy);

        r.pointingHit = false;
        r.pointingEnergy = 0.1 + 0.2;
        const auto pointed = parsePerImage(csvLine(perImageHeader()) + perImageLine(r)).at(0);
        QCOMPARE(pointed.pointingHit, std::optional<bool>(false));
        QCOMPARE(*pointed.pointingEnergy, *r.pointingEnergy);
        QCOMPARE(pointed.insertionCurve, r.insertionCurve); // the columns after the new ones still line up
    }

    // per_image.csv of a version before the pointing game (14 columns) is read and resumed; the
    // store gives it today's header, the old rows keeping their numbers.
    void storeResumesAFileOfAnEarlierVersion()
    {
        QTemporaryDir dir;
        const std::string folder = dir.path().toStdString();
        const QJsonObject run{{"k", 0.25}};
        {
            EvaluationStore(folder, run, 1);
        } // writes run.json
        writeText(dir.filePath("per_image.csv"),
            "image,model,method,variant,convention,truth_class,orig_top1,orig_conf,expl_top1,expl_conf,"
            "deletion_auc,insertion_auc,deletion_curve,insertion_curve\n"
            "a.jpg,m,gradcam,base,hard,1,1,0.5,1,0.25,0.5,,0.5 0.25 0,\n");
        {
            EvaluationStore store(folder, run, 1);
            QVERIFY(store.isDone("a.jpg", "m"));
            QCOMPARE(store.records().at(0).explConf, 0.25);
            QCOMPARE(store.records().at(0).deletionCurve, (std::vector<double>{0.5, 0.25, 0}));
            EvaluationRecord next = record("b.jpg", "gradcam", "base", 1, 0.5, 1, 0.4);
            next.pointingHit = true;
            next.pointingEnergy = 0.75;
            store.append({next});
        }
        const std::string text = readAll(dir.filePath("per_image.csv"));
        QVERIFY(text.rfind(csvLine(perImageHeader()), 0) == 0);
        const auto onDisk = parsePerImage(text);
        QCOMPARE(int(onDisk.size()), 2);
        QCOMPARE(*onDisk[0].deletionAuc, 0.5);
        QVERIFY(!onDisk[0].pointingHit);
        QCOMPARE(*onDisk[1].pointingEnergy, 0.75);
        QVERIFY_THROWS_EXCEPTION(Error, parsePerImage("image,model,other\n"));
    }

    // Hit rate and energy over the maps that have boxes only, counted by hand.
    void pointingGameSummary()
    {
        std::vector<EvaluationRecord> records;
        const double energies[] = {0.5, 0.25, 0.0};
        for (int i = 0; i < 4; ++i) {
            EvaluationRecord r = record("p" + std::to_string(i), "gradcam", "base", 1, 0.5, 1, 0.4);
            if (i < 3) { // the fourth image has no boxes of its class
                r.pointingHit = i < 2;
                r.pointingEnergy = energies[i];
            }
            records.push_back(r);
        }
        const auto rows = summarize(records);
        const SummaryRow& row = rowOf(rows, "gradcam", "base");
        QCOMPARE(row.n, 4);
        QCOMPARE(row.pointingN, 3);
        QCOMPARE(*row.pointingHitRate, 100.0 * 2 / 3);
        QCOMPARE(*row.pointingEnergy, 25.0);
        const auto tables = metricTables(rows, {});
        const auto hitTable = std::find_if(tables.begin(), tables.end(),
            [](const MetricTable& t) { return t.fileName == "table_pointing_hit_rate.csv"; });
        QVERIFY(hitTable != tables.end());
        QCOMPARE(hitTable->rows.at(0).at(3), std::string("66.7"));

        for (auto& r : records)
            r.pointingHit.reset();
        for (const auto& table : metricTables(summarize(records), {}))
            QVERIFY2(table.fileName.find("pointing") == std::string::npos, table.fileName.c_str());
    }

    void imageSets()
    {
        QTemporaryDir dir;
        const QString csv = dir.filePath("set.csv");
        writeText(csv, "file,class_index\n\"a, b.jpg\",3\nc.png,\n");
        const auto images = readImageSet(csv.toStdString());
        QCOMPARE(int(images.size()), 2);
        QCOMPARE(images[0].name, std::string("a, b.jpg"));
        QCOMPARE(images[0].path, dir.filePath("a, b.jpg").toStdString());
        QCOMPARE(*images[0].truthClass, 3);
        QVERIFY(!images[1].truthClass);

        writeText(csv, "name,class_index\na.jpg,1\n");
        try {
            readImageSet(csv.toStdString());
            QFAIL("a CSV without a file column was accepted");
        } catch (const Error& e) {
            QVERIFY(QString::fromStdString(e.userMessage()).contains("no `file` column"));
        }
        writeText(csv, "file,class_index\na.jpg,dog\n");
        try {
            readImageSet(csv.toStdString());
            QFAIL("a non-numeric class_index was accepted");
        } catch (const Error& e) {
            QVERIFY(QString::fromStdString(e.userMessage()).contains("Line 2"));
        }
        QVERIFY_THROWS_EXCEPTION(Error, readImageSet(dir.filePath("missing").toStdString()));
    }

    void storeKeepsFinishedGroupsAfterACrash()
    {
        QTemporaryDir dir;
        const std::string folder = dir.path().toStdString();
        const QJsonObject run{{"k", 0.25}};
        auto group = [](const std::string& image) {
            return std::vector<EvaluationRecord>{
                record(image, "gradcam", "base", 1, 0.5, 1, 0.4), record(image, "baseline", "sobel", 1, 0.5, 2, 0.1)};
        };
        {
            EvaluationStore store(folder, run, 2);
            store.append(group("a"));
            store.append(group("b"));
            QVERIFY_THROWS_EXCEPTION(Error, store.append({record("c", "gradcam", "base", 1, 0.5, 1, 0.4)}));
        }
        // A crash: the first row of group c made it to disk, and half of its second row.
        const QString csv = dir.filePath("per_image.csv");
        writeText(csv, perImageLine(group("c")[0]) + perImageLine(group("c")[1]).substr(0, 20), true);
        {
            EvaluationStore store(folder, run, 2);
            QCOMPARE(int(store.resumedGroups()), 2);
            QVERIFY(store.isDone("a", "m") && store.isDone("b", "m") && !store.isDone("c", "m"));
            QCOMPARE(int(store.records().size()), 4);
            store.append(group("c"));
        }
        const auto onDisk = parsePerImage(readAll(csv));
        QCOMPARE(int(onDisk.size()), 6);
        QCOMPARE(onDisk[4].image, std::string("c"));

        try {
            EvaluationStore other(folder, QJsonObject{{"k", 0.5}}, 2);
            QFAIL("a run with other settings reused the folder");
        } catch (const Error& e) {
            QVERIFY(QString::fromStdString(e.userMessage()).contains("other settings"));
        }
    }
};

QTEST_GUILESS_MAIN(TestEvaluationMetrics)
#include "TestEvaluationMetrics.moc"
