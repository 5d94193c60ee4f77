// A participant's session driven through the real widgets with key presses: every trial
// answered, every answer in the file with its trial, Human Faith % and the Interpretability
// Index equal to a hand computation; a session killed with SIGKILL (a child process) keeps
// every answer it gave and resumes at the first unanswered task; the builder dialog works.

#include "TestPaths.h"

#include "engine/core/Error.h"
#include "engine/edges/EdgeDetector.h"
#include "engine/evaluate/ImageSet.h"
#include "engine/model/ModelCatalog.h"
#include "engine/survey/SurveyBuilder.h"
#include "engine/survey/SurveyResults.h"
#include "ui/survey/SurveyBuilderDialog.h"
#include "ui/survey/SurveyResultsWindow.h"
#include "ui/survey/SurveySession.h"

#include <QApplication>
#include <QFileInfo>
#include <QLineEdit>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <csignal>
#include <iostream>
#include <map>

using namespace fcs;

namespace {

// A small survey: the demo model's 8 sample images, Grad-CAM and one Feature CAM variant with
// Sobel edges — 16 trials, built in a second, no shared files needed.
void buildDemoSurvey(const QString& path)
{
    SurveyDesign design;
    design.images = readImageSet(std::string(FCS_DEMO_MODEL_DIR) + "/samples");
    design.models = {findModel({FCS_DEMO_MODEL_DIR}, "featurecam_demo_shapes")};
    design.methods = {"gradcam"};
    design.featureCam = {parseFeatureCamVariant("X1-I1")};
    EdgeOptions options;
    auto edges = makeEdgeDetector("sobel", options);
    buildSurvey(design, edges.get(), path);
}

void typeCodeAndBegin(SurveySession& session, const QString& code)
{
    QTest::keyClicks(session.codeEdit(), code);
    QTest::keyClick(session.codeEdit(), Qt::Key_Return);
    QTest::keyClick(&session, Qt::Key_Return); // past the instructions
}

// The scripted participant's rule: the true image on even positions, a wrong one on odd;
// rating = position mod 7.
int poolIndexFor(const Trial& trial, int truth)
{
    for (int i = 0; i < int(trial.pool.size()); ++i)
        if ((trial.pool[std::size_t(i)] == truth) == (trial.position % 2 == 0))
            return i;
    return 0;
}

// With FCS_SCREENSHOT_DIR set, widgets are saved as PNG for a person to look at.
void screenshot(QWidget& widget, const QString& name)
{
    const QString dir = qEnvironmentVariable("FCS_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        widget.grab().save(dir + "/" + name + ".png");
}

Qt::Key digitKey(int digit)
{
    return Qt::Key(Qt::Key_0 + digit);
}

// Child mode: a participant that answers one task every 40 ms until it is killed, printing each
// answered position after it is saved.
int runChild(int argc, char* argv[])
{
    QApplication app(argc, argv);
    SurveySession session(SurveyDatabase::open(qEnvironmentVariable("FCS_SURVEY_CHILD")));
    session.setSeedForNewParticipants(11);
    session.show();
    typeCodeAndBegin(session, "CHILD");
    QObject::connect(&session, &SurveySession::answered, [](int position) { std::cout << position << std::endl; });
    QTimer timer;
    QObject::connect(&timer, &QTimer::timeout, [&session]() {
        if (session.page() != SurveySession::TrialPage)
            return;
        QTest::keyClick(&session, session.awaitingRating() ? Qt::Key_3 : Qt::Key_1);
    });
    timer.start(40);
    return app.exec();
}

} // namespace

class TestSurveySession : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(QFile::exists(QString(FCS_DEMO_MODEL_DIR) + "/featurecam_demo_shapes.pt"));
    }

    void scriptedParticipantAnswersEveryTrial()
    {
        const QString path = m_dir.filePath("demo.fcsurvey");
        buildDemoSurvey(path);
        SurveySession session(SurveyDatabase::open(path));
        session.setSeedForNewParticipants(5);
        session.setConfirmQuit(false);
        session.resize(1280, 800);
        session.show();
        QCOMPARE(session.page(), SurveySession::CodePage);
        typeCodeAndBegin(session, "P01");
        QCOMPARE(session.page(), SurveySession::TrialPage);
        const auto trials = session.trials();
        QCOMPARE(int(trials.size()), 16);

        std::map<QString, std::pair<int, int>> faith; // group -> (correct, picks)
        std::map<QString, std::pair<int, int>> ratings; // group -> (sum, count)
        for (const auto& trial : trials) {
            QCOMPARE(session.currentPosition(), trial.position);
            const Stimulus stimulus = session.survey().stimulus(trial.stimulusId);
            const int index = poolIndexFor(trial, stimulus.imageId);
            if (trial.position == 0)
                screenshot(session, "survey-trial-pick");
            QTest::keyClick(&session, digitKey(index + 1));
            if (trial.position == 0)
                screenshot(session, "survey-trial-rate");
            QVERIFY(session.awaitingRating());
            QTest::keyClick(&session, digitKey(trial.position % 7));
            const QString group = stimulus.method + " / " + stimulus.variant;
            faith[group].first += trial.pool[std::size_t(index)] == stimulus.imageId ? 1 : 0;
            faith[group].second += 1;
            ratings[group].first += trial.position % 7;
            ratings[group].second += 1;
        }
        QCOMPARE(session.page(), SurveySession::ThanksPage);

        const auto answers = session.survey().answers();
        QCOMPARE(int(answers.size()), 16);
        for (const auto& a : answers) {
            QCOMPARE(a.participant, QString("P01"));
            QCOMPARE(a.stimulusId, trials[std::size_t(a.position)].stimulusId); // the right trial ids
            QCOMPARE(*a.rating, a.position % 7);
            QCOMPARE(*a.correct, a.position % 2 == 0);
        }
        const auto results = surveyResults(answers, SurveyGrouping::MethodVariant);
        QCOMPARE(int(results.size()), 2);
        for (const auto& r : results) {
            QVERIFY(faith.count(r.key));
            QCOMPARE(r.humanFaith, 100.0 * faith[r.key].first / faith[r.key].second);
            QCOMPARE(r.interpretability, double(ratings[r.key].first) / ratings[r.key].second);
        }

        // The results window shows the same numbers and exports them.
        SurveyResultsWindow window({path});
        window.show();
        screenshot(window, "survey-results");
        QCOMPARE(window.table()->columnCount(), 2);
        QCOMPARE(window.table()->item(0, 0)->text(), QString::number(results[0].humanFaith, 'f', 1) + "%");
        QVERIFY(window.exportAnswers(m_dir.filePath("answers.csv")));
        QFile csv(m_dir.filePath("answers.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(csv.readAll().count('\n'), 17);
    }

    // Issue 25: with a pool of 10-12 photos or a 0-10 scale, typing "10" recorded photo 1 and
    // rating 0 at once, and rating 10 could not be typed. Two digits now make one answer; a
    // first digit that could go on waits for the second, for Enter or for a pause.
    void twoDigitAnswersForBigPoolsAndScales()
    {
        QTemporaryDir photos;
        const auto samples = readImageSet(std::string(FCS_DEMO_MODEL_DIR) + "/samples");
        for (std::size_t i = 0; i < 12; ++i) { // the 8 samples and 4 mirrored: 12 photos
            cv::Mat image = cv::imread(samples[i % samples.size()].path);
            if (i >= samples.size())
                cv::flip(image, image, 1);
            QVERIFY(cv::imwrite(photos.filePath(QString("photo-%1.png").arg(i, 2, 10, QChar('0'))).toStdString(), image));
        }
        SurveyDesign design;
        design.images = readImageSet(photos.path().toStdString());
        design.models = {findModel({FCS_DEMO_MODEL_DIR}, "featurecam_demo_shapes")};
        design.methods = {"gradcam"};
        design.featureCam = {};
        design.poolSize = 12;
        design.ratingMax = 10;
        EdgeOptions options;
        auto edges = makeEdgeDetector("sobel", options);
        const QString path = m_dir.filePath("twelve.fcsurvey");
        buildSurvey(design, edges.get(), path);
        SurveySession session(SurveyDatabase::open(path));
        session.setSeedForNewParticipants(3);
        session.setConfirmQuit(false);
        session.resize(1366, 768);
        session.show();
        typeCodeAndBegin(session, "TWO");
        QVERIFY(session.trials().size() >= 3);
        // The trial fits a 1366 x 768 screen (12 photos in one row were 3004 px wide).
        QVERIFY2(session.minimumSizeHint().width() <= 1366 && session.minimumSizeHint().height() <= 768,
            qPrintable(QString("%1 x %2").arg(session.minimumSizeHint().width()).arg(session.minimumSizeHint().height())));
        screenshot(session, "survey-trial-twelve");

        QTest::keyClick(&session, Qt::Key_1); // photo 1, 10, 11 or 12: waits
        QVERIFY(!session.awaitingRating());
        QTest::keyClick(&session, Qt::Key_2);
        QVERIFY(session.awaitingRating());
        QCOMPARE(session.trials()[0].pickedImage, std::optional<int>(session.trials()[0].pool[11]));
        QTest::keyClick(&session, Qt::Key_1);
        QTest::keyClick(&session, Qt::Key_0);
        QCOMPARE(session.trials()[0].rating, std::optional<int>(10));

        QTest::keyClick(&session, Qt::Key_1);
        QTest::keyClick(&session, Qt::Key_5); // no photo 15: ignored, 1 still waits
        QTest::keyClick(&session, Qt::Key_Return);
        QCOMPARE(session.trials()[1].pickedImage, std::optional<int>(session.trials()[1].pool[0]));
        QTest::keyClick(&session, Qt::Key_1);
        QTRY_COMPARE_WITH_TIMEOUT(session.trials()[1].rating, std::optional<int>(1), 5000); // a pause ends it

        QTest::keyClick(&session, Qt::Key_0); // no photo 0: ignored
        QVERIFY(!session.awaitingRating());
        QTest::keyClick(&session, Qt::Key_2); // no photo 20 or more: at once
        QCOMPARE(session.trials()[2].pickedImage, std::optional<int>(session.trials()[2].pool[1]));
        QTest::keyClick(&session, Qt::Key_0); // rating 0 at once
        QCOMPARE(session.trials()[2].rating, std::optional<int>(0));
    }

    void killedSessionLosesNothingAndResumes()
    {
        const QString path = m_dir.filePath("killed.fcsurvey");
        buildDemoSurvey(path);
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("FCS_SURVEY_CHILD", path);
        env.insert("QT_QPA_PLATFORM", "offscreen");
        child.setProcessEnvironment(env);
        child.start(QCoreApplication::applicationFilePath(), {});
        QVERIFY(child.waitForStarted());
        QStringList reported;
        QElapsedTimer timer;
        timer.start();
        while (reported.size() < 5 && timer.elapsed() < 60000) {
            child.waitForReadyRead(100);
            reported += QString::fromUtf8(child.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
        }
        ::kill(pid_t(child.processId()), SIGKILL);
        QVERIFY(child.waitForFinished());
        reported += QString::fromUtf8(child.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
        QVERIFY2(reported.size() >= 5, "the child answered too little");
        QVERIFY2(reported.size() < 16, "the child finished before it was killed");

        SurveyDatabase survey = SurveyDatabase::open(path);
        std::map<int, bool> rated;
        for (const auto& a : survey.answers())
            rated[a.position] = a.rating.has_value();
        for (const QString& position : reported)
            QVERIFY2(rated[position.toInt()], qPrintable("answer " + position + " was lost"));

        // Resume: the same code continues at the first trial without a rating.
        SurveySession session(std::move(survey));
        session.setConfirmQuit(false);
        session.show();
        typeCodeAndBegin(session, "CHILD");
        const auto trials = session.trials();
        int firstOpen = -1;
        for (const auto& t : trials)
            if (!t.rating) {
                firstOpen = t.position;
                break;
            }
        QCOMPARE(session.currentPosition(), firstOpen);
        QCOMPARE(session.awaitingRating(), trials[std::size_t(firstOpen)].pickedImage.has_value());
    }

    void builderDialogBuildsASurvey()
    {
        SurveyBuilderDialog dialog({FCS_DEMO_MODEL_DIR});
        dialog.setImages(QString(FCS_DEMO_MODEL_DIR) + "/samples", 4);
        dialog.checkOnlyModel("featurecam_demo_shapes");
        dialog.setMethods({"gradcam", "gradcampp"});
        dialog.setVariants("none");
        const QString path = m_dir.filePath("dialog.fcsurvey");
        dialog.setOutput(path);
        QSignalSpy built(&dialog, &SurveyBuilderDialog::built);
        QSignalSpy failed(&dialog, &SurveyBuilderDialog::failed);
        dialog.build();
        QTRY_VERIFY_WITH_TIMEOUT(!built.isEmpty() || !failed.isEmpty(), 120000);
        QVERIFY2(failed.isEmpty(), qPrintable(dialog.statusText()));
        dialog.show();
        screenshot(dialog, "survey-builder");
        QCOMPARE(SurveyDatabase::open(path).info().stimulusCount, 4 * 2);
    }

    // A write that fails mid-session (here: another program holds the file's lock) is shown to
    // the participant, the answer is kept and saved by the retry; nothing escapes the slot.
    void writeFailureIsShownKeptAndRetried()
    {
        const QString path = m_dir.filePath("locked.fcsurvey");
        buildDemoSurvey(path);
        SurveySession session(SurveyDatabase::open(path));
        session.setConfirmQuit(false);
        session.show();
        typeCodeAndBegin(session, "LOCKED");
        QCOMPARE(session.page(), SurveySession::TrialPage);
        const int position = session.currentPosition();
        {
            QSqlDatabase other = QSqlDatabase::addDatabase("QSQLITE", "other-program");
            other.setDatabaseName(path);
            QVERIFY(other.open());
            QVERIFY(QSqlQuery(other).exec("BEGIN EXCLUSIVE"));
            QTest::keyClick(&session, Qt::Key_1); // pick the first photo: waits 2 s, then fails
            QVERIFY2(session.saveProblem().contains("Nothing is lost"), qPrintable(session.saveProblem()));
            QVERIFY(session.saveProblem().contains("locked"));
            QVERIFY(!session.awaitingRating());
            screenshot(session, "survey-save-problem");
            QTest::keyClick(&session, Qt::Key_2); // ignored while an answer is unsaved
            QVERIFY(QSqlQuery(other).exec("ROLLBACK"));
            other.close();
        }
        QSqlDatabase::removeDatabase("other-program");
        session.retryNow();
        QVERIFY2(session.saveProblem().isEmpty(), qPrintable(session.saveProblem()));
        QVERIFY(session.awaitingRating());
        SurveyDatabase check = SurveyDatabase::open(path);
        const auto trials = check.trials(*check.findParticipant("LOCKED"));
        QCOMPARE(trials[std::size_t(position)].pickedImage, std::optional<int>(trials[std::size_t(position)].pool[0]));
    }

    void oneParticipantCodeInOneWindow()
    {
        const QString path = m_dir.filePath("twins.fcsurvey");
        buildDemoSurvey(path);
        SurveySession first(SurveyDatabase::open(path));
        first.setConfirmQuit(false);
        first.show();
        typeCodeAndBegin(first, "TWIN");
        QCOMPARE(first.page(), SurveySession::TrialPage);
        SurveySession second(SurveyDatabase::open(path));
        second.setConfirmQuit(false);
        second.show();
        QTest::keyClicks(second.codeEdit(), "TWIN");
        QTest::keyClick(second.codeEdit(), Qt::Key_Return);
        QCOMPARE(second.page(), SurveySession::CodePage);
        QVERIFY2(second.message().contains("in use"), qPrintable(second.message()));
        second.codeEdit()->clear();
        QTest::keyClicks(second.codeEdit(), "OTHER");
        QTest::keyClick(second.codeEdit(), Qt::Key_Return);
        QCOMPARE(second.page(), SurveySession::InstructionsPage);
    }

    void builderDialogAsksBeforeReplacingASurvey()
    {
        const QString path = m_dir.filePath("keep-me.fcsurvey");
        buildDemoSurvey(path);
        const qint64 size = QFileInfo(path).size();
        SurveyBuilderDialog dialog({FCS_DEMO_MODEL_DIR});
        dialog.setImages(QString(FCS_DEMO_MODEL_DIR) + "/samples", 4);
        dialog.checkOnlyModel("featurecam_demo_shapes");
        dialog.setMethods({"gradcam"});
        dialog.setVariants("none");
        dialog.setOutput(path);
        QString asked;
        dialog.setReplaceConfirmation([&asked](const QString& file) {
            asked = file;
            return false; // the user keeps the old survey
        });
        QSignalSpy failed(&dialog, &SurveyBuilderDialog::failed);
        dialog.build();
        QCOMPARE(asked, path);
        QCOMPARE(failed.size(), 1);
        QVERIFY(dialog.statusText().contains("already exists"));
        QVERIFY(!dialog.isBuilding());
        QCOMPARE(QFileInfo(path).size(), size);
    }

    void builderReportsAnUnreadableFolder()
    {
        SurveyBuilderDialog dialog({FCS_DEMO_MODEL_DIR});
        dialog.setImages(m_dir.filePath("no-such-folder"), 4);
        dialog.setOutput(m_dir.filePath("never.fcsurvey"));
        QSignalSpy failed(&dialog, &SurveyBuilderDialog::failed);
        dialog.build();
        QCOMPARE(failed.size(), 1);
        QVERIFY2(dialog.statusText().contains("does not exist"), qPrintable(dialog.statusText()));
    }

    void badSurveyFileIsRefused()
    {
        const QString path = m_dir.filePath("bad.fcsurvey");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("SQLite format 3");
        file.close();
        QVERIFY_THROWS_EXCEPTION(Error, SurveyDatabase::open(path));
    }
};

int main(int argc, char* argv[])
{
    if (qEnvironmentVariableIsSet("FCS_SURVEY_CHILD"))
        return runChild(argc, argv);
    QApplication app(argc, argv);
    TestSurveySession test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "TestSurveySession.moc"
