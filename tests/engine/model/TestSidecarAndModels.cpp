// Loading models: valid fixtures load; every broken sidecar or archive is an fcs::Error naming
// the file and the field or method at fault, never a crash.

#include "TestPaths.h"
#include "TinyModels.h"

#include "engine/core/Error.h"
#include "engine/model/ClassifierModel.h"
#include "engine/model/ModelCatalog.h"
#include "engine/model/ValidatedModels.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace fcs;

namespace {

const char* kForwardFeaturesClassify = R"(
def features(self, x):
    return torch.avg_pool2d(x, [8, 8])

def classify(self, a):
    return a.mean([2, 3])[:, 0:2]

def forward(self, x):
    return self.classify(self.features(x))
)";

// classify(features(x)) is twice forward(x): a model that breaks the contract.
const char* kClassifyNotFromFeatures = R"(
def features(self, x):
    return torch.avg_pool2d(x, [8, 8])

def classify(self, a):
    return a.mean([2, 3])[:, 0:2] * 2.0

def forward(self, x):
    return x.mean([2, 3])[:, 0:2]
)";

} // namespace

class TestSidecarAndModels : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    std::string dir() const { return m_dir.path().toStdString(); }

    std::string fixture(const char* name, const char* source, int classes)
    {
        auto module = test::moduleFromSource(source);
        return test::saveWithSidecar(module, dir(), name, classes, 16);
    }

    void editSidecar(const std::string& json, const std::function<void(QJsonObject&)>& edit)
    {
        QFile file(QString::fromStdString(json));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QJsonObject object = QJsonDocument::fromJson(file.readAll()).object();
        file.close();
        edit(object);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QJsonDocument(object).toJson());
    }

    template <typename F> void expectError(F&& action, ErrorCode code, const QStringList& mentions)
    {
        try {
            action();
            QFAIL("no error");
        } catch (const Error& e) {
            const QString message = QString::fromStdString(e.userMessage());
            QVERIFY2(e.code() == code, qPrintable("unexpected code for: " + message));
            for (const auto& mention : mentions)
                QVERIFY2(message.contains(mention), qPrintable(message + "\n  should mention: " + mention));
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true); // the remembered models go to a test cache
    }

    void validFixtureLoadsAndKeepsTheContract()
    {
        const auto json = fixture("good", kForwardFeaturesClassify, 2);
        auto model = ClassifierModel::load(readSidecar(json));
        QCOMPARE(model->sidecar().numClasses, 2);
        QCOMPARE(model->sidecar().labels.at(1), std::string("class 1"));
        const auto x = torch::rand({3, 3, 16, 16});
        QVERIFY(torch::allclose(model->classify(model->features(x)), model->forward(x)));
    }

    void missingFieldIsNamed_data()
    {
        QTest::addColumn<QString>("field");
        for (const char* field : {"name", "architecture", "input_size", "color_order", "mean", "std", "labels",
                 "num_classes", "target_layer", "source", "license"})
            QTest::addRow("%s", field) << field;
    }

    void missingFieldIsNamed()
    {
        QFETCH(QString, field);
        const auto json = fixture(qPrintable("missing_" + field), kForwardFeaturesClassify, 2);
        editSidecar(json, [&](QJsonObject& o) { o.remove(field); });
        expectError([&] { readSidecar(json); }, ErrorCode::BadSidecar,
            {QString::fromStdString(json), "\"" + field + "\"", "missing"});
    }

    void mistypedFieldsAreNamed()
    {
        const auto json = fixture("mistyped", kForwardFeaturesClassify, 2);
        editSidecar(json, [](QJsonObject& o) { o["mean"] = "0.5"; });
        expectError([&] { readSidecar(json); }, ErrorCode::BadSidecar, {"\"mean\"", "three numbers"});
        editSidecar(json, [](QJsonObject& o) {
            o["mean"] = QJsonArray{0, 0, 0};
            o["input_size"] = QJsonArray{2, 2};
        });
        expectError([&] { readSidecar(json); }, ErrorCode::BadSidecar, {"\"input_size\"", "between 16 and 1024"});
        editSidecar(json, [](QJsonObject& o) {
            o["input_size"] = QJsonArray{16, 16};
            o["num_classes"] = 2.5;
        });
        expectError([&] { readSidecar(json); }, ErrorCode::BadSidecar, {"\"num_classes\"", "whole number"});
        editSidecar(json, [](QJsonObject& o) {
            o["num_classes"] = 2;
            o["std"] = QJsonArray{1, 0, 1};
        });
        expectError([&] { readSidecar(json); }, ErrorCode::BadSidecar, {"\"std\"", "positive"});
    }

    void notJsonIsAClearError()
    {
        const auto json = fixture("garbled", kForwardFeaturesClassify, 2);
        QFile file(QString::fromStdString(json));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("{ \"name\": ");
        file.close();
        expectError([&] { readSidecar(json); }, ErrorCode::BadSidecar, {QString::fromStdString(json), "JSON"});
    }

    void labelsCountMismatch()
    {
        const auto json = fixture("labels", kForwardFeaturesClassify, 2);
        editSidecar(json, [](QJsonObject& o) { o["num_classes"] = 5; });
        expectError([&] { readSidecar(json); }, ErrorCode::BadSidecar, {"\"num_classes\"", "5", "has 2 lines"});
    }

    void outputWidthMustMatchTheLabels()
    {
        // The network gives 2 logits; the sidecar and labels say 3 classes.
        const auto json = fixture("width", kForwardFeaturesClassify, 3);
        expectError([&] { ClassifierModel::load(readSidecar(json)); }, ErrorCode::ContractMismatch,
            {"width.pt", "gives 2 outputs", "3 classes"});
    }

    void notTorchScript()
    {
        const auto json = fixture("fake", kForwardFeaturesClassify, 2);
        QFile archive(m_dir.filePath("fake.pt"));
        QVERIFY(archive.open(QIODevice::WriteOnly | QIODevice::Truncate));
        archive.write("PK\x03\x04 this is not a TorchScript archive");
        archive.close();
        expectError([&] { ClassifierModel::load(readSidecar(json)); }, ErrorCode::BadModel,
            {"fake.pt", "not a TorchScript archive"});
    }

    void torchScriptWithoutFeatures()
    {
        const auto json = fixture("nofeatures", R"(
def forward(self, x):
    return x.mean([2, 3])[:, 0:2]
)",
            2);
        expectError([&] { ClassifierModel::load(readSidecar(json)); }, ErrorCode::BadModel,
            {"nofeatures.pt", "`features`", "forward, features and classify"});
    }

    void classifyMustContinueFromFeatures()
    {
        const auto json = fixture("split", kClassifyNotFromFeatures, 2);
        expectError([&] { ClassifierModel::load(readSidecar(json)); }, ErrorCode::ContractMismatch,
            {"split.pt", "classify(features(x)) differs from forward(x)"});
    }

    void aModelIsCheckedAgainWhenItsFileChanges()
    {
        // Passed once: remembered, so that the next launch skips the network checks.
        const auto json = fixture("remembered", kForwardFeaturesClassify, 2);
        const Sidecar sidecar = readSidecar(json);
        ClassifierModel::load(sidecar);
        QVERIFY(isKnownValid(validationKey(sidecar, ClassifierModel::kChecksRevision)));
        QVERIFY(!isKnownValid(validationKey(sidecar, ClassifierModel::kChecksRevision + 1)));

        // The archive replaced by one that breaks the contract: checked again, refused, not remembered.
        const auto liar = fixture("liar", kClassifyNotFromFeatures, 2);
        QVERIFY(QFile::remove(QString::fromStdString(sidecar.modelPath)));
        QVERIFY(QFile::copy(
            QString::fromStdString(readSidecar(liar).modelPath), QString::fromStdString(sidecar.modelPath)));
        expectError([&] { ClassifierModel::load(readSidecar(json)); }, ErrorCode::ContractMismatch,
            {"remembered.pt", "classify(features(x)) differs from forward(x)"});
        QVERIFY(!isKnownValid(validationKey(readSidecar(json), ClassifierModel::kChecksRevision)));
        // A sidecar that says other classes is another key too.
        Sidecar relabelled = sidecar;
        relabelled.numClasses = 3;
        QVERIFY(validationKey(relabelled, 1) != validationKey(sidecar, 1));
    }

    void featuresMustBeFourDimensional()
    {
        const auto json = fixture("flat", R"(
def features(self, x):
    return x.mean([2, 3])

def classify(self, a):
    return a[:, 0:2]

def forward(self, x):
    return self.classify(self.features(x))
)",
            2);
        expectError([&] { ClassifierModel::load(readSidecar(json)); }, ErrorCode::ContractMismatch,
            {"flat.pt", "[N, K, h, w]"});
    }

    // Models that load but lie: each refused at load with a sentence naming the model and the problem.
    void lyingModelsAreRefusedAtLoad_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("mention");
        const QString tail = "\ndef forward(self, x):\n    return self.classify(self.features(x))\n";
        QTest::addRow("nan logits") << "nanlogits"
                                    << "def features(self, x):\n    return torch.avg_pool2d(x, [8, 8])\n"
                                       "def classify(self, a):\n    return a.mean([2, 3])[:, 0:2] * float('nan')\n"
                + tail << "NaN or infinite values from `forward`";
        QTest::addRow("inf features") << "inffeatures"
                                      << "def features(self, x):\n    return torch.avg_pool2d(x, [8, 8]) / 0.0\n"
                                         "def classify(self, a):\n    return a.mean([2, 3])[:, 0:2]\n"
                + tail << "NaN or infinite";
        QTest::addRow("float64 output") << "double"
                                        << "def features(self, x):\n    return torch.avg_pool2d(x, [8, 8])\n"
                                           "def classify(self, a):\n    return a.mean([2, 3])[:, 0:2].double()\n"
                + tail << "Double from `forward`";
        QTest::addRow("classify without gradient")
            << "nograd"
            << "def features(self, x):\n    return torch.avg_pool2d(x, [8, 8])\n"
               "def classify(self, a):\n    return a.detach().mean([2, 3])[:, 0:2]\n"
                + tail
            << "yields no gradient";
        QTest::addRow("zero-size map") << "empty"
                                       << "def features(self, x):\n    return torch.avg_pool2d(x, [8, 8])[:, 0:0]\n"
                                          "def classify(self, a):\n    return torch.zeros([a.size(0), 2])\n"
                + tail << "empty map";
    }
    void lyingModelsAreRefusedAtLoad()
    {
        QFETCH(QString, name);
        QFETCH(QString, source);
        QFETCH(QString, mention);
        const std::string file = name.toStdString(), script = source.toStdString();
        const auto json = fixture(file.c_str(), script.c_str(), 2);
        expectError(
            [&] { ClassifierModel::load(readSidecar(json)); }, ErrorCode::ContractMismatch, {name + ".pt", mention});
    }

    void normalizationThatOverflowsIsRefused()
    {
        const auto json = fixture("tinystd", kForwardFeaturesClassify, 2);
        editSidecar(json, [](QJsonObject& o) { o["std"] = QJsonArray{1e-40, 1, 1}; });
        expectError([&] { readSidecar(json); }, ErrorCode::BadSidecar, {"\"std\"", "overflows"});
        editSidecar(json, [](QJsonObject& o) { o["mean"] = QJsonArray{1e300, 0, 0}; });
        expectError([&] { readSidecar(json); }, ErrorCode::BadSidecar, {"\"mean\"", "finite"});
        // Found by fuzzing: a class count past int's range was converted to int before the check.
        editSidecar(json, [](QJsonObject& o) {
            o["mean"] = QJsonArray{0, 0, 0};
            o["std"] = QJsonArray{1, 1, 1};
            o["num_classes"] = 2.7e57;
        });
        expectError([&] { readSidecar(json); }, ErrorCode::BadSidecar, {"\"num_classes\"", "positive whole number"});
    }

    void catalogFindsModelsByNameAndPath()
    {
        fixture("catalogued", kForwardFeaturesClassify, 2);
        const std::vector<std::string> dirs{dir()};
        QCOMPARE(findModel(dirs, "catalogued").id, std::string("catalogued"));
        QCOMPARE(findModel({}, m_dir.filePath("catalogued.pt").toStdString()).id, std::string("catalogued"));
        expectError([&] { findModel(dirs, "absent"); }, ErrorCode::ModelNotFound,
            {"absent", QString::fromStdString(dir()), "FEATURECAM_MODEL_PATH"});
        bool listed = false;
        for (const auto& entry : scanModels(dirs))
            listed |= entry.id == "catalogued" && entry.error.empty();
        QVERIFY(listed);
    }

    void sharedModelsAllRead()
    {
        FCS_REQUIRE_SHARED_MODEL("mobilenet_v2_1.0_224");
        const auto entries = scanModels({test::modelsDir().toStdString()});
        QVERIFY(entries.size() >= 7);
        for (const auto& entry : entries) {
            QVERIFY2(entry.error.empty(), entry.error.c_str());
            if (entry.id == "pidinet")
                QCOMPARE(int(entry.sidecar.kind), int(ModelKind::Edge));
            if (entry.id == "inat_bird_mobilenet_v2")
                QCOMPARE(entry.sidecar.numClasses, 964);
        }
    }
};

QTEST_GUILESS_MAIN(TestSidecarAndModels)
#include "TestSidecarAndModels.moc"
