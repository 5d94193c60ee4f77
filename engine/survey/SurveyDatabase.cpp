#include "engine/survey/SurveyDatabase.h"

#include "engine/core/Error.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QUuid>
#include <QVariant>

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <utility>

namespace fcs {
namespace {

constexpr const char* kFormat = "featurecam-survey";
constexpr int kVersion = 1;
// Another program holding the file's lock: wait up to 2 s, then report it (never block the
// participant's screen for long).
constexpr const char* kConnectOptions = "QSQLITE_BUSY_TIMEOUT=2000";

QString newConnectionName()
{
    static std::atomic<int> counter{0};
    return QString("fcs-survey-%1").arg(counter.fetch_add(1));
}

QString poolText(const std::vector<int>& pool)
{
    QStringList parts;
    for (int id : pool)
        parts << QString::number(id);
    return parts.join(' ');
}

std::vector<int> parsePool(const QString& text)
{
    std::vector<int> pool;
    for (const QString& part : text.split(' ', Qt::SkipEmptyParts))
        pool.push_back(part.toInt());
    return pool;
}

// The whole schema a survey file may have: these tables with exactly these columns; no
// triggers or views (a trigger added to a shared file would run inside our writes).
const std::map<QString, QStringList>& expectedSchema()
{
    static const std::map<QString, QStringList> schema = {
        {"meta", {"key", "value"}},
        {"images", {"id", "name", "png"}},
        {"stimuli", {"id", "image_id", "model", "method", "variant", "png"}},
        {"participants", {"id", "code", "seed", "started", "finished"}},
        {"trials", {"participant_id", "position", "stimulus_id", "pool"}},
        {"answers",
            {"participant_id", "position", "picked_image_id", "correct", "pick_ms", "rating", "rating_ms",
                "answered_at"}},
    };
    return schema;
}

// Empty when the schema is as expected, else what differs.
QString schemaProblem(const QSqlDatabase& db)
{
    QSqlQuery objects(db);
    if (!objects.exec("SELECT type, name FROM sqlite_master"))
        return "its table list cannot be read";
    std::set<QString> tables;
    while (objects.next()) {
        const QString type = objects.value(0).toString(), name = objects.value(1).toString();
        if (type == "table" && expectedSchema().count(name))
            tables.insert(name);
        else if (!((type == "index" && name.startsWith("sqlite_autoindex_")) || name.startsWith("sqlite_")))
            return QString("it has an unexpected %1 \"%2\"").arg(type, name);
    }
    for (const auto& [table, columns] : expectedSchema()) {
        if (!tables.count(table))
            return QString("the table \"%1\" is missing").arg(table);
        QSqlQuery info(db);
        QStringList found;
        if (info.exec("PRAGMA table_info(" + table + ")"))
            while (info.next())
                found << info.value(1).toString();
        if (found != columns)
            return QString("the table \"%1\" has the columns (%2), not (%3)")
                .arg(table, found.join(", "), columns.join(", "));
    }
    return {};
}

QSqlQuery prepared(const QSqlDatabase& db, const QString& sql)
{
    QSqlQuery query(db);
    if (!query.prepare(sql))
        throw Error(ErrorCode::ReadFailed, "The survey file cannot be used: " + query.lastError().text().toStdString());
    return query;
}

void run(QSqlQuery& query, const QString& what)
{
    if (!query.exec())
        throw Error(ErrorCode::WriteFailed,
            "Could not " + what.toStdString() + " in the survey file: " + query.lastError().text().toStdString());
}

// One transaction that is rolled back unless committed: a failed insert (run() throws) must not
// leave the connection inside an open transaction, holding the file's write lock.
class Transaction
{
public:
    explicit Transaction(QSqlDatabase database)
        : m_db(std::move(database))
    {
        if (!m_db.transaction())
            throw Error(ErrorCode::WriteFailed, "Cannot write the survey file.");
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction()
    {
        if (!m_committed)
            m_db.rollback();
    }
    void commit()
    {
        if (!m_db.commit())
            throw Error(ErrorCode::WriteFailed, "Cannot write the survey file.");
        m_committed = true;
    }

private:
    QSqlDatabase m_db;
    bool m_committed = false;
};

} // namespace

SurveyDatabase::SurveyDatabase(const QString& path, const QString& connection)
    : m_path(path)
    , m_connection(connection)
{
}

SurveyDatabase::SurveyDatabase(SurveyDatabase&& other) noexcept
    : m_path(std::move(other.m_path))
    , m_connection(std::move(other.m_connection))
{
    other.m_connection.clear();
}

SurveyDatabase::~SurveyDatabase()
{
    if (m_connection.isEmpty())
        return;
    {
        QSqlDatabase connection = QSqlDatabase::database(m_connection, false);
        connection.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

QSqlDatabase SurveyDatabase::db() const
{
    return QSqlDatabase::database(m_connection, false);
}

void SurveyDatabase::exec(const QString& sql) const
{
    QSqlQuery query(db());
    if (!query.exec(sql))
        throw Error(ErrorCode::ReadFailed,
            "The survey file \"" + m_path.toStdString()
                + "\" cannot be used: " + query.lastError().text().toStdString());
}

QString SurveyDatabase::meta(const QString& key) const
{
    QSqlQuery query = prepared(db(), "SELECT value FROM meta WHERE key = ?");
    query.addBindValue(key);
    run(query, "read the survey's settings");
    return query.next() ? query.value(0).toString() : QString();
}

void SurveyDatabase::applyPragmas() const
{
    // Rollback journal, not WAL: the survey stays one self-contained file at every moment (a
    // copy taken mid-session has every committed answer; WAL keeps them in a side file until a
    // checkpoint). Measured on this machine: 0.8 ms median, 4 ms p95 per committed answer with
    // synchronous=FULL, against 0.2 / 0.5 ms for WAL: both far below what a participant notices.
    QSqlQuery journal(db());
    journal.exec("PRAGMA journal_mode = DELETE"); // may fail on a read-only copy, which is read only
    exec("PRAGMA synchronous = FULL");
    exec("PRAGMA trusted_schema = OFF"); // no SQL functions from the file's schema run with our rights
}

SurveyDatabase SurveyDatabase::create(const QString& path, int poolSize, int ratingMax, const QString& settingsJson)
{
    if (QFile::exists(path) && !QFile::remove(path))
        throw Error(ErrorCode::WriteFailed, "Cannot replace \"" + path.toStdString() + "\".");
    const QString name = newConnectionName();
    {
        QSqlDatabase connection = QSqlDatabase::addDatabase("QSQLITE", name);
        connection.setDatabaseName(path);
        connection.setConnectOptions(kConnectOptions);
        if (!connection.open())
            throw Error(ErrorCode::WriteFailed,
                "Cannot create the survey file \"" + path.toStdString()
                    + "\": " + connection.lastError().text().toStdString());
    }
    SurveyDatabase survey(path, name);
    survey.exec("PRAGMA application_id = 1178815827"); // 'FCMS'
    survey.applyPragmas();
    survey.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    survey.exec("CREATE TABLE images (id INTEGER PRIMARY KEY, name TEXT NOT NULL, png BLOB NOT NULL)");
    survey.exec("CREATE TABLE stimuli (id INTEGER PRIMARY KEY, image_id INTEGER NOT NULL REFERENCES images(id), "
                "model TEXT NOT NULL, method TEXT NOT NULL, variant TEXT NOT NULL, png BLOB NOT NULL)");
    survey.exec("CREATE TABLE participants (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, seed TEXT NOT NULL, "
                "started TEXT NOT NULL, finished TEXT)");
    survey.exec(
        "CREATE TABLE trials (participant_id INTEGER NOT NULL REFERENCES participants(id), position INTEGER NOT "
        "NULL, stimulus_id INTEGER NOT NULL REFERENCES stimuli(id), pool TEXT NOT NULL, "
        "PRIMARY KEY (participant_id, position))");
    survey.exec("CREATE TABLE answers (participant_id INTEGER NOT NULL, position INTEGER NOT NULL, picked_image_id "
                "INTEGER, correct INTEGER, pick_ms INTEGER, rating INTEGER, rating_ms INTEGER, answered_at TEXT, "
                "PRIMARY KEY (participant_id, position))");
    const QList<QPair<QString, QString>> values = {{"format", kFormat}, {"version", QString::number(kVersion)},
        {"survey_id", QUuid::createUuid().toString(QUuid::WithoutBraces)}, {"pool_size", QString::number(poolSize)},
        {"rating_max", QString::number(ratingMax)}, {"settings", settingsJson},
        {"created", QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}};
    for (const auto& [key, value] : values) {
        QSqlQuery query = prepared(survey.db(), "INSERT INTO meta (key, value) VALUES (?, ?)");
        query.addBindValue(key);
        query.addBindValue(value);
        run(query, "write the survey's settings");
    }
    return survey;
}

SurveyDatabase SurveyDatabase::open(const QString& path)
{
    const std::string shown = "\"" + path.toStdString() + "\"";
    if (!QFileInfo(path).isFile())
        throw Error(ErrorCode::ReadFailed, "The survey file " + shown + " does not exist.");
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || !file.read(16).startsWith("SQLite format 3"))
        throw Error(
            ErrorCode::BadData, shown + " is not a survey file of Feature CAM Studio (it is not an SQLite database).");
    file.close();
    const QString name = newConnectionName();
    {
        QSqlDatabase connection = QSqlDatabase::addDatabase("QSQLITE", name);
        connection.setDatabaseName(path);
        connection.setConnectOptions(kConnectOptions);
        if (!connection.open())
            throw Error(ErrorCode::ReadFailed,
                "Cannot open the survey file " + shown + ": " + connection.lastError().text().toStdString());
    }
    SurveyDatabase survey(path, name);
    try {
        survey.exec("PRAGMA trusted_schema = OFF"); // before the schema is read at all
        QSqlQuery check(survey.db());
        if (!check.exec("PRAGMA quick_check") || !check.next() || check.value(0).toString() != "ok")
            throw Error(ErrorCode::BadData, "damaged");
        if (!survey.db().tables().contains("meta") || survey.meta("format") != kFormat)
            throw Error(ErrorCode::BadData, "foreign");
    } catch (const Error& e) {
        const std::string why = e.userMessage() == "foreign"
            ? " is an SQLite database but not a survey file of Feature CAM Studio."
            : e.userMessage() == "damaged"
            ? " is damaged (SQLite's integrity check failed); use a backup copy of the survey."
            : " cannot be read: " + e.userMessage();
        throw Error(ErrorCode::BadData, shown + why);
    }
    if (survey.meta("version").toInt() > kVersion)
        throw Error(ErrorCode::BadData,
            shown + " was made by a newer version of Feature CAM Studio (survey format "
                + survey.meta("version").toStdString() + ").");
    const QString problem = schemaProblem(survey.db());
    if (!problem.isEmpty())
        throw Error(ErrorCode::BadData,
            shown + " is not a survey file this program wrote, or it was edited: " + problem.toStdString() + ".");
    survey.checkContents();
    survey.applyPragmas();
    return survey;
}

void SurveyDatabase::checkContents() const
{
    const auto edited = [this](const std::string& what) {
        return Error(ErrorCode::BadData,
            "The survey file \"" + m_path.toStdString() + "\" was edited or damaged: " + what
                + ". Use the file as the builder wrote it, or a backup copy.");
    };
    bool poolOk = false, ratingOk = false;
    const int pool = meta("pool_size").toInt(&poolOk);
    const int rating = meta("rating_max").toInt(&ratingOk);
    namespace L = survey_limits;
    if (!poolOk || pool < L::kMinPoolSize || pool > L::kMaxPoolSize)
        throw edited("its pool size \"" + meta("pool_size").toStdString() + "\" is not from 2 to 12");
    if (!ratingOk || rating < L::kMinRatingMax || rating > L::kMaxRatingMax)
        throw edited("its rating scale \"" + meta("rating_max").toStdString() + "\" is not from 0–2 to 0–10");
    // Ids index the plan: 0..n-1 without gaps, every stimulus made from an image that exists.
    QSqlQuery counts(db());
    if (!counts.exec("SELECT (SELECT COUNT(*) FROM images), (SELECT COALESCE(MAX(id), -1) FROM images), "
                     "(SELECT COUNT(*) FROM stimuli), (SELECT COALESCE(MAX(id), -1) FROM stimuli), "
                     "(SELECT COUNT(*) FROM stimuli WHERE image_id NOT IN (SELECT id FROM images)), "
                     "(SELECT COUNT(*) FROM images WHERE id < 0), (SELECT COUNT(*) FROM stimuli WHERE id < 0)")
        || !counts.next())
        throw edited("its tables cannot be counted");
    const qint64 images = counts.value(0).toLongLong(), stimuli = counts.value(2).toLongLong();
    if (images < 2 || images > L::kMaxImages || counts.value(1).toLongLong() != images - 1
        || counts.value(5).toLongLong() != 0)
        throw edited("its images are not numbered 0 to " + std::to_string(images - 1));
    if (stimuli < 1 || stimuli > L::kMaxStimuli || counts.value(3).toLongLong() != stimuli - 1
        || counts.value(6).toLongLong() != 0 || counts.value(4).toLongLong() != 0)
        throw edited("its stimuli are not numbered 0 to " + std::to_string(stimuli - 1) + " or name missing images");
    if (pool > images)
        throw edited("its pool size " + std::to_string(pool) + " exceeds its " + std::to_string(images) + " images");
}

SurveyInfo SurveyDatabase::info() const
{
    SurveyInfo info;
    info.surveyId = meta("survey_id");
    info.poolSize = meta("pool_size").toInt();
    info.ratingMax = meta("rating_max").toInt();
    info.settings = meta("settings");
    QSqlQuery query(db());
    if (query.exec("SELECT (SELECT COUNT(*) FROM images), (SELECT COUNT(*) FROM stimuli)") && query.next()) {
        info.imageCount = query.value(0).toInt();
        info.stimulusCount = query.value(1).toInt();
    }
    return info;
}

void SurveyDatabase::beginBuild()
{
    if (!db().transaction())
        throw Error(ErrorCode::WriteFailed, "Cannot write the survey file \"" + m_path.toStdString() + "\".");
}

void SurveyDatabase::commitBuild()
{
    if (!db().commit())
        throw Error(ErrorCode::WriteFailed, "Cannot write the survey file \"" + m_path.toStdString() + "\".");
}

int SurveyDatabase::nextId(const QString& table) const
{
    QSqlQuery query(db()); // MAX on the primary key: an index lookup, cheap on every insert of a build
    if (!query.exec("SELECT COALESCE(MAX(id) + 1, 0) FROM " + table) || !query.next())
        throw Error(ErrorCode::ReadFailed, "Cannot read the survey file \"" + m_path.toStdString() + "\".");
    return query.value(0).toInt();
}

int SurveyDatabase::addImage(const QString& name, const QByteArray& png)
{
    const int id = nextId("images");
    QSqlQuery query = prepared(db(), "INSERT INTO images (id, name, png) VALUES (?, ?, ?)");
    query.addBindValue(id);
    query.addBindValue(name);
    query.addBindValue(png);
    run(query, "store an image");
    return id;
}

int SurveyDatabase::addStimulus(const Stimulus& stimulus, const QByteArray& png)
{
    const int id = nextId("stimuli");
    QSqlQuery query
        = prepared(db(), "INSERT INTO stimuli (id, image_id, model, method, variant, png) VALUES (?, ?, ?, ?, ?, ?)");
    query.addBindValue(id);
    query.addBindValue(stimulus.imageId);
    query.addBindValue(stimulus.model);
    query.addBindValue(stimulus.method);
    query.addBindValue(stimulus.variant);
    query.addBindValue(png);
    run(query, "store a stimulus");
    return id;
}

QString SurveyDatabase::imageName(int imageId) const
{
    QSqlQuery query = prepared(db(), "SELECT name FROM images WHERE id = ?");
    query.addBindValue(imageId);
    run(query, "read an image");
    return query.next() ? query.value(0).toString() : QString();
}

QByteArray SurveyDatabase::imagePng(int imageId) const
{
    QSqlQuery query = prepared(db(), "SELECT png FROM images WHERE id = ?");
    query.addBindValue(imageId);
    run(query, "read an image");
    return query.next() ? query.value(0).toByteArray() : QByteArray();
}

QByteArray SurveyDatabase::stimulusPng(int stimulusId) const
{
    QSqlQuery query = prepared(db(), "SELECT png FROM stimuli WHERE id = ?");
    query.addBindValue(stimulusId);
    run(query, "read a stimulus");
    return query.next() ? query.value(0).toByteArray() : QByteArray();
}

Stimulus SurveyDatabase::stimulus(int stimulusId) const
{
    QSqlQuery query = prepared(db(), "SELECT image_id, model, method, variant FROM stimuli WHERE id = ?");
    query.addBindValue(stimulusId);
    run(query, "read a stimulus");
    if (!query.next())
        throw Error(ErrorCode::BadData, "The survey file has no stimulus " + std::to_string(stimulusId) + ".");
    return {stimulusId, query.value(0).toInt(), query.value(1).toString(), query.value(2).toString(),
        query.value(3).toString()};
}

std::optional<int> SurveyDatabase::findParticipant(const QString& code) const
{
    QSqlQuery query = prepared(db(), "SELECT id FROM participants WHERE code = ?");
    query.addBindValue(code);
    run(query, "look up a participant");
    if (query.next())
        return query.value(0).toInt();
    return std::nullopt;
}

int SurveyDatabase::startParticipant(const QString& code, std::uint64_t seed)
{
    if (const auto existing = findParticipant(code))
        return *existing;
    std::vector<int> stimulusImages;
    {
        QSqlQuery query(db());
        if (!query.exec("SELECT image_id FROM stimuli ORDER BY id"))
            throw Error(ErrorCode::ReadFailed, "The survey file's stimuli cannot be read.");
        while (query.next())
            stimulusImages.push_back(query.value(0).toInt());
    }
    const SurveyInfo about = info();
    const auto plan = planTrials(stimulusImages, about.imageCount, about.poolSize, seed);
    Transaction transaction(db());
    QSqlQuery insert = prepared(db(), "INSERT INTO participants (code, seed, started) VALUES (?, ?, ?)");
    insert.addBindValue(code);
    insert.addBindValue(QString::number(seed));
    insert.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    run(insert, "add the participant");
    const int id = insert.lastInsertId().toInt();
    for (std::size_t position = 0; position < plan.size(); ++position) {
        QSqlQuery trial
            = prepared(db(), "INSERT INTO trials (participant_id, position, stimulus_id, pool) VALUES (?, ?, ?, ?)");
        trial.addBindValue(id);
        trial.addBindValue(int(position));
        trial.addBindValue(plan[position].stimulus);
        trial.addBindValue(poolText(plan[position].pool));
        run(trial, "store the trial plan");
    }
    transaction.commit();
    return id;
}

std::vector<Trial> SurveyDatabase::trials(int participantId) const
{
    QSqlQuery query = prepared(db(),
        "SELECT t.position, t.stimulus_id, t.pool, a.picked_image_id, a.rating FROM trials t LEFT JOIN answers a "
        "ON a.participant_id = t.participant_id AND a.position = t.position WHERE t.participant_id = ? "
        "ORDER BY t.position");
    query.addBindValue(participantId);
    run(query, "read the trials");
    const SurveyInfo about = info();
    const auto edited = [this]() {
        return Error(ErrorCode::BadData,
            "The survey file \"" + m_path.toStdString()
                + "\" holds a trial plan that was edited or damaged; this participant cannot continue. Use a "
                  "backup copy, or another participant code.");
    };
    std::vector<Trial> out;
    while (query.next()) {
        Trial trial;
        trial.position = query.value(0).toInt();
        trial.stimulusId = query.value(1).toInt();
        trial.pool = parsePool(query.value(2).toString());
        if (trial.position != int(out.size()) || trial.stimulusId < 0 || trial.stimulusId >= about.stimulusCount
            || trial.pool.size() < 2 || int(trial.pool.size()) > about.poolSize)
            throw edited();
        for (int image : trial.pool)
            if (image < 0 || image >= about.imageCount)
                throw edited();
        if (!query.value(3).isNull())
            trial.pickedImage = query.value(3).toInt();
        if (!query.value(4).isNull())
            trial.rating = query.value(4).toInt();
        if ((trial.rating && (*trial.rating < 0 || *trial.rating > about.ratingMax))
            || (trial.pickedImage
                && std::find(trial.pool.begin(), trial.pool.end(), *trial.pickedImage) == trial.pool.end()))
            throw edited();
        out.push_back(std::move(trial));
    }
    return out;
}

void SurveyDatabase::recordPick(int participantId, int position, int pickedImage, qint64 milliseconds)
{
    QSqlQuery query = prepared(db(),
        "INSERT INTO answers (participant_id, position, picked_image_id, correct, pick_ms, answered_at) "
        "SELECT ?, ?, ?, (s.image_id = ?), ?, ? FROM trials t JOIN stimuli s ON s.id = t.stimulus_id "
        "WHERE t.participant_id = ? AND t.position = ? "
        "ON CONFLICT (participant_id, position) DO UPDATE SET picked_image_id = excluded.picked_image_id, "
        "correct = excluded.correct, pick_ms = excluded.pick_ms");
    query.addBindValue(participantId);
    query.addBindValue(position);
    query.addBindValue(pickedImage);
    query.addBindValue(pickedImage);
    query.addBindValue(milliseconds);
    query.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    query.addBindValue(participantId);
    query.addBindValue(position);
    run(query, "save the answer");
    if (query.numRowsAffected() != 1)
        throw Error(
            ErrorCode::BadData, "The survey file has no trial " + std::to_string(position) + " for this participant.");
}

void SurveyDatabase::recordRating(int participantId, int position, int rating, qint64 milliseconds)
{
    QSqlQuery query = prepared(db(),
        "UPDATE answers SET rating = ?, rating_ms = ?, answered_at = ? WHERE participant_id = ? AND position = ?");
    query.addBindValue(rating);
    query.addBindValue(milliseconds);
    query.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    query.addBindValue(participantId);
    query.addBindValue(position);
    run(query, "save the rating");
    if (query.numRowsAffected() != 1)
        throw Error(ErrorCode::InvalidArgument, "A rating came before the image was picked.");
}

void SurveyDatabase::markFinished(int participantId)
{
    QSqlQuery query = prepared(db(), "UPDATE participants SET finished = ? WHERE id = ?");
    query.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    query.addBindValue(participantId);
    run(query, "finish the session");
}

std::vector<SurveyAnswer> SurveyDatabase::answers() const
{
    QSqlQuery query(db());
    if (!query.exec("SELECT p.code, a.position, t.stimulus_id, i.name, s.model, s.method, s.variant, a.correct, "
                    "a.rating, a.pick_ms, a.rating_ms, a.answered_at FROM answers a "
                    "JOIN participants p ON p.id = a.participant_id "
                    "JOIN trials t ON t.participant_id = a.participant_id AND t.position = a.position "
                    "JOIN stimuli s ON s.id = t.stimulus_id JOIN images i ON i.id = s.image_id "
                    "ORDER BY p.code, a.position"))
        throw Error(
            ErrorCode::ReadFailed, "The survey's answers cannot be read: " + query.lastError().text().toStdString());
    std::vector<SurveyAnswer> out;
    while (query.next()) {
        SurveyAnswer a;
        a.participant = query.value(0).toString();
        a.position = query.value(1).toInt();
        a.stimulusId = query.value(2).toInt();
        a.image = query.value(3).toString();
        a.model = query.value(4).toString();
        a.method = query.value(5).toString();
        a.variant = query.value(6).toString();
        if (!query.value(7).isNull())
            a.correct = query.value(7).toInt() != 0;
        if (!query.value(8).isNull())
            a.rating = query.value(8).toInt();
        a.pickMs = query.value(9).toLongLong();
        a.ratingMs = query.value(10).toLongLong();
        a.answeredAt = query.value(11).toString();
        out.push_back(std::move(a));
    }
    return out;
}

} // namespace fcs
