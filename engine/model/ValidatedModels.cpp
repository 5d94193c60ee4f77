#include "engine/model/ValidatedModels.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QStandardPaths>
#include <QStringList>

#include <filesystem>
#include <sstream>

namespace fcs {
namespace {

constexpr int kRemembered = 64;

QString listPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + "/featurecam/validated-models.txt";
}

QStringList readList()
{
    QFile file(listPath());
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    return QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
}

} // namespace

std::string validationKey(const Sidecar& sidecar, int checksRevision)
{
    namespace fs = std::filesystem;
    std::error_code error;
    const fs::path archive = fs::absolute(sidecar.modelPath, error);
    const auto size = fs::file_size(archive, error);
    if (error)
        return {};
    const auto modified = fs::last_write_time(archive, error);
    if (error)
        return {};
    std::ostringstream key;
    key.precision(9);
    key << "checks " << checksRevision << " | " << archive.string() << " | " << size << " bytes | "
        << modified.time_since_epoch().count() << " | input " << sidecar.inputHeight << 'x' << sidecar.inputWidth
        << (sidecar.bgr ? " BGR" : " RGB") << " | mean";
    for (float m : sidecar.mean)
        key << ' ' << m;
    key << " | std";
    for (float s : sidecar.std)
        key << ' ' << s;
    key << " | classes " << sidecar.numClasses;
    if (isOnnxModel(sidecar)) // the graph is split where the target is: another target, another check
        key << " | target " << sidecar.targetLayer;
    std::string text = key.str();
    for (char& c : text) // one key per line
        if (c == '\n' || c == '\r')
            c = ' ';
    return text;
}

bool isKnownValid(const std::string& key)
{
    return !key.empty() && readList().contains(QString::fromStdString(key));
}

void rememberValid(const std::string& key)
{
    if (key.empty())
        return;
    QStringList list = readList();
    const QString entry = QString::fromStdString(key);
    list.removeAll(entry);
    list.append(entry); // the most recent last; the oldest go first
    while (list.size() > kRemembered)
        list.removeFirst();
    if (!QDir().mkpath(QFileInfo(listPath()).path()))
        return;
    QSaveFile file(listPath()); // another launch reading it sees the old list or the new one
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text))
        return;
    file.write((list.join('\n') + '\n').toUtf8());
    file.commit();
}

} // namespace fcs
