// What users really bring, through featurecam-cli: odd and broken images, models that lie,
// lists as spreadsheets write them, options past the memory budget, and a disk that fills up.
// Each case asserts the exit code and the message, and, where it sits in a batch, that the
// valid images around it are still processed.

#include "ImageFixtures.h"
#include "TestPaths.h"
#include "TinyModels.h"
#include "engine/io/Utf8Name.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

// `shellPrefix` runs the CLI under `bash -c` with that prefix (ulimit for the full-disk case).
Run runCli(const QStringList& arguments, const QString& models, const QString& shellPrefix = {})
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("FEATURECAM_MODEL_PATH", models);
    process.setProcessEnvironment(env);
    if (shellPrefix.isEmpty()) {
        process.start(FCS_CLI_PATH, arguments);
    } else {
        QStringList quoted;
        for (const QString& a : arguments)
            quoted << "'" + a + "'";
        process.start("bash", {"-c", shellPrefix + " exec '" FCS_CLI_PATH "' " + quoted.join(' ')});
    }
    if (!process.waitForFinished(300000))
        return {};
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2,
        QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

QString describe(const Run& run)
{
    return QString("exit %1\n--- stdout\n%2--- stderr\n%3").arg(run.exitCode).arg(run.out, run.err);
}

// A 16×16 classifier with a gradient, NaN on mid-grey images only: it passes the load-time
// probes (a ramp, black, white) and fails at run time on one image of a batch.
const char* kNanOnGrey = R"(
def features(self, x):
    return torch.avg_pool2d(x, [8, 8])

def classify(self, a):
    m = a.mean([1, 2, 3]).view(-1, 1)
    y = (a * a).mean([2, 3])[:, 0:2]
    return torch.where((m > 0.45) & (m < 0.55), y * float('nan'), y)

def forward(self, x):
    return self.classify(self.features(x))
)";

const char* kNoGradient = R"(
def features(self, x):
    return torch.avg_pool2d(x, [8, 8])

def classify(self, a):
    return a.detach().mean([2, 3])[:, 0:2]

def forward(self, x):
    return self.classify(self.features(x))
)";

const char* kFloat64 = R"(
def features(self, x):
    return torch.avg_pool2d(x, [8, 8])

def classify(self, a):
    return a.mean([2, 3])[:, 0:2].double()

def forward(self, x):
    return self.classify(self.features(x))
)";

} // namespace

class TestBadInputs : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_models; // tiny models: good, nangrey, nograd, double, tinystd, nofield

    QString path(const QString& name) const { return m_dir.filePath(name); }

    void writeBytes(const QString& name, const QByteArray& bytes) const
    {
        QFile file(path(name));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
    }

    void writeImage(const QString& name, const cv::Mat& image) const
    {
        QVERIFY(cv::imwrite(path(name).toStdString(), image));
    }

    static void editJson(const QString& file, const std::function<void(QJsonObject&)>& edit)
    {
        QFile json(file);
        QVERIFY(json.open(QIODevice::ReadOnly));
        QJsonObject object = QJsonDocument::fromJson(json.readAll()).object();
        json.close();
        edit(object);
        QVERIFY(json.open(QIODevice::WriteOnly | QIODevice::Truncate));
        json.write(QJsonDocument(object).toJson());
    }

    void saveModel(const char* name, torch::jit::Module module)
    {
        fcs::test::saveWithSidecar(module, m_models.toStdString(), name, 2, 16);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_models = path("models");
        QVERIFY(QDir().mkpath(m_models));
        saveModel("good", fcs::test::handNetwork());
        saveModel("nangrey", fcs::test::moduleFromSource(kNanOnGrey));
        saveModel("nograd", fcs::test::moduleFromSource(kNoGradient));
        saveModel("double", fcs::test::moduleFromSource(kFloat64));
        saveModel("tinystd", fcs::test::handNetwork());
        editJson(m_models + "/tinystd.json", [](QJsonObject& o) { o["std"] = QJsonArray{1e-40, 1, 1}; });
        saveModel("nofield", fcs::test::handNetwork());
        editJson(m_models + "/nofield.json", [](QJsonObject& o) { o.remove("mean"); });

        cv::Mat photo(40, 60, CV_8UC3);
        cv::randu(photo, 0, 100); // darker than mid-grey, so that "nangrey" accepts it
        writeImage("good1.png", photo);
        writeImage("good2.jpg", photo);
        writeImage("grey.png", cv::Mat(20, 20, CV_8UC3, cv::Scalar::all(128)));
        writeImage("gray8.png", cv::Mat(20, 20, CV_8U, cv::Scalar(90)));
        writeImage("deep16.png", cv::Mat(20, 20, CV_16UC3, cv::Scalar(1000, 30000, 60000)));
        writeImage("alpha.png", cv::Mat(20, 20, CV_8UC4, cv::Scalar(10, 20, 30, 128)));

        std::vector<uchar> jpeg;
        QVERIFY(cv::imencode(".jpg", photo, jpeg));
        writeBytes("cut.jpg", QByteArray(reinterpret_cast<const char*>(jpeg.data()), int(jpeg.size() / 2)));
        QByteArray motion(reinterpret_cast<const char*>(jpeg.data()), int(jpeg.size()));
        motion += QByteArray(200000, '\x42'); // a "motion photo": video after the end marker
        writeBytes("motion.jpg", motion);
        writeBytes("notes.png", "these are my notes\n");
        writeBytes("empty.jpg", {});
        writeBytes("huge.png",
            QByteArray(
                "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\xc3\x50\x00\x00\xc3\x50\x08\x02\x00\x00\x00", 29));
        writeBytes("huge.tiff",
            QByteArray("II*\0\x08\0\0\0\x02\0\x00\x01\x04\0\x01\0\0\0\xa0\x86\x01\0"
                       "\x01\x01\x04\0\x01\0\0\0\xa0\x86\x01\0\0\0\0\0",
                38));
        writeBytes("huge.webp", QByteArray("RIFF\x1e\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0\xff\x3f\0\xff\x3f\0", 30));
        writeBytes("big.tif", QByteArray("II+\0\x08\0\0\0\0\0\0\0\0\0\0\0", 16));
        writeBytes("pic.pfm", "PF\n2 2\n-1.0\n0123456789abcdef0123456789abcdef01234567");
        writeBytes("huge.ppm", "P6\n# a comment\n60000 60000\n255\n");
        writeImage("...jpg", photo); // its stem is ".."
        writeImage("strip.png", cv::Mat(1, 20000, CV_8UC3, cv::Scalar(5, 100, 200)));
    }

    // An unusable image is reported by name and reason; the valid ones around it are classified.
    void badImageInABatch_data()
    {
        QTest::addColumn<QString>("bad");
        QTest::addColumn<QString>("why");
        QTest::addRow("truncated jpeg") << "cut.jpg"
                                        << "truncated";
        QTest::addRow("text named png") << "notes.png"
                                        << "not an image in a supported format";
        QTest::addRow("empty file") << "empty.jpg"
                                    << "empty";
        QTest::addRow("missing file") << "nowhere.png"
                                      << "does not exist";
        QTest::addRow("huge png header") << "huge.png"
                                         << "megapixels";
        QTest::addRow("huge tiff header") << "huge.tiff"
                                          << "megapixels";
        QTest::addRow("huge webp header") << "huge.webp"
                                          << "megapixels";
        QTest::addRow("bigtiff") << "big.tif"
                                 << "BigTIFF";
        QTest::addRow("pfm (float netpbm)") << "pic.pfm"
                                            << "not an image in a supported format";
        QTest::addRow("huge ppm header") << "huge.ppm"
                                         << "megapixels";
    }
    void badImageInABatch()
    {
        QFETCH(QString, bad);
        QFETCH(QString, why);
        const Run run
            = runCli({"classify", "--model", "good", path("good1.png"), path(bad), path("good2.jpg")}, m_models);
        QVERIFY2(run.exitCode == 1, qPrintable(describe(run)));
        QVERIFY2(run.err.contains(bad) && run.err.contains(why), qPrintable(describe(run)));
        QVERIFY2(run.out.contains("good1.png") && run.out.contains("good2.jpg"), qPrintable(describe(run)));
    }

    // A phone photo stored sideways with EXIF orientation 6 is explained as it is shown: the
    // same top-1 and confidence as the upright photo (the issue: 79.7% instead of 94.5% before).
    void phonePhotoIsClassifiedUpright()
    {
        FCS_REQUIRE_SHARED_MODEL("mobilenet_v2_1.0_224");
        FCS_REQUIRE_SAMPLE_DATA();
        const cv::Mat upright = cv::imread(fcs::test::samplePhoto("n01440764_tench.JPEG").toStdString());
        cv::Mat stored;
        cv::rotate(upright, stored, cv::ROTATE_90_COUNTERCLOCKWISE); // orientation 6 turns it back
        const auto write = [this](const QString& name, const fcs::test::Bytes& bytes) {
            writeBytes(name, QByteArray(reinterpret_cast<const char*>(bytes.data()), int(bytes.size())));
        };
        write("tench-phone.jpg", fcs::test::jpegWithOrientation(stored, 6));
        write("tench-sideways.jpg", fcs::test::jpegWithOrientation(stored, 1));
        write("tench-upright.jpg", fcs::test::encode(".jpg", upright));
        const Run run = runCli(
            {"classify", "--json", "--top", "1", "--models", fcs::test::modelsDir(), "--model", "mobilenet_v2_1.0_224",
                path("tench-upright.jpg"), path("tench-phone.jpg"), path("tench-sideways.jpg")},
            m_models);
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        const QStringList lines = run.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        std::vector<double> tench;
        for (const QString& line : lines) {
            const QJsonObject top = QJsonDocument::fromJson(line.toUtf8())["predictions"][0].toObject();
            tench.push_back(top["class_index"].toInt() == 0 ? top["probability"].toDouble() : 0.0);
        }
        qInfo("tench probability: upright %.4f, phone (EXIF 6) %.4f, sideways without EXIF %.4f", tench[0], tench[1],
            tench[2]);
        QVERIFY(tench[0] > 0.9);
        QVERIFY(std::abs(tench[1] - tench[0]) < 0.01);
        QVERIFY(tench[0] - tench[2] > 0.05); // the test can tell: sideways is worse
    }

    void oddButValidImagesAreAccepted()
    {
        const Run run = runCli({"classify", "--model", "good", path("gray8.png"), path("deep16.png"), path("alpha.png"),
                                   path("motion.jpg")},
            m_models);
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        for (const char* name : {"gray8.png", "deep16.png", "alpha.png", "motion.jpg"})
            QVERIFY2(run.out.contains(name), qPrintable(describe(run)));
    }

    void extremeAspectRatioWithCenterCrop()
    {
        // Its memory is measured in TestPreprocess; here: the whole path works on such a file.
        const Run run = runCli({"classify", "--model", "good", "--center-crop", path("strip.png")}, m_models);
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
    }

    void dotDotStemStaysInsideTheOutputFolder()
    {
        const QString out = path("dots/out");
        const Run run
            = runCli({"explain", "--model", "good", "--out", out, path("...jpg"), path("good1.png")}, m_models);
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY(!QFile::exists(path("dots/result.json")));
        QVERIFY(!QFile::exists(path("dots/gradcam")));
        QVERIFY(QFile::exists(out + "/image/result.json"));
        QVERIFY(QFile::exists(out + "/good1/gradcam/saliency.png"));
    }

    // A model that gives NaN on one image: that image fails with a sentence, the others go on.
    void nonFiniteResultFailsOneImageOnly_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addRow("classify") << "classify";
        QTest::addRow("explain") << "explain";
    }
    void nonFiniteResultFailsOneImageOnly()
    {
        QFETCH(QString, command);
        QStringList arguments{command, "--model", "nangrey"};
        if (command == "explain")
            arguments << "--out" << path("bad-out");
        arguments << path("good1.png") << path("grey.png") << path("good2.jpg");
        const Run run = runCli(arguments, m_models);
        QVERIFY2(run.exitCode == 1, qPrintable(describe(run)));
        QVERIFY2(run.err.contains("grey.png") && run.err.contains("NaN or infinite"), qPrintable(describe(run)));
        QVERIFY2(!run.out.contains("nan") && !run.out.contains("grey"), qPrintable(describe(run)));
        QVERIFY2(run.out.contains("good1") && run.out.contains("good2"), qPrintable(describe(run)));
    }

    void nonFiniteResultIsSkippedByEvaluate()
    {
        QFile list(path("nan-list.csv"));
        QVERIFY(list.open(QIODevice::WriteOnly));
        list.write("file\ngood1.png\ngrey.png\ngood2.jpg\n");
        list.close();
        const Run run = runCli({"evaluate", "--model", "nangrey", "--images", path("nan-list.csv"), "--method",
                                   "gradcam", "--feature-cam", "none", "--auc-steps", "0", "--out", path("nan-eval")},
            m_models);
        QVERIFY2(run.exitCode == 1, qPrintable(describe(run)));
        QVERIFY2(run.err.contains("skipped grey.png") && run.err.contains("NaN"), qPrintable(describe(run)));
        QFile csv(path("nan-eval/per_image.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QString rows = QString::fromUtf8(csv.readAll());
        QVERIFY(rows.contains("good1.png") && rows.contains("good2.jpg") && !rows.contains("grey.png"));
    }

    // Models that lie are refused when loaded, each with a sentence naming the model.
    void lyingModelIsRefused_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("why");
        QTest::addRow("no gradient") << "nograd"
                                     << "yields no gradient";
        QTest::addRow("float64") << "double"
                                 << "float32";
        QTest::addRow("std overflows") << "tinystd"
                                       << "overflows";
        QTest::addRow("sidecar without mean") << "nofield"
                                              << "\"mean\"";
    }
    void lyingModelIsRefused()
    {
        QFETCH(QString, model);
        QFETCH(QString, why);
        const Run run = runCli({"explain", "--model", model, "--out", path("lie-out"), path("good1.png")}, m_models);
        QVERIFY2(run.exitCode == 1, qPrintable(describe(run)));
        QVERIFY2(run.err.contains(model) && run.err.contains(why), qPrintable(describe(run)));
        QVERIFY2(!run.err.contains("internal error"), qPrintable(describe(run)));
    }

    // Image lists as spreadsheet programs write them, and the mistakes in them.
    void imageLists_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("why");
        QTest::addRow("bom, capitals, spaces")
            << QByteArray("\xEF\xBB\xBF File , Class_Index \r\n good1.png , 1 \r\n") << 0 << QString();
        QTest::addRow("class past the classifier")
            << QByteArray("file,class_index\ngood1.png,0\ngood2.jpg,7\n") << 1 << "Line 3";
        QTest::addRow("class not a number") << QByteArray("file,class_index\ngood1.png,cat\n") << 1 << "Line 2";
        QTest::addRow("listed twice") << QByteArray("file\ngood1.png\ngood2.jpg\ngood1.png\n") << 1
                                      << "first on line 2";
        QTest::addRow("no file column") << QByteArray("path,class\ngood1.png,0\n") << 1 << "no `file` column";
    }
    void imageLists()
    {
        QFETCH(QByteArray, csv);
        QFETCH(int, exitCode);
        QFETCH(QString, why);
        const QString name = "list-" + QString::number(qHash(csv)) + ".csv";
        writeBytes(name, csv);
        const Run run = runCli({"evaluate", "--model", "good", "--images", path(name), "--method", "gradcam",
                                   "--feature-cam", "none", "--auc-steps", "0", "--out", path("eval-" + name)},
            m_models);
        QVERIFY2(run.exitCode == exitCode, qPrintable(describe(run)));
        if (!why.isEmpty())
            QVERIFY2(run.err.contains(why) && run.err.contains(name), qPrintable(describe(run)));
    }

    // Options that would take more than the memory budget are usage errors.
    void optionsPastTheBudget_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("why");
        QTest::addRow("auc steps") << QStringList{"evaluate", "--images", "x.csv", "--out", "o", "--auc-steps",
            "100000"} << "--auc-steps must be a whole number from 0 to 256";
        QTest::addRow("batch") << QStringList{"evaluate", "--images", "x.csv", "--out", "o", "--batch", "4096"}
                               << "--batch must be a whole number from 1 to 64";
        QTest::addRow("edge max side") << QStringList{"explain", "--edge-max-side", "100000", "x.png"}
                                       << "--edge-max-side must be a whole number from 8 to 1536";
        QTest::addRow("samples") << QStringList{"explain", "--samples", "50000", "x.png"}
                                 << "--samples must be a whole number from 1 to 1000";
    }
    void optionsPastTheBudget()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, why);
        const Run run = runCli(arguments, m_models);
        QVERIFY2(run.exitCode == 2 && run.err.contains(why), qPrintable(describe(run)));
    }

    // A full disk (here: a file size limit, so writes fail with EFBIG) is an error and exit 1,
    // and no file is left half-written.
    void fullDiskIsAnErrorNotATruncatedFile()
    {
        const QString out = path("full-out");
        const Run run = runCli({"explain", "--model", "good", "--out", out, path("good1.png")}, m_models,
            "ulimit -f 0; trap '' XFSZ;"); // no file may grow: every write fails with EFBIG
        QVERIFY2(run.exitCode == 1, qPrintable(describe(run)));
        QVERIFY2(run.err.contains("Cannot write") && run.err.contains("disk full"), qPrintable(describe(run)));
        QDir dir(out);
        const auto check = [](const QString& file) {
            QFile f(file);
            if (!f.exists())
                return true;
            f.open(QIODevice::ReadOnly);
            const QByteArray bytes = f.readAll();
            return file.endsWith(".json") ? !QJsonDocument::fromJson(bytes).isNull()
                                          : bytes.endsWith(QByteArray("IEND\xae\x42\x60\x82", 8));
        };
        for (const QString& file :
            {out + "/good1/result.json", out + "/good1/gradcam/saliency.png", out + "/good1/gradcam/map16.png"})
            QVERIFY2(check(file), qPrintable(file + " is half-written"));
    }

    // Issue 25: a name that is not UTF-8 became another name in QString and the JSON files —
    // `explain` said the file did not exist, an evaluation could never merge. Such a name is
    // refused where it enters (an argument, a folder of images, an image list), shown with its
    // odd bytes as \xNN.
    void namesThatAreNotUtf8AreRefusedUpFront()
    {
        const std::string latin1 = "caf\xE9"; // "café" in Latin-1
        const std::string folder = path("latin1-set").toStdString();
        std::filesystem::create_directories(folder);
        std::filesystem::copy_file(path("good1.png").toStdString(), folder + "/" + latin1 + ".png");
        std::filesystem::copy_file(path("good1.png").toStdString(), folder + "/fine.png");

        QProcess process; // the raw bytes as an argument (a QStringList cannot hold them)
        process.start("bash",
            {"-c", "exec \"$0\" explain --model good --out \"$1\" \"$2/$(printf 'caf\\351.png')\"", FCS_CLI_PATH,
                path("latin1-out"), QString::fromStdString(folder)});
        QVERIFY(process.waitForFinished(120000));
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(process.exitCode() == 2 && err.contains("caf\\xE9.png\" is not UTF-8") && err.contains("rename"),
            qPrintable(err));
        QVERIFY(!QFileInfo::exists(path("latin1-out")));

        Run run = runCli(
            {"evaluate", "--model", "good", "--images", QString::fromStdString(folder), "--out", path("latin1-eval")},
            m_models);
        QVERIFY2(run.exitCode == 1 && run.err.contains("caf\\xE9.png\", whose name is not UTF-8"),
            qPrintable(describe(run)));

        QFile list(path("latin1-list.csv"));
        QVERIFY(list.open(QIODevice::WriteOnly));
        list.write(
            QByteArray::fromStdString("file,class_index\nlatin1-set/fine.png,0\nlatin1-set/" + latin1 + ".png,1\n"));
        list.close();
        run = runCli(
            {"evaluate", "--model", "good", "--images", list.fileName(), "--out", path("latin1-eval")}, m_models);
        QVERIFY2(run.exitCode == 1 && run.err.contains("latin1-set/caf\\xE9.png\" on line 3")
                && run.err.contains("is not UTF-8"),
            qPrintable(describe(run)));

        // A name whose bytes were already lost (U+FFFD, as a file dialog gives it) is named as such.
        run = runCli({"classify", "--model", "good", path("caf\uFFFD.png")}, m_models);
        QVERIFY2(run.exitCode == 1 && run.err.contains("does not exist") && run.err.contains("probably not UTF-8"),
            qPrintable(describe(run)));

        QCOMPARE(fcs::isUtf8("plain, caf\xC3\xA9, \xF0\x9F\x90\xA6"), true);
        for (const char* bad : {"\xE9", "\xC0\xAF", "\xED\xA0\x80", "\xE2\x82", "\xF4\x90\x80\x80", "\xFF"})
            QVERIFY2(!fcs::isUtf8(bad), qPrintable(QString::fromStdString(fcs::escapedName(bad))));
        QCOMPARE(fcs::escapedName("caf\xE9 \xC3\xA9"), std::string("caf\\xE9 \xC3\xA9"));
    }
};

QTEST_GUILESS_MAIN(TestBadInputs)
#include "TestBadInputs.moc"
