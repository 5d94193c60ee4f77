#pragma once
// A survey in one SQLite file (Qt Sql): the original images, the rendered stimuli with their
// provenance (model, method, variant, settings), each participant's trial plan and every answer.
// The file is self-contained — copy it to another machine and run the survey without models.
// Answers are written the moment they are given, each in its own committed transaction with
// synchronous=FULL, so a crash or a killed process loses nothing. Torch-free. One thread per
// SurveyDatabase object.

#include "engine/survey/SurveyPlan.h"

#include <QByteArray>
#include <QSqlDatabase>
#include <QString>

#include <optional>
#include <vector>

namespace fcs {

struct SurveyInfo
{
    QString surveyId; // random UUID, shared by every copy of a survey (merging checks it)
    int poolSize = 4;
    int ratingMax = 6;
    QString settings; // JSON: models, methods, variants, keep, k... as built
    int imageCount = 0;
    int stimulusCount = 0;
};

struct Stimulus
{
    int id = -1;
    int imageId = -1;
    QString model, method, variant; // variant: "base" or a Feature CAM id
};

struct Trial
{
    int position = 0; // 0-based, in the participant's order
    int stimulusId = -1;
    std::vector<int> pool; // image ids, in the order shown
    std::optional<int> pickedImage;
    std::optional<int> rating;
};

// One answered (or half-answered) trial, for results and export.
struct SurveyAnswer
{
    QString participant;
    int position = 0;
    int stimulusId = -1;
    QString image, model, method, variant;
    std::optional<bool> correct; // task 1
    std::optional<int> rating; // task 2
    qint64 pickMs = 0, ratingMs = 0;
    QString answeredAt;
};

class SurveyDatabase
{
public:
    // A new, empty survey file (an existing file is replaced). fcs::Error when it cannot be written.
    static SurveyDatabase create(const QString& path, int poolSize, int ratingMax, const QString& settingsJson);
    // An existing survey. fcs::Error(InvalidArgument) with a clear sentence for a missing file, a
    // file that is not SQLite (or is damaged), an SQLite file that is not a survey, or a survey
    // whose schema (tables, columns, no triggers or views) or numbers (pool size, rating scale,
    // ids) were edited. Opens with trusted_schema off, a rollback journal and synchronous=FULL.
    static SurveyDatabase open(const QString& path);

    SurveyDatabase(SurveyDatabase&& other) noexcept;
    ~SurveyDatabase();
    SurveyDatabase(const SurveyDatabase&) = delete;
    SurveyDatabase& operator=(const SurveyDatabase&) = delete;

    const QString& path() const { return m_path; }
    SurveyInfo info() const;

    // Building (ids are 0, 1, 2... in insertion order).
    int addImage(const QString& name, const QByteArray& png);
    int addStimulus(const Stimulus& stimulus, const QByteArray& png);
    void beginBuild(); // one transaction for a whole build: fast, and all or nothing
    void commitBuild();

    QString imageName(int imageId) const;
    QByteArray imagePng(int imageId) const;
    QByteArray stimulusPng(int stimulusId) const;
    Stimulus stimulus(int stimulusId) const;

    // The participant's id, creating them and their trial plan (seeded) on first use.
    int startParticipant(const QString& code, std::uint64_t seed);
    std::optional<int> findParticipant(const QString& code) const;
    std::vector<Trial> trials(int participantId) const;
    // Task answers, committed at once. `position` is the trial's.
    void recordPick(int participantId, int position, int pickedImage, qint64 milliseconds);
    void recordRating(int participantId, int position, int rating, qint64 milliseconds);
    void markFinished(int participantId);

    std::vector<SurveyAnswer> answers() const; // every answered trial of every participant

private:
    SurveyDatabase(const QString& path, const QString& connection);
    QSqlDatabase db() const;
    void exec(const QString& sql) const; // fcs::Error on failure
    QString meta(const QString& key) const;
    void applyPragmas() const;
    void checkContents() const; // bounds every number a session will use; fcs::Error if edited
    int nextId(const QString& table) const; // ids are 0, 1, 2... so that they index the plan

    QString m_path;
    QString m_connection; // empty after a move
};

} // namespace fcs
