#pragma once
// The gallery's result cache: one SQLite file (by default the user's cache folder,
// featurecam/gallery.sqlite) shared by every image set. Photos are known by their content's
// SHA-256, so a renamed or copied photo is not explained twice; what was computed for a photo is
// stored under a key naming exactly the settings it depends on (GalleryKeys.h), so a changed
// setting misses only the entries it touches. Deleting the file is always safe.
// Qt Sql. One object per thread (a SQLite connection is not shared between threads); several
// objects on one file may read and write at once (WAL).

#include <QByteArray>
#include <QString>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace fcs {

struct GalleryBaseEntry
{
    int top1 = -1; // the explained class: the gallery explains the top-1 prediction
    double confidence = 0; // its softmax probability on the photo
    int explTop1 = -1; // top-1 of the explanation map (the paper's hard mask)
    double explConfidence = 0; // the explained class's probability on it
    QByteArray mapPng; // the saliency map, 8-bit greyscale PNG at a third of the thumbnail's size
};

struct GalleryPointingEntry
{
    bool hit = false;
    double energy = 0; // share of the map in the boxes, 0..1
};

class GalleryCache
{
public:
    // Opens or creates the file (and its folder). Never throws for the file: when it cannot be
    // used — locked by another program, read-only, on a full disk, or a file of another program
    // (refused, never overwritten) — results are kept in memory instead (fallbackReason says
    // why), shared by every GalleryCache of that file in this process, and the file is tried
    // again every few seconds; once it can be used, what memory holds is written into it.
    explicit GalleryCache(const QString& file = defaultLocation());
    ~GalleryCache();
    GalleryCache(const GalleryCache&) = delete;
    GalleryCache& operator=(const GalleryCache&) = delete;

    static QString defaultLocation(); // XDG_CACHE_HOME or ~/.cache, then featurecam/gallery.sqlite
    QString file() const { return m_file; }
    // "" while the file is in use; otherwise the message of why results are kept in memory.
    std::string fallbackReason() const { return m_fallbackReason; }

    // A file's content hash, remembered by path, size and modification time (ms since epoch).
    std::optional<std::string> knownHash(const QString& path, qint64 size, qint64 modifiedMs);
    void rememberHash(const QString& path, qint64 size, qint64 modifiedMs, const std::string& hash);

    std::optional<QByteArray> thumbnail(const std::string& hash); // JPEG of the photo
    void storeThumbnail(const std::string& hash, const QByteArray& jpeg);

    std::optional<GalleryBaseEntry> base(const std::string& hash, const std::string& key);
    void storeBase(const std::string& hash, const std::string& key, const GalleryBaseEntry& entry);
    std::optional<double> variantConfidence(const std::string& hash, const std::string& key);
    void storeVariantConfidence(const std::string& hash, const std::string& key, double explConfidence);
    std::optional<GalleryPointingEntry> pointing(const std::string& hash, const std::string& key);
    void storePointing(const std::string& hash, const std::string& key, const GalleryPointingEntry& entry);

    qint64 sizeBytes() const; // of the file, with its write-ahead log
    // Every entry, in the file and in memory; the file stays. Throws fcs::Error naming the file
    // and the reason when the file cannot be used (a user's request must not half-succeed).
    void clear();

    struct Memory; // entries kept while the file cannot be used

private:
    void attach(int busyTimeoutMs); // opens the file, checks it is ours, creates the tables; throws
    bool fileUsable(); // false while falling back; tries the file again when due
    void fallBack(const std::string& reason);
    void writeMemoryIntoFile();
    template <typename Action>
    bool onFile(Action action); // runs action on the file; false when the file cannot be used

    QString m_file;
    QString m_connection;
    std::shared_ptr<Memory> m_memory;
    std::string m_fallbackReason;
    std::chrono::steady_clock::time_point m_nextTry;
};

} // namespace fcs
