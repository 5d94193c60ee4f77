// The survey's engine: the trial plan (every stimulus once, pools with the true image exactly
// once, reproducible), a survey built from real photos and MobileNetV2 (the expected stimuli,
// each a decodable PNG), answers stored and read back, results against hand computation, and
// clear errors for damaged or foreign files.

#include "TestPaths.h"

#include "engine/core/Error.h"
#include "engine/edges/EdgeDetector.h"
#include "engine/evaluate/ImageSet.h"
#include "engine/model/ModelCatalog.h"
#include "engine/survey/ParticipantLock.h"
#include "engine/survey/SurveyBuilder.h"
#include "engine/survey/SurveyDatabase.h"
#include "engine/survey/SurveyPlan.h"
#include "engine/survey/SurveyResults.h"

#include <QFile>
#include <QImage>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <csignal>
#include <set>
#include <sys/wait.h>
#include <unistd.h>

using namespace fcs;

namespace {

SurveyAnswer answer(const QString& participant, const QString& method, const QString& variant, bool correct, int rating)
{
    SurveyAnswer a;
    a.participant = participant;
    a.image = "img";
    a.method = method;
    a.variant = variant;
    a.correct = correct;
    a.rating = rating;
    return a;
}

// 3 images, 3 stimuli, pool 2: a survey as the builder writes one, in milliseconds.
void makeSmallSurvey(const QString& path)
{
    SurveyDatabase survey = SurveyDatabase::create(path, 2, 6, "{}");
    for (int i = 0; i < 3; ++i) {
        survey.addImage(QString("image%1").arg(i), QByteArray("png"));
        survey.addStimulus({-1, i, "m", "gradcam", "base"}, QByteArray("png"));
    }
}

QByteArray fileBytes(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestSurvey : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void planHasEveryStimulusOnceAndFairPools()
    {
        const std::vector<int> stimulusImages = {0, 0, 1, 1, 2, 2, 3, 3, 4, 4};
        const auto plan = planTrials(stimulusImages, 5, 4, 42);
        QCOMPARE(int(plan.size()), 10);
        std::set<int> seen;
        for (const auto& trial : plan) {
            seen.insert(trial.stimulus);
            QCOMPARE(int(trial.pool.size()), 4);
            const int truth = stimulusImages[std::size_t(trial.stimulus)];
            QCOMPARE(int(std::count(trial.pool.begin(), trial.pool.end(), truth)), 1);
            QCOMPARE(int(std::set<int>(trial.pool.begin(), trial.pool.end()).size()), 4); // distinct
        }
        QCOMPARE(int(seen.size()), 10);
        // Reproducible, and the seed matters.
        const auto again = planTrials(stimulusImages, 5, 4, 42);
        const auto other = planTrials(stimulusImages, 5, 4, 43);
        bool same = true, differs = false;
        for (std::size_t i = 0; i < plan.size(); ++i) {
            same = same && plan[i].stimulus == again[i].stimulus && plan[i].pool == again[i].pool;
            differs = differs || plan[i].stimulus != other[i].stimulus || plan[i].pool != other[i].pool;
        }
        QVERIFY(same);
        QVERIFY(differs);
        // The true image is not always in the same slot (over many trials every slot is used).
        std::set<int> slots;
        for (std::uint64_t seed = 0; seed < 20; ++seed)
            for (const auto& trial : planTrials(stimulusImages, 5, 4, seed))
                slots.insert(
                    int(std::find(trial.pool.begin(), trial.pool.end(), stimulusImages[std::size_t(trial.stimulus)])
                        - trial.pool.begin()));
        QCOMPARE(int(slots.size()), 4);
        QVERIFY_THROWS_EXCEPTION(Error, planTrials({0}, 1, 4, 1));
        // A pool larger than the image set shrinks to the set.
        QCOMPARE(int(planTrials({0, 1}, 2, 4, 1).front().pool.size()), 2);
    }

    void resultsAgainstHandComputation()
    {
        // Grad-CAM base: picks right, wrong, right; ratings 1, 2, 6 -> 66.7 %, mean 3, s = sqrt(7),
        // CI = 3 ± 4.303 · sqrt(7) / sqrt(3).
        const std::vector<SurveyAnswer> answers = {answer("p1", "gradcam", "base", true, 1),
            answer("p2", "gradcam", "base", false, 2), answer("p3", "gradcam", "base", true, 6),
            answer("p1", "gradcam", "X1-I1", true, 5), answer("p2", "gradcam", "X1-I1", true, 4)};
        const auto results = surveyResults(answers, SurveyGrouping::MethodVariant);
        QCOMPARE(int(results.size()), 2);
        QCOMPARE(results[0].key, QString("gradcam / base"));
        QCOMPARE(results[0].picks, 3);
        QVERIFY(qAbs(results[0].humanFaith - 200.0 / 3) < 1e-9);
        QCOMPARE(results[0].interpretability, 3.0);
        const double half = 4.303 * std::sqrt(7.0) / std::sqrt(3.0);
        QVERIFY(qAbs(results[0].ciLow - (3 - half)) < 1e-9 && qAbs(results[0].ciHigh - (3 + half)) < 1e-9);
        QCOMPARE(results[1].key, QString("gradcam / X1-I1"));
        QCOMPARE(results[1].humanFaith, 100.0);
        QCOMPARE(results[1].interpretability, 4.5);
        const auto byParticipant = surveyResults(answers, SurveyGrouping::Participant);
        QCOMPARE(int(byParticipant.size()), 3);
        QCOMPARE(byParticipant[0].key, QString("p1"));
        QCOMPARE(byParticipant[0].interpretability, 3.0); // (1 + 5) / 2
        QVERIFY(resultsCsv(results).contains("gradcam / base,3,2,66.67,3,3.0000"));
    }

    void buildsFromRealPhotos()
    {
        FCS_REQUIRE_SHARED_MODEL("mobilenet_v2_1.0_224");
        FCS_REQUIRE_SAMPLE_DATA();
        auto images = readImageSet((fcs::test::dataDir() + "/imagenet-sample/labels.csv").toStdString());
        images.resize(4);
        SurveyDesign design;
        design.images = images;
        const std::vector<std::string> dirs = {fcs::test::modelsDir().toStdString()};
        design.models = {findModel(dirs, "mobilenet_v2_1.0_224")};
        design.methods = {"gradcam", "gradcampp"};
        EdgeOptions options;
        options.modelDirs = dirs;
        auto edges = makeEdgeDetector("pidinet_tiny", options);
        const QString path = m_dir.filePath("real.fcsurvey");
        int lastDone = -1;
        buildSurvey(design, edges.get(), path, [&](int done, int, const QString&) { lastDone = done; });
        QCOMPARE(lastDone, 4 * 2 * 6);
        QVERIFY(!QFile::exists(path + ".part"));

        SurveyDatabase survey = SurveyDatabase::open(path);
        const SurveyInfo info = survey.info();
        QCOMPARE(info.imageCount, 4);
        QCOMPARE(info.stimulusCount, 4 * 2 * 6); // images × methods × (base + top 5)
        QCOMPARE(info.poolSize, 4);
        QCOMPARE(info.ratingMax, 6);
        QVERIFY(info.settings.contains("pidinet_tiny"));
        for (int s = 0; s < info.stimulusCount; ++s) {
            QImage image;
            QVERIFY(image.loadFromData(survey.stimulusPng(s), "PNG"));
            const Stimulus stimulus = survey.stimulus(s);
            QImage original;
            QVERIFY(original.loadFromData(survey.imagePng(stimulus.imageId), "PNG"));
            QCOMPARE(image.size(), original.size()); // the map at the photo's aspect
        }
        const int participant = survey.startParticipant("P01", 7);
        const auto trials = survey.trials(participant);
        QCOMPARE(int(trials.size()), info.stimulusCount);
        for (const auto& trial : trials) {
            const int truth = survey.stimulus(trial.stimulusId).imageId;
            QCOMPARE(int(std::count(trial.pool.begin(), trial.pool.end(), truth)), 1);
        }
        QCOMPARE(survey.startParticipant("P01", 99), participant); // returning: same plan

        // Answers stored at once, read back with their trial.
        const Trial& first = trials.front();
        const int truth = survey.stimulus(first.stimulusId).imageId;
        survey.recordPick(participant, first.position, truth, 1234);
        survey.recordRating(participant, first.position, 5, 800);
        const auto stored = survey.answers();
        QCOMPARE(int(stored.size()), 1);
        QCOMPARE(stored[0].stimulusId, first.stimulusId);
        QCOMPARE(*stored[0].correct, true);
        QCOMPARE(*stored[0].rating, 5);
        QCOMPARE(stored[0].pickMs, qint64(1234));
    }

    void mergesCopiesOfOneSurvey()
    {
        // A hand-made survey: 3 images, 3 stimuli (one per image), pool of 2.
        const QString original = m_dir.filePath("merge-a.fcsurvey");
        {
            SurveyDatabase survey = SurveyDatabase::create(original, 2, 6, "{}");
            for (int i = 0; i < 3; ++i) {
                survey.addImage(QString("image%1").arg(i), QByteArray("png"));
                survey.addStimulus({-1, i, "m", "gradcam", "base"}, QByteArray("png"));
            }
        }
        const QString copy = m_dir.filePath("merge-b.fcsurvey");
        QVERIFY(QFile::copy(original, copy));
        auto answerAll = [](const QString& path, const QString& code, bool right) {
            SurveyDatabase survey = SurveyDatabase::open(path);
            const int p = survey.startParticipant(code, 3);
            for (const auto& t : survey.trials(p)) {
                const int truth = survey.stimulus(t.stimulusId).imageId;
                int picked = truth;
                for (int id : t.pool)
                    if ((id == truth) == right)
                        picked = id;
                survey.recordPick(p, t.position, picked, 10);
                survey.recordRating(p, t.position, right ? 6 : 0, 10);
            }
        };
        answerAll(original, "P01", true);
        answerAll(copy, "P01", false); // another person given the same code on another machine
        answerAll(copy, "P02", true);
        const auto merged = mergedAnswers({original, copy, copy}); // the same file twice counts once
        QCOMPARE(int(merged.size()), 9);
        const auto byParticipant = surveyResults(merged, SurveyGrouping::Participant);
        QCOMPARE(int(byParticipant.size()), 3);
        const auto total = surveyResults(merged, SurveyGrouping::MethodVariant);
        QCOMPARE(int(total.size()), 1);
        QVERIFY(qAbs(total[0].humanFaith - 200.0 / 3) < 1e-9);
        QCOMPARE(total[0].interpretability, 4.0);

        const QString other = m_dir.filePath("merge-other.fcsurvey");
        SurveyDatabase::create(other, 2, 6, "{}");
        QVERIFY_THROWS_EXCEPTION(Error, mergedAnswers({original, other}));
    }

    void clearErrorsForBadFiles()
    {
        auto expectError = [](const QString& path, const QString& words) {
            try {
                SurveyDatabase::open(path);
                QFAIL(qPrintable("opened " + path));
            } catch (const Error& e) {
                QVERIFY2(QString::fromStdString(e.userMessage()).contains(words), e.userMessage().c_str());
            }
        };
        expectError(m_dir.filePath("missing.fcsurvey"), "does not exist");
        const QString text = m_dir.filePath("notes.fcsurvey");
        QFile file(text);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("just some text, not a database");
        file.close();
        expectError(text, "not an SQLite database");
        // A foreign SQLite database.
        const QString foreign = m_dir.filePath("foreign.sqlite");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "foreign");
            db.setDatabaseName(foreign);
            QVERIFY(db.open());
            QSqlQuery(db).exec("CREATE TABLE contacts (name TEXT)");
            db.close();
        }
        QSqlDatabase::removeDatabase("foreign");
        expectError(foreign, "not a survey file");
        // A survey whose pages were overwritten in the middle.
        const QString damaged = m_dir.filePath("damaged.fcsurvey");
        {
            SurveyDatabase survey = SurveyDatabase::create(damaged, 4, 6, "{}");
            for (int i = 0; i < 40; ++i)
                survey.addImage(QString("image %1").arg(i), QByteArray(3000, char(i)));
        }
        QFile bytes(damaged);
        QVERIFY(bytes.open(QIODevice::ReadWrite));
        bytes.seek(4096 * 3);
        bytes.write(QByteArray(4096 * 4, '\x5A'));
        bytes.close();
        try {
            SurveyDatabase survey = SurveyDatabase::open(damaged);
            survey.answers();
            QFAIL("a damaged survey was used without an error");
        } catch (const Error& e) {
            QVERIFY2(!e.userMessage().empty(), "no message");
        }
    }

    // A survey file edited by hand or by another program is refused on open, with the reason.
    void tamperedFilesAreRefused_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("why");
        QTest::addRow("pool size 10^8") << "UPDATE meta SET value = '100000000' WHERE key = 'pool_size'"
                                        << "pool size";
        QTest::addRow("pool size not a number") << "UPDATE meta SET value = 'four' WHERE key = 'pool_size'"
                                                << "pool size";
        QTest::addRow("rating scale 0-1000") << "UPDATE meta SET value = '1000' WHERE key = 'rating_max'"
                                             << "rating scale";
        QTest::addRow("added trigger") << "CREATE TRIGGER t AFTER INSERT ON answers BEGIN DELETE FROM answers; END"
                                       << "unexpected trigger";
        QTest::addRow("added view") << "CREATE VIEW v AS SELECT * FROM answers"
                                    << "unexpected view";
        QTest::addRow("added table") << "CREATE TABLE extra (x)"
                                     << "unexpected table";
        QTest::addRow("added column") << "ALTER TABLE answers ADD COLUMN note TEXT"
                                      << "columns";
        QTest::addRow("dropped table") << "DROP TABLE answers"
                                       << "missing";
        QTest::addRow("stimulus of a missing image") << "UPDATE stimuli SET image_id = 99 WHERE id = 0"
                                                     << "stimuli";
        QTest::addRow("gap in image ids") << "UPDATE images SET id = 50 WHERE id = 2"
                                          << "images";
    }
    void tamperedFilesAreRefused()
    {
        QFETCH(QString, sql);
        QFETCH(QString, why);
        const QString path = m_dir.filePath("tampered-" + QString::number(qHash(sql)) + ".fcsurvey");
        makeSmallSurvey(path);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "tamper");
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery query(db);
            QVERIFY2(query.exec(sql), qPrintable(sql));
            db.close();
        }
        QSqlDatabase::removeDatabase("tamper");
        try {
            SurveyDatabase::open(path);
            QFAIL("a tampered survey was opened");
        } catch (const Error& e) {
            QVERIFY2(QString::fromStdString(e.userMessage()).contains(why), e.userMessage().c_str());
        }
    }

    void tamperedTrialPlanIsRefused()
    {
        const QString path = m_dir.filePath("tampered-plan.fcsurvey");
        makeSmallSurvey(path);
        {
            SurveyDatabase survey = SurveyDatabase::open(path);
            survey.startParticipant("P1", 1);
        }
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "tamper-plan");
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QVERIFY(QSqlQuery(db).exec("UPDATE trials SET pool = '0 99999' WHERE position = 0"));
            db.close();
        }
        QSqlDatabase::removeDatabase("tamper-plan");
        SurveyDatabase survey = SurveyDatabase::open(path);
        try {
            survey.trials(*survey.findParticipant("P1"));
            QFAIL("a pool naming a missing image was accepted");
        } catch (const Error& e) {
            QVERIFY2(QString::fromStdString(e.userMessage()).contains("edited or damaged"), e.userMessage().c_str());
        }
    }

    // A participant whose trial plan cannot be written is not left half-started: the transaction
    // is rolled back (issue 28), so the code is free and a later start gets a whole plan.
    void aFailedStartLeavesNoParticipant()
    {
        const QString path = m_dir.filePath("failed-start.fcsurvey");
        makeSmallSurvey(path);
        const auto onOtherConnection = [&](const QString& statement) {
            {
                QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "trigger");
                db.setDatabaseName(path);
                QVERIFY(db.open());
                QVERIFY2(QSqlQuery(db).exec(statement), qPrintable(statement));
                db.close();
            }
            QSqlDatabase::removeDatabase("trigger");
        };
        SurveyDatabase survey = SurveyDatabase::open(path); // before the trigger, which open() refuses
        onOtherConnection(
            "CREATE TRIGGER no_plans BEFORE INSERT ON trials BEGIN SELECT RAISE(ABORT, 'disk full'); END");
        QVERIFY_THROWS_EXCEPTION(Error, survey.startParticipant("P1", 1));
        QVERIFY(!survey.findParticipant("P1"));
        onOtherConnection("DROP TRIGGER no_plans");
        const int participant = survey.startParticipant("P1", 1);
        QCOMPARE(int(survey.trials(participant).size()), survey.info().stimulusCount);
    }

    void builderRefusesToReplaceASurveyUnlessTold()
    {
        const QString path = m_dir.filePath("existing.fcsurvey");
        makeSmallSurvey(path);
        const QByteArray before = fileBytes(path);
        SurveyDesign design;
        design.images
            = {{"a.png", "a.png", std::nullopt, 0, std::nullopt}, {"b.png", "b.png", std::nullopt, 0, std::nullopt}};
        design.poolSize = 2;
        try {
            buildSurvey(design, nullptr, path);
            QFAIL("an existing survey was replaced without confirmation");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::WriteFailed);
            QVERIFY2(QString::fromStdString(e.userMessage()).contains("already exists"), e.userMessage().c_str());
        }
        QCOMPARE(fileBytes(path), before);
    }

    void oneSessionPerParticipantCode()
    {
        const QString path = m_dir.filePath("locks.fcsurvey");
        makeSmallSurvey(path);
        {
            ParticipantLock first = ParticipantLock::acquire(path, "P1");
            QVERIFY(first.isHeld());
            try {
                ParticipantLock::acquire(path, "P1");
                QFAIL("a second session took the same code");
            } catch (const Error& e) {
                QVERIFY2(QString::fromStdString(e.userMessage()).contains("in use"), e.userMessage().c_str());
            }
            QVERIFY(ParticipantLock::acquire(path, "P2").isHeld()); // another code is free
        }
        QVERIFY(ParticipantLock::acquire(path, "P1").isHeld()); // released with its holder

        // A process that dies (here: killed) releases its lock with it.
        int ready[2];
        QCOMPARE(::pipe(ready), 0);
        const pid_t child = ::fork();
        if (child == 0) {
            ParticipantLock held = ParticipantLock::acquire(path, "P3");
            const char ok = held.isHeld() ? '1' : '0';
            (void)!::write(ready[1], &ok, 1);
            ::pause();
            ::_exit(0);
        }
        char ok = 0;
        QCOMPARE(::read(ready[0], &ok, 1), ssize_t(1));
        QCOMPARE(ok, '1');
        QVERIFY_THROWS_EXCEPTION(Error, ParticipantLock::acquire(path, "P3"));
        ::kill(child, SIGKILL);
        ::waitpid(child, nullptr, 0);
        QVERIFY(ParticipantLock::acquire(path, "P3").isHeld());
    }
};

QTEST_GUILESS_MAIN(TestSurvey)
#include "TestSurvey.moc"
