#include "engine/gallery/GalleryCache.h"

#include "engine/core/Error.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QVariant>

#include <atomic>

namespace fcs {
namespace {

constexpr const char* kFormat = "featurecam-gallery-cache";
constexpr int kVersion = 1;

QString newConnectionName()
{
    static std::atomic<int> counter{0};
    return QString("fcs-gallery-%1").arg(counter.fetch_add(1));
}

QSqlDatabase database(const QString& connection)
{
    return QSqlDatabase::database(connection, false);
}

// Another connection holds the file's lock: the cache is in use, not broken or foreign.
bool isLocked(const QSqlError& error)
{
    const QString text = error.text().toLower();
    return text.contains("locked") || text.contains("busy");
}

// Why SQLite refused, in the user's words: a lock and a read-only file are the usual causes.
std::string reasonOf(const QSqlError& error)
{
    const QString text = error.text().toLower();
    if (isLocked(error))
        return "another program is using it (it stays locked); close that program or wait, then open the gallery "
               "again";
    if (text.contains("readonly") || text.contains("read-only") || text.contains("read only"))
        return "it or its folder is read-only; make it writable, or delete it (it is only a cache)";
    if (text.contains("disk") && text.contains("full"))
        return "the disk is full";
    return error.text().toStdString();
}

// Runs one statement with its values bound in order; fcs::Error naming the file and the reason
// when it fails.
QSqlQuery run(const QString& connection, const QString& sql, const QVariantList& values = {})
{
    QSqlQuery query(database(connection));
    const auto fail = [&]() {
        throw Error(ErrorCode::WriteFailed,
            "The gallery cache \"" + database(connection).databaseName().toStdString()
                + "\" cannot be used: " + reasonOf(query.lastError()) + ".",
            query.lastError().text().toStdString());
    };
    if (!query.prepare(sql))
        fail();
    for (const auto& value : values)
        query.addBindValue(value);
    if (!query.exec())
        fail();
    return query;
}

QString text(const std::string& s)
{
    return QString::fromStdString(s);
}

} // namespace

QString GalleryCache::defaultLocation()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + "/featurecam/gallery.sqlite";
}

GalleryCache::GalleryCache(const QString& file)
    : m_file(file)
    , m_connection(newConnectionName())
{
    QDir().mkpath(QFileInfo(file).absolutePath());
    const bool existed = QFileInfo::exists(file);
    QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", m_connection);
    db.setDatabaseName(file);
    db.setConnectOptions("QSQLITE_BUSY_TIMEOUT=5000");
    if (!db.open())
        throw Error(ErrorCode::WriteFailed,
            "Cannot open the gallery cache \"" + file.toStdString() + "\": " + reasonOf(db.lastError()) + ".",
            db.lastError().text().toStdString());
    try {
        if (existed) {
            QSqlQuery format(db);
            const bool asked = format.exec("SELECT value FROM meta WHERE key = 'format'");
            if (!asked && isLocked(format.lastError())) // in use, not foreign
                throw Error(ErrorCode::ReadFailed,
                    "The gallery cache \"" + file.toStdString() + "\" cannot be used: " + reasonOf(format.lastError())
                        + ".",
                    format.lastError().text().toStdString());
            if (!asked || !format.next() || format.value(0).toString() != kFormat)
                throw Error(ErrorCode::BadData,
                    "\"" + file.toStdString()
                        + "\" is not a gallery cache of Feature CAM Studio; it was left as it is. Delete or move it.");
            QSqlQuery version(db);
            if (!version.exec("SELECT value FROM meta WHERE key = 'version'") || !version.next()
                || version.value(0).toInt() != kVersion) {
                // A cache of another version holds nothing this one can trust: start it afresh.
                for (const char* table : {"files", "thumbs", "base", "variants", "pointing", "meta"})
                    run(m_connection, QString("DROP TABLE IF EXISTS %1").arg(table));
            }
        }
        run(m_connection, "PRAGMA journal_mode = WAL");
        run(m_connection, "PRAGMA synchronous = NORMAL"); // a crash may lose the last entries, never corrupt
        run(m_connection, "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)");
        run(m_connection, "INSERT OR IGNORE INTO meta VALUES ('format', ?), ('version', ?)", {kFormat, kVersion});
        run(m_connection,
            "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, modified INTEGER, hash TEXT)");
        run(m_connection, "CREATE TABLE IF NOT EXISTS thumbs (hash TEXT PRIMARY KEY, jpeg BLOB)");
        run(m_connection,
            "CREATE TABLE IF NOT EXISTS base (hash TEXT, key TEXT, top1 INTEGER, confidence REAL, expl_top1 INTEGER, "
            "expl_confidence REAL, map BLOB, PRIMARY KEY (hash, key))");
        run(m_connection,
            "CREATE TABLE IF NOT EXISTS variants (hash TEXT, key TEXT, expl_confidence REAL, PRIMARY KEY (hash, key))");
        run(m_connection,
            "CREATE TABLE IF NOT EXISTS pointing (hash TEXT, key TEXT, hit INTEGER, energy REAL, "
            "PRIMARY KEY (hash, key))");
    } catch (...) {
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connection);
        throw;
    }
}

GalleryCache::~GalleryCache()
{
    {
        QSqlDatabase db = database(m_connection);
        if (m_inTransaction)
            db.commit();
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

std::optional<std::string> GalleryCache::knownHash(const QString& path, qint64 size, qint64 modifiedMs)
{
    auto query = run(
        m_connection, "SELECT hash FROM files WHERE path = ? AND size = ? AND modified = ?", {path, size, modifiedMs});
    if (!query.next())
        return std::nullopt;
    return query.value(0).toString().toStdString();
}

void GalleryCache::rememberHash(const QString& path, qint64 size, qint64 modifiedMs, const std::string& hash)
{
    run(m_connection, "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", {path, size, modifiedMs, text(hash)});
}

std::optional<QByteArray> GalleryCache::thumbnail(const std::string& hash)
{
    auto query = run(m_connection, "SELECT jpeg FROM thumbs WHERE hash = ?", {text(hash)});
    if (!query.next())
        return std::nullopt;
    return query.value(0).toByteArray();
}

void GalleryCache::storeThumbnail(const std::string& hash, const QByteArray& jpeg)
{
    run(m_connection, "INSERT OR REPLACE INTO thumbs VALUES (?, ?)", {text(hash), jpeg});
}

std::optional<GalleryBaseEntry> GalleryCache::base(const std::string& hash, const std::string& key)
{
    auto query = run(m_connection,
        "SELECT top1, confidence, expl_top1, expl_confidence, map FROM base WHERE hash = ? AND key = ?",
        {text(hash), text(key)});
    if (!query.next())
        return std::nullopt;
    return GalleryBaseEntry{query.value(0).toInt(), query.value(1).toDouble(), query.value(2).toInt(),
        query.value(3).toDouble(), query.value(4).toByteArray()};
}

void GalleryCache::storeBase(const std::string& hash, const std::string& key, const GalleryBaseEntry& e)
{
    run(m_connection, "INSERT OR REPLACE INTO base VALUES (?, ?, ?, ?, ?, ?, ?)",
        {text(hash), text(key), e.top1, e.confidence, e.explTop1, e.explConfidence, e.mapPng});
}

std::optional<double> GalleryCache::variantConfidence(const std::string& hash, const std::string& key)
{
    auto query
        = run(m_connection, "SELECT expl_confidence FROM variants WHERE hash = ? AND key = ?", {text(hash), text(key)});
    if (!query.next())
        return std::nullopt;
    return query.value(0).toDouble();
}

void GalleryCache::storeVariantConfidence(const std::string& hash, const std::string& key, double explConfidence)
{
    run(m_connection, "INSERT OR REPLACE INTO variants VALUES (?, ?, ?)", {text(hash), text(key), explConfidence});
}

std::optional<GalleryPointingEntry> GalleryCache::pointing(const std::string& hash, const std::string& key)
{
    auto query
        = run(m_connection, "SELECT hit, energy FROM pointing WHERE hash = ? AND key = ?", {text(hash), text(key)});
    if (!query.next())
        return std::nullopt;
    return GalleryPointingEntry{query.value(0).toInt() != 0, query.value(1).toDouble()};
}

void GalleryCache::storePointing(const std::string& hash, const std::string& key, const GalleryPointingEntry& e)
{
    run(m_connection, "INSERT OR REPLACE INTO pointing VALUES (?, ?, ?, ?)",
        {text(hash), text(key), e.hit ? 1 : 0, e.energy});
}

void GalleryCache::begin()
{
    if (!m_inTransaction)
        m_inTransaction = database(m_connection).transaction();
}

void GalleryCache::commit()
{
    if (m_inTransaction)
        database(m_connection).commit();
    m_inTransaction = false;
}

qint64 GalleryCache::sizeBytes() const
{
    return QFileInfo(m_file).size() + QFileInfo(m_file + "-wal").size();
}

void GalleryCache::clear()
{
    commit();
    for (const char* table : {"files", "thumbs", "base", "variants", "pointing"})
        run(m_connection, QString("DELETE FROM %1").arg(table));
    run(m_connection, "VACUUM");
}

} // namespace fcs
