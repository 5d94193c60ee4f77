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
#include <map>
#include <mutex>
#include <tuple>

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
        return "another program is using it (it stays locked)";
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

constexpr int kBusyTimeoutMs = 5000; // another Feature CAM Studio writing: wait for it
constexpr int kProbeTimeoutMs = 250; // opening or trying the file again: never freeze the GUI thread
constexpr std::chrono::seconds kRetryAfter{3};

template <typename Map, typename Key>
std::optional<typename Map::mapped_type> keptIn(std::mutex& mutex, const Map& map, const Key& key)
{
    std::lock_guard lock(mutex);
    const auto found = map.find(key);
    if (found == map.end())
        return std::nullopt;
    return found->second;
}

template <typename Map, typename Key, typename Value>
void keep(std::mutex& mutex, Map& map, const Key& key, const Value& value)
{
    std::lock_guard lock(mutex);
    map[key] = value;
}

} // namespace

struct GalleryCache::Memory
{
    using Key = std::pair<std::string, std::string>; // hash, settings key
    std::mutex mutex;
    std::map<QString, std::tuple<qint64, qint64, std::string>> files; // path → size, modified, hash
    std::map<std::string, QByteArray> thumbs;
    std::map<Key, GalleryBaseEntry> base;
    std::map<Key, double> variants;
    std::map<Key, GalleryPointingEntry> pointing;

    // Moves the entries of `from` in without replacing newer ones.
    void takeBack(Memory& from)
    {
        files.merge(from.files);
        thumbs.merge(from.thumbs);
        base.merge(from.base);
        variants.merge(from.variants);
        pointing.merge(from.pointing);
    }
};

namespace {

// One memory per file in this process: the worker writes where the gallery's pictures are read.
std::shared_ptr<GalleryCache::Memory> memoryOf(const QString& file)
{
    static std::mutex mutex;
    static std::map<QString, std::weak_ptr<GalleryCache::Memory>> memories;
    std::lock_guard lock(mutex);
    auto& weak = memories[QFileInfo(file).absoluteFilePath()];
    auto memory = weak.lock();
    if (!memory) {
        memory = std::make_shared<GalleryCache::Memory>();
        weak = memory;
    }
    return memory;
}

} // namespace

QString GalleryCache::defaultLocation()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + "/featurecam/gallery.sqlite";
}

GalleryCache::GalleryCache(const QString& file)
    : m_file(file)
    , m_connection(newConnectionName())
    , m_memory(memoryOf(file))
{
    QSqlDatabase::addDatabase("QSQLITE", m_connection).setDatabaseName(file);
    try {
        attach(kProbeTimeoutMs);
        writeMemoryIntoFile();
    } catch (const Error& e) {
        fallBack(e.userMessage());
    }
}

GalleryCache::~GalleryCache()
{
    database(m_connection).close();
    QSqlDatabase::removeDatabase(m_connection);
}

void GalleryCache::attach(int busyTimeoutMs)
{
    QSqlDatabase db = database(m_connection);
    if (!db.isOpen()) {
        QDir().mkpath(QFileInfo(m_file).absolutePath());
        if (!db.open())
            throw Error(ErrorCode::WriteFailed,
                "Cannot open the gallery cache \"" + m_file.toStdString() + "\": " + reasonOf(db.lastError()) + ".",
                db.lastError().text().toStdString());
    }
    run(m_connection, QString("PRAGMA busy_timeout = %1").arg(busyTimeoutMs));
    QSqlQuery format(db);
    if (!format.exec("SELECT value FROM meta WHERE key = 'format'")) {
        if (isLocked(format.lastError())) // in use, not foreign
            throw Error(ErrorCode::ReadFailed,
                "The gallery cache \"" + m_file.toStdString() + "\" cannot be used: " + reasonOf(format.lastError())
                    + ".",
                format.lastError().text().toStdString());
        QSqlQuery tables(db); // a new, empty file is ours to fill; anything else is another program's
        if (!tables.exec("SELECT count(*) FROM sqlite_master") || !tables.next() || tables.value(0).toInt() != 0)
            throw Error(ErrorCode::BadData,
                "\"" + m_file.toStdString()
                    + "\" is not a gallery cache of Feature CAM Studio; it was left as it is. Delete or move it.");
    } else if (!format.next() || format.value(0).toString() != kFormat)
        throw Error(ErrorCode::BadData,
            "\"" + m_file.toStdString()
                + "\" is not a gallery cache of Feature CAM Studio; it was left as it is. Delete or move it.");
    format.finish();
    QSqlQuery version(db);
    if (version.exec("SELECT value FROM meta WHERE key = 'version'") && version.next()
        && version.value(0).toInt() != kVersion) {
        // A cache of another version holds nothing this one can trust: start it afresh.
        version.finish();
        for (const char* table : {"files", "thumbs", "base", "variants", "pointing", "meta"})
            run(m_connection, QString("DROP TABLE IF EXISTS %1").arg(table));
    }
    version.finish();
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
        "CREATE TABLE IF NOT EXISTS pointing (hash TEXT, key TEXT, hit INTEGER, energy REAL, PRIMARY KEY (hash, key))");
    run(m_connection, QString("PRAGMA busy_timeout = %1").arg(kBusyTimeoutMs));
}

void GalleryCache::fallBack(const std::string& reason)
{
    m_fallbackReason = reason + " Results are kept in memory meanwhile; the file is tried again every few seconds.";
    m_nextTry = std::chrono::steady_clock::now() + kRetryAfter;
}

bool GalleryCache::fileUsable()
{
    if (m_fallbackReason.empty())
        return true;
    if (std::chrono::steady_clock::now() < m_nextTry)
        return false;
    try {
        attach(kProbeTimeoutMs);
        writeMemoryIntoFile();
    } catch (const Error& e) {
        fallBack(e.userMessage());
        return false;
    }
    m_fallbackReason.clear();
    return true;
}

template <typename Action> bool GalleryCache::onFile(Action action)
{
    if (!fileUsable())
        return false;
    try {
        action();
        return true;
    } catch (const Error& e) {
        fallBack(e.userMessage());
        return false;
    }
}

void GalleryCache::writeMemoryIntoFile()
{
    Memory kept;
    {
        std::lock_guard lock(m_memory->mutex);
        std::swap(kept.files, m_memory->files);
        std::swap(kept.thumbs, m_memory->thumbs);
        std::swap(kept.base, m_memory->base);
        std::swap(kept.variants, m_memory->variants);
        std::swap(kept.pointing, m_memory->pointing);
    }
    if (kept.files.empty() && kept.thumbs.empty() && kept.base.empty() && kept.variants.empty()
        && kept.pointing.empty())
        return;
    QSqlDatabase db = database(m_connection);
    try {
        run(m_connection, "BEGIN");
        for (const auto& [path, file] : kept.files)
            run(m_connection, "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
                {path, std::get<0>(file), std::get<1>(file), text(std::get<2>(file))});
        for (const auto& [hash, jpeg] : kept.thumbs)
            run(m_connection, "INSERT OR REPLACE INTO thumbs VALUES (?, ?)", {text(hash), jpeg});
        for (const auto& [key, e] : kept.base)
            run(m_connection, "INSERT OR REPLACE INTO base VALUES (?, ?, ?, ?, ?, ?, ?)",
                {text(key.first), text(key.second), e.top1, e.confidence, e.explTop1, e.explConfidence, e.mapPng});
        for (const auto& [key, confidence] : kept.variants)
            run(m_connection, "INSERT OR REPLACE INTO variants VALUES (?, ?, ?)",
                {text(key.first), text(key.second), confidence});
        for (const auto& [key, e] : kept.pointing)
            run(m_connection, "INSERT OR REPLACE INTO pointing VALUES (?, ?, ?, ?)",
                {text(key.first), text(key.second), e.hit ? 1 : 0, e.energy});
        run(m_connection, "COMMIT");
    } catch (const Error&) {
        QSqlQuery(db).exec("ROLLBACK");
        std::lock_guard lock(m_memory->mutex);
        m_memory->takeBack(kept); // nothing is lost: the next try writes them
        throw;
    }
}

std::optional<std::string> GalleryCache::knownHash(const QString& path, qint64 size, qint64 modifiedMs)
{
    if (const auto kept = keptIn(m_memory->mutex, m_memory->files, path))
        if (std::get<0>(*kept) == size && std::get<1>(*kept) == modifiedMs)
            return std::get<2>(*kept);
    std::optional<std::string> hash;
    onFile([&] {
        auto query = run(m_connection, "SELECT hash FROM files WHERE path = ? AND size = ? AND modified = ?",
            {path, size, modifiedMs});
        if (query.next())
            hash = query.value(0).toString().toStdString();
    });
    return hash;
}

void GalleryCache::rememberHash(const QString& path, qint64 size, qint64 modifiedMs, const std::string& hash)
{
    if (!onFile([&] {
            run(m_connection, "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", {path, size, modifiedMs, text(hash)});
        }))
        keep(m_memory->mutex, m_memory->files, path, std::make_tuple(size, modifiedMs, hash));
}

std::optional<QByteArray> GalleryCache::thumbnail(const std::string& hash)
{
    if (auto kept = keptIn(m_memory->mutex, m_memory->thumbs, hash))
        return kept;
    std::optional<QByteArray> jpeg;
    onFile([&] {
        auto query = run(m_connection, "SELECT jpeg FROM thumbs WHERE hash = ?", {text(hash)});
        if (query.next())
            jpeg = query.value(0).toByteArray();
    });
    return jpeg;
}

void GalleryCache::storeThumbnail(const std::string& hash, const QByteArray& jpeg)
{
    if (!onFile([&] { run(m_connection, "INSERT OR REPLACE INTO thumbs VALUES (?, ?)", {text(hash), jpeg}); }))
        keep(m_memory->mutex, m_memory->thumbs, hash, jpeg);
}

std::optional<GalleryBaseEntry> GalleryCache::base(const std::string& hash, const std::string& key)
{
    if (auto kept = keptIn(m_memory->mutex, m_memory->base, Memory::Key{hash, key}))
        return kept;
    std::optional<GalleryBaseEntry> entry;
    onFile([&] {
        auto query = run(m_connection,
            "SELECT top1, confidence, expl_top1, expl_confidence, map FROM base WHERE hash = ? AND key = ?",
            {text(hash), text(key)});
        if (query.next())
            entry = GalleryBaseEntry{query.value(0).toInt(), query.value(1).toDouble(), query.value(2).toInt(),
                query.value(3).toDouble(), query.value(4).toByteArray()};
    });
    return entry;
}

void GalleryCache::storeBase(const std::string& hash, const std::string& key, const GalleryBaseEntry& e)
{
    if (!onFile([&] {
            run(m_connection, "INSERT OR REPLACE INTO base VALUES (?, ?, ?, ?, ?, ?, ?)",
                {text(hash), text(key), e.top1, e.confidence, e.explTop1, e.explConfidence, e.mapPng});
        }))
        keep(m_memory->mutex, m_memory->base, Memory::Key{hash, key}, e);
}

std::optional<double> GalleryCache::variantConfidence(const std::string& hash, const std::string& key)
{
    if (auto kept = keptIn(m_memory->mutex, m_memory->variants, Memory::Key{hash, key}))
        return kept;
    std::optional<double> confidence;
    onFile([&] {
        auto query = run(
            m_connection, "SELECT expl_confidence FROM variants WHERE hash = ? AND key = ?", {text(hash), text(key)});
        if (query.next())
            confidence = query.value(0).toDouble();
    });
    return confidence;
}

void GalleryCache::storeVariantConfidence(const std::string& hash, const std::string& key, double explConfidence)
{
    if (!onFile([&] {
            run(m_connection, "INSERT OR REPLACE INTO variants VALUES (?, ?, ?)",
                {text(hash), text(key), explConfidence});
        }))
        keep(m_memory->mutex, m_memory->variants, Memory::Key{hash, key}, explConfidence);
}

std::optional<GalleryPointingEntry> GalleryCache::pointing(const std::string& hash, const std::string& key)
{
    if (auto kept = keptIn(m_memory->mutex, m_memory->pointing, Memory::Key{hash, key}))
        return kept;
    std::optional<GalleryPointingEntry> entry;
    onFile([&] {
        auto query
            = run(m_connection, "SELECT hit, energy FROM pointing WHERE hash = ? AND key = ?", {text(hash), text(key)});
        if (query.next())
            entry = GalleryPointingEntry{query.value(0).toInt() != 0, query.value(1).toDouble()};
    });
    return entry;
}

void GalleryCache::storePointing(const std::string& hash, const std::string& key, const GalleryPointingEntry& e)
{
    if (!onFile([&] {
            run(m_connection, "INSERT OR REPLACE INTO pointing VALUES (?, ?, ?, ?)",
                {text(hash), text(key), e.hit ? 1 : 0, e.energy});
        }))
        keep(m_memory->mutex, m_memory->pointing, Memory::Key{hash, key}, e);
}

qint64 GalleryCache::sizeBytes() const
{
    return QFileInfo(m_file).size() + QFileInfo(m_file + "-wal").size();
}

void GalleryCache::clear()
{
    {
        std::lock_guard lock(m_memory->mutex);
        Memory none;
        std::swap(m_memory->files, none.files);
        std::swap(m_memory->thumbs, none.thumbs);
        std::swap(m_memory->base, none.base);
        std::swap(m_memory->variants, none.variants);
        std::swap(m_memory->pointing, none.pointing);
    }
    m_nextTry = {}; // the user asked: try the file now
    if (!fileUsable())
        throw Error(ErrorCode::WriteFailed, m_fallbackReason);
    for (const char* table : {"files", "thumbs", "base", "variants", "pointing"})
        run(m_connection, QString("DELETE FROM %1").arg(table));
    run(m_connection, "VACUUM");
}

} // namespace fcs
