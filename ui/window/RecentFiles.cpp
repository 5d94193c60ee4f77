#include "ui/window/RecentFiles.h"

#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace fcs {
namespace {

constexpr int kMaxRecentFiles = 8;
constexpr const char* kSettingsKey = "recentFiles";

} // namespace

RecentFiles::RecentFiles(QMenu* menu, QObject* parent)
    : QObject(parent)
    , m_menu(menu)
{
    refresh();
}

void RecentFiles::add(const QString& path)
{
    QSettings settings;
    QStringList files = settings.value(kSettingsKey).toStringList();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    files.removeAll(absolute);
    files.prepend(absolute);
    settings.setValue(kSettingsKey, files.mid(0, kMaxRecentFiles));
    refresh();
}

void RecentFiles::refresh()
{
    m_menu->clear();
    const QStringList files = QSettings().value(kSettingsKey).toStringList();
    for (const QString& file : files)
        m_menu->addAction(QFileInfo(file).fileName(), this, [this, file]() { Q_EMIT openRequested(file); })
            ->setToolTip(file);
    m_menu->setEnabled(!files.isEmpty());
}

} // namespace fcs
